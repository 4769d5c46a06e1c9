#!/usr/bin/env python3
"""Reads a sweep's results.h5 with h5py alone and prints it as JSON.

The C++ test compares what this prints with results.csv: the two tables hold the same columns
and the same values. JSON has no infinity or NaN, so those are printed as the strings "inf",
"-inf" and "nan" (as results.csv writes them).
"""
import json
import math
import sys

import h5py


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def number(value):
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def main(path):
    with h5py.File(path, "r") as f:
        columns = [text(name) for name in f.attrs["columns"]]
        values = {}
        for name in columns:
            data = f[name][:]
            if data.dtype.kind in "iu":
                values[name] = [int(v) for v in data]
            else:
                values[name] = [number(v) for v in data]
        out = {
            "columns": columns,
            "strategy_name": text(f.attrs["strategy_name"]),
            "values": values,
        }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
