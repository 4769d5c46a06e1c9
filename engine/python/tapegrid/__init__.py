"""tapegrid from Python: record trading sessions, read them, replay and sweep them.

The API is the original system's (SessionRecorder, SessionReplayer, their method and keyword
names); the engine underneath is tapegrid's C++ one, so a recording written here is the same file
`tapegrid record` writes, and a replay or a sweep gives the same figures as the CLI.
docs/PYTHON.md walks through it.
"""
from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
import shutil as _shutil
import sys as _sys
import tempfile as _tempfile
import time as _time
import tomllib as _tomllib

import numpy as _np
import pandas as _pd

from . import _native
from ._native import FlushPolicy, UserError

__all__ = [
    "FlushPolicy",
    "Recording",
    "SessionRecorder",
    "SessionReplayer",
    "UserError",
    "open_recording",
    "sweep",
    "to_timestamp_ns",
]

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def to_timestamp_ns(timestamp=None) -> int:
    """Nanoseconds since the Unix epoch, UTC.

    None is now; a naive datetime is read as UTC, an aware one is converted; numpy.datetime64
    and pandas.Timestamp are exact to the nanosecond; an int is already nanoseconds.
    """
    if timestamp is None:
        return _time.time_ns()
    if isinstance(timestamp, bool):
        raise TypeError("timestamp: expected a datetime, numpy.datetime64 or int nanoseconds; found a bool")
    if isinstance(timestamp, (int, _np.integer)):
        return int(timestamp)
    if isinstance(timestamp, _pd.Timestamp):
        return int((timestamp.tz_localize("UTC") if timestamp.tzinfo is None else timestamp).value)
    if isinstance(timestamp, _np.datetime64):
        if _np.isnat(timestamp):
            raise UserError("timestamp: expected a time, found NaT")
        return int(timestamp.astype("datetime64[ns]").astype(_np.int64))
    if isinstance(timestamp, _dt.datetime):
        aware = timestamp.replace(tzinfo=_dt.timezone.utc) if timestamp.tzinfo is None else timestamp
        delta = aware - _EPOCH  # exact: days, seconds and microseconds are integers
        return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000
    raise TypeError(
        f"timestamp: expected a datetime, numpy.datetime64 or int nanoseconds; found {type(timestamp).__name__}"
    )


def _json_text(value, what: str) -> str:
    if value is None:
        return "{}"
    try:
        return _json.dumps(value, default=_json_default, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise UserError(f"{what}: expected a JSON-serialisable mapping ({error})") from None


def _json_default(value):
    if isinstance(value, _np.generic):
        return value.item()
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class SessionRecorder:
    """Records a live session: bars with their indicators, signals, orders, fills, positions.

    The original's constructor, with `db_session` replaced by `store`, the directory of recordings
    (None: $TAPEGRID_STORE, else ./recordings), or a path ending in .h5 for the file itself.
    Records are buffered and flushed by `flush_policy` (every 10,000 records or 1 s): a process
    killed at any moment keeps everything flushed before (docs/FORMAT.md).
    """

    def __init__(
        self,
        store=None,
        trading_session_id: str = "",
        instance_id: int = 0,
        strategy_name: str = "",
        strategy_parameters: dict | None = None,
        symbols=(),
        flush_policy: FlushPolicy | None = None,
    ):
        path = _native.resolve_store(None if store is None else _os.fspath(store))  # created if needed
        self._recorder = _native.Recorder(
            path,
            str(trading_session_id),
            int(instance_id),
            str(strategy_name),
            _json_text(strategy_parameters or {}, "strategy_parameters"),
            [str(symbol) for symbol in symbols],
            flush_policy or FlushPolicy(),
        )

    # The original's names for what it was given.
    @property
    def recording_id(self) -> str:
        return self._recorder.recording_id

    @property
    def path(self) -> str:
        return self._recorder.path

    @property
    def is_recording(self) -> bool:
        return self._recorder.is_recording

    def record_market_data(self, symbol, timestamp=None, open_price=0.0, high=0.0, low=0.0, close=0.0, volume=0.0,
                           indicators=None):
        items = [(str(name), float(value)) for name, value in (indicators or {}).items()]
        self._recorder.record_market_data(str(symbol), to_timestamp_ns(timestamp), float(open_price), float(high),
                                          float(low), float(close), float(volume), items)

    def record_signal_detected(self, symbol, signal_type, entry_price, stop_loss, take_profit, indicators=None,
                               signal_strength=0.0, reasoning="", timestamp=None, market_state=None, metadata=None):
        self._recorder.record_signal_detected(
            str(symbol), to_timestamp_ns(timestamp), str(signal_type), float(entry_price), float(stop_loss),
            float(take_profit), _json_text(indicators, "indicators"), float(signal_strength), str(reasoning),
            _json_text(market_state, "market_state"), _json_text(metadata, "metadata"))

    def record_order_placed(self, symbol, order_id, side, quantity, order_type="MARKET", price=0.0, timestamp=None,
                            market_state=None):
        self._recorder.record_order_placed(str(symbol), to_timestamp_ns(timestamp), str(order_id), str(side),
                                           float(quantity), str(order_type), float(price),
                                           _json_text(market_state, "market_state"))

    def record_order_filled(self, symbol, order_id, side, quantity, fill_price, commission=0.0, timestamp=None,
                            market_state=None):
        self._recorder.record_order_filled(str(symbol), to_timestamp_ns(timestamp), str(order_id), str(side),
                                           float(quantity), float(fill_price), float(commission),
                                           _json_text(market_state, "market_state"))

    def record_position_opened(self, symbol, entry_price, quantity, direction, stop_loss=0.0, take_profit=0.0,
                               timestamp=None, market_state=None):
        self._recorder.record_position_opened(str(symbol), to_timestamp_ns(timestamp), float(entry_price),
                                              float(quantity), str(direction), float(stop_loss), float(take_profit),
                                              _json_text(market_state, "market_state"))

    def record_position_closed(self, symbol, entry_price, exit_price, quantity, direction, pnl, pnl_pct=0.0,
                               exit_reason="", timestamp=None, market_state=None):
        self._recorder.record_position_closed(str(symbol), to_timestamp_ns(timestamp), float(entry_price),
                                              float(exit_price), float(quantity), str(direction), float(pnl),
                                              float(pnl_pct), str(exit_reason), _json_text(market_state, "market_state"))

    def record_scan_cycle(self, symbols_scanned, signals_found, details=None, timestamp=None):
        self._recorder.record_scan_cycle(to_timestamp_ns(timestamp), int(symbols_scanned), int(signals_found),
                                         _json_text(details, "details"))

    def record_event(self, event_type, symbol="", event_data=None, decision_metadata=None, market_state=None,
                     timestamp=None):
        self._recorder.record_event(str(event_type), str(symbol), to_timestamp_ns(timestamp),
                                    _json_text(event_data, "event_data"),
                                    _json_text(decision_metadata, "decision_metadata"),
                                    _json_text(market_state, "market_state"))

    def update_summary_stats(self, trades, pnl, win_rate):
        self._recorder.update_summary_stats(int(trades), float(pnl), float(win_rate))

    def flush(self):
        self._recorder.flush()

    def stop_recording(self, description="", tags=()):
        self._recorder.stop_recording(str(description), [str(tag) for tag in tags])

    def mark_failed(self, message):
        self._recorder.mark_failed(str(message))

    def mark_interrupted(self, description=""):
        self._recorder.mark_interrupted(str(description))

    def get_recording_info(self) -> dict:
        return _json.loads(self._recorder.info_json())

    # `with SessionRecorder(...) as recorder:` ends the recording as completed, or as
    # interrupted (Ctrl-C) or failed (any other exception) when the block raises.
    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if not self.is_recording:
            return False
        if kind is None:
            self.stop_recording()
        elif issubclass(kind, KeyboardInterrupt):
            self.mark_interrupted("stopped by KeyboardInterrupt")
        else:
            self.mark_failed(f"{kind.__name__}: {error}")
        return False


class Recording:
    """A recording loaded once into memory: its metadata, bars and events.

    `bars(symbol)` is a DataFrame whose columns are numpy arrays over the loaded columns (no copy;
    read-only); `events()` parses each event's JSON fields into dicts.
    """

    def __init__(self, native):
        self._native = native
        self.info = _json.loads(native.info_json())

    @property
    def path(self) -> str:
        return self._native.path

    @property
    def recording_id(self) -> str:
        return self.info["recording_id"]

    @property
    def symbols(self) -> list:
        return self._native.symbols()

    def bars(self, symbol) -> _pd.DataFrame:
        columns = self._native.bar_columns(str(symbol))
        indicators = columns.pop("indicators")
        times = columns.pop("timestamp_ns").view("datetime64[ns]")
        data = {"timestamp": _pd.DatetimeIndex(times, tz="UTC", copy=False)}
        data.update(columns)
        data.update(indicators)
        frame = _pd.DataFrame(data, copy=False)
        frame.attrs["symbol"] = str(symbol)
        return frame

    def events(self, type=None, symbol=None) -> _pd.DataFrame:  # noqa: A002 (the original's keyword)
        columns = self._native.event_columns(type, symbol)
        times = columns.pop("timestamp_ns").view("datetime64[ns]")
        for field in ("event_data", "decision_metadata", "market_state"):
            columns[field] = [_json.loads(text) for text in columns[field]]
        data = {"sequence": columns.pop("sequence"), "timestamp": _pd.DatetimeIndex(times, tz="UTC", copy=False)}
        data.update(columns)
        return _pd.DataFrame(data)

    def __repr__(self):
        info = self.info
        return (f"Recording({info['recording_id']}, {info['strategy_name']}, {info['status']}, "
                f"{len(info['symbols'])} symbols, {info['total_bars_recorded']} bars)")


def open_recording(path_or_id, store=None) -> Recording:
    """Loads a recording: a file path, or a recording id (or a unique prefix of 4+ characters)
    in `store` (None: $TAPEGRID_STORE, else ./recordings). The seal and every bar are checked as
    `tapegrid` checks them; a bad file raises UserError naming the file and dataset."""
    return Recording(_native.load(_os.fspath(path_or_id), None if store is None else _os.fspath(store)))


def _number_text(value):
    """A bool or number as TOML and the CLI's --set write it; None for anything else."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, _np.integer)):
        return str(int(value))
    if isinstance(value, (float, _np.floating)):
        return repr(float(value))
    return None


def _parameter_text(value) -> str:
    text = _number_text(value)
    return str(value) if text is None else text


class SessionReplayer:
    """Replays a recording with changed parameters and compares with what really happened.

    `recording`: a Recording from open_recording, or a path or recording id (then `store`).
    """

    def __init__(self, recording, recording_id=None, store=None, periods_per_year=None):
        if recording_id is not None and recording is None:
            recording = recording_id
        if not isinstance(recording, Recording):
            recording = open_recording(recording, store)
        self.recording = recording
        self._replayer = _native.Replayer(recording._native, periods_per_year)

    def set_parameter(self, name, value):
        self._replayer.set_parameter(str(name), _parameter_text(value))

    def set_parameters(self, parameters: dict):
        for name, value in parameters.items():
            self.set_parameter(name, value)

    def replay(self, strategy=None) -> dict:
        """The original's result dict (total_trades, total_pnl, win_rate, ..., positions,
        comparison), as `tapegrid replay --json` prints it, plus `trades`: the positions as a
        DataFrame. `strategy`: a strategy name, or None for the recording's own."""
        if strategy is not None and not isinstance(strategy, str):
            strategy = getattr(strategy, "name", None) or type(strategy).__name__
        result = _json.loads(self._replayer.replay(strategy or ""))
        result["trades"] = _pd.DataFrame(result.get("positions", []))
        return result


def _toml_value(value) -> str:
    text = _number_text(value)
    if text is not None:
        return text
    if isinstance(value, str):
        return _json.dumps(value)  # a TOML basic string is a JSON string
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise UserError(f"sweep config: cannot write a {type(value).__name__} as a TOML value")


def _toml_text(config: dict) -> str:
    lines = []
    for table, body in config.items():
        if not isinstance(body, dict):
            raise UserError(f"sweep config: expected tables ([sweep], [grid], ...) at the top; found '{table}'")
        lines.append(f"[{table}]")
        for key, value in body.items():
            lines.append(f"{_json.dumps(str(key))} = {_toml_value(value)}")
        lines.append("")
    return "\n".join(lines)


def _looks_like_path(item: str) -> bool:
    # A recording id is a UUID (or a prefix of one); anything else names a file.
    return _os.path.exists(item) or "/" in item or item.endswith(".h5")


def _absolute_paths(config: dict) -> dict:
    # A dict has no file to be relative to: its paths are the caller's, relative to the working
    # directory, and the TOML written for it lies elsewhere.
    config = {table: dict(body) if isinstance(body, dict) else body for table, body in config.items()}
    sweep_table = config.get("sweep")
    if isinstance(sweep_table, dict) and isinstance(sweep_table.get("recordings"), (list, tuple)):
        sweep_table["recordings"] = [
            _os.path.abspath(item) if isinstance(item, str) and _looks_like_path(item) else item
            for item in sweep_table["recordings"]
        ]
    output = config.get("output")
    if isinstance(output, dict) and isinstance(output.get("directory"), str):
        output["directory"] = _os.path.abspath(output["directory"])
    return config


def _show_progress(enabled):
    if callable(enabled):
        return enabled  # the caller's own function(rows_done, rows_total)
    if enabled is None:
        enabled = _sys.stderr.isatty() or "ipykernel" in _sys.modules
    if not enabled:
        return None
    started = _time.monotonic()
    finished = False

    def show(done, total):
        nonlocal finished
        if finished:
            return
        finished = done >= total
        share = done / total if total else 1.0
        elapsed = _time.monotonic() - started
        bar = "#" * int(share * 30)
        _sys.stderr.write(f"\rsweep [{bar:<30}] {done}/{total} rows {100 * share:5.1f}% {elapsed:6.1f} s")
        if finished:
            _sys.stderr.write("\n")
        _sys.stderr.flush()

    return show


def sweep(config, out=None, threads=None, overrides=None, store=None, overwrite=False, force=False,
          memory_limit=None, progress=None, resume=False) -> _pd.DataFrame:
    """Runs a sweep as `tapegrid sweep CONFIG` does; returns its rows (results.csv) as a DataFrame.

    `config`: a TOML file's path, or a dict shaped like one ({"sweep": {...}, "grid": {...}}).
    Outputs go to `out`, else to the config's [output] directory, else to a temporary directory
    removed afterwards. `overrides`: {"grid.bb_period": "[10, 20]", ...} as `--set`. The GIL is
    released while it runs; Ctrl-C stops it cleanly (its checkpoint written) and raises
    KeyboardInterrupt; `resume=True` carries on from a checkpoint where the output directory has
    one. `progress`: True, False, None (shown in a terminal or a notebook), or a function called
    with (rows_done, rows_total) about ten times a second; an exception it raises stops the sweep
    and is raised.
    """
    temporary = None
    try:
        if isinstance(config, dict):
            temporary = _tempfile.mkdtemp(prefix="tapegrid-sweep-")
            config_path = _os.path.join(temporary, "config.toml")
            with open(config_path, "w", encoding="utf-8") as file:
                file.write(_toml_text(_absolute_paths(config)))
            has_output = isinstance(config.get("output"), dict) and "directory" in config["output"]
        else:
            config_path = _os.fspath(config)
            try:
                with open(config_path, "rb") as file:
                    has_output = "directory" in _tomllib.load(file).get("output", {})
            except FileNotFoundError:
                raise UserError(f"{config_path}: no such file") from None
            except _tomllib.TOMLDecodeError:
                has_output = True  # the engine reads it, and says where it is wrong
        call = _native.SweepCall()
        call.config = config_path
        call.overrides = [(str(key), _toml_value(value) if not isinstance(value, str) else value)
                          for key, value in (overrides or {}).items()]
        call.store = None if store is None else _os.fspath(store)
        discard = out is None and not has_output
        if discard:
            temporary = temporary or _tempfile.mkdtemp(prefix="tapegrid-sweep-")
            call.out = _os.path.join(temporary, "out")
        elif out is not None:
            call.out = _os.fspath(out)
        call.threads = int(threads or _os.cpu_count() or 1)
        call.overwrite = bool(overwrite)
        call.force = bool(force)
        call.resume = bool(resume)
        call.memory_limit = None if memory_limit is None else str(memory_limit)
        try:
            directory = _native.sweep(call, _show_progress(progress))
        except UserError as error:
            if not isinstance(config, dict):
                raise
            # The TOML written for a dict is an implementation detail: name the dict instead.
            raise UserError(str(error).replace(config_path, "the sweep config dict")) from None
        frame = _pd.read_csv(_os.path.join(directory, "results.csv"), float_precision="round_trip")
        frame.attrs["output_directory"] = None if discard else directory
        return frame
    finally:
        if temporary is not None:
            _shutil.rmtree(temporary, ignore_errors=True)
