#!/usr/bin/env python3
"""Reads a tapegrid recording with h5py alone, following docs/FORMAT.md, and prints it as JSON.

The C++ test compares what this prints with what it wrote: proof that the layout document is
enough to read a recording without tapegrid.
"""
import json
import math
import sys

import h5py


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def number(value):
    value = float(value)
    return None if math.isnan(value) else value


def strings(group, name):
    """A string column: NAME_bytes holds the texts back to back, NAME_ends where each ends."""
    data = group[name + "_bytes"][:].tobytes()
    ends = group[name + "_ends"][:]
    starts = [0] + [int(e) for e in ends[:-1]]
    return [data[s:int(e)].decode("utf-8") for s, e in zip(starts, ends)]


def main(path):
    with h5py.File(path, "r") as f:
        attrs = f.attrs
        out = {
            "format_version": int(attrs["format_version"]),
            "recording_id": text(attrs["recording_id"]),
            "instance_id": int(attrs["instance_id"]),
            "strategy_name": text(attrs["strategy_name"]),
            "original_parameters": json.loads(text(attrs["original_parameters"])),
            "symbols": [text(s) for s in attrs["symbols"]],
            "status": text(attrs["status"]),
            "recording_start_time_ns": int(attrs["recording_start_time_ns"]),
            "tags": [text(t) for t in attrs["tags"]],
            "description": text(attrs["description"]),
            "event_counts": dict(zip([text(t) for t in attrs["event_count_types"]],
                                     [int(c) for c in attrs["event_count_values"]])),
            "original_pnl": float(attrs["original_pnl"]),
            "market_data": {},
        }
        for symbol in out["symbols"]:
            group = f["market_data"][symbol]
            columns = {name: group[name][:] for name in
                       ("timestamp", "open", "high", "low", "close", "volume", "sequence")}
            out["market_data"][symbol] = {
                "timestamp": [int(t) for t in columns["timestamp"]],
                "open": [float(v) for v in columns["open"]],
                "close": [float(v) for v in columns["close"]],
                "volume": [float(v) for v in columns["volume"]],
                "sequence": [int(v) for v in columns["sequence"]],
                "indicators": {name: [number(v) for v in group["indicators"][name][:]]
                               for name in group["indicators"]},
            }
        events = f["events"]
        out["events"] = [
            {"sequence": int(seq), "timestamp": int(ts), "type": text(kind), "symbol": text(sym),
             "event_data": json.loads(text(data)), "decision_metadata": json.loads(text(meta))}
            for seq, ts, kind, sym, data, meta in zip(
                events["sequence"][:], events["timestamp"][:], strings(events, "type"),
                strings(events, "symbol"), strings(events, "event_data"),
                strings(events, "decision_metadata"))
        ]
        out["replays"] = list(f["replays"].keys())
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
