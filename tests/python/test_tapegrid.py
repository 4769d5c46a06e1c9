"""The Python module against the CLI: what one writes the other reads, and the figures agree.

Run by CTest with Debian's python3 (tests/CMakeLists.txt: Python.*), PYTHONPATH=build/python,
$TAPEGRID the CLI and $TAPEGRID_SOURCE_DIR the source tree.
"""
import csv
import datetime as dt
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import numpy as np
import pandas as pd

import tapegrid

CLI = os.environ["TAPEGRID"]
SOURCE_DIR = os.environ["TAPEGRID_SOURCE_DIR"]


def run_cli(*args, cwd=None, env=None):
    result = subprocess.run([CLI, *args], capture_output=True, text=True, cwd=cwd, env=env)
    return result


class Scratch(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="tapegrid-python-test-")
        self.store = os.path.join(self.dir, "store")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def cli(self, *args):
        result = run_cli(*args, cwd=self.dir)
        self.assertEqual(result.returncode, 0, f"tapegrid {' '.join(args)}: {result.stderr}")
        return result.stdout

    def paper_recording(self, name="source.h5", symbols=2, bars=2000, seed=5):
        path = os.path.join(self.dir, name)
        self.cli("record", "--strategy", "mean_reversion", "--synthetic", "--symbols", str(symbols), "--bars",
                 str(bars), "--seed", str(seed), "-o", path, "--set", "rsi_threshold=35")
        return path


class ExampleTest(Scratch):
    def test_the_originals_example_records_what_it_says(self):
        env = dict(os.environ, TAPEGRID_STORE=self.store)
        example = os.path.join(SOURCE_DIR, "examples", "record_session.py")
        result = subprocess.run([sys.executable, example], capture_output=True, text=True, cwd=self.dir, env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        files = os.listdir(self.store)
        self.assertEqual(len(files), 1)
        recording_id = files[0][:-len(".h5")]
        shown = json.loads(self.cli("recordings", "show", recording_id, "--store", self.store, "--json"))["recording"]
        self.assertEqual(shown["status"], "completed")
        self.assertEqual(shown["session_id"], "your-session-id")
        self.assertEqual(shown["instance_id"], 1)
        self.assertEqual(shown["strategy_name"], "Mean Reversion")
        self.assertEqual(shown["original_parameters"], {"rsi_threshold": 30, "bb_std": 2.5, "position_size": 10})
        self.assertEqual(shown["symbols"], ["AAPL", "MSFT", "GOOGL"])
        self.assertEqual(shown["total_bars_recorded"], 1)
        self.assertEqual(shown["event_counts"], {"SIGNAL_DETECTED": 1, "POSITION_OPENED": 1})
        self.assertEqual(shown["description"], "Morning session with high volatility")
        self.assertEqual(shown["tags"], ["high_volatility", "morning_session"])
        signal_event = tapegrid.open_recording(recording_id, store=self.store).events(type="SIGNAL_DETECTED")
        self.assertEqual(len(signal_event), 1)
        self.assertEqual(signal_event["symbol"][0], "AAPL")


class TimestampTest(unittest.TestCase):
    def test_every_kind_of_time_is_nanoseconds_utc(self):
        t = 1_704_205_800 * 10**9  # 2024-01-02 14:30:00 UTC
        self.assertEqual(tapegrid.to_timestamp_ns(dt.datetime(2024, 1, 2, 14, 30)), t)  # naive: UTC
        plus_one = dt.timezone(dt.timedelta(hours=1))
        self.assertEqual(tapegrid.to_timestamp_ns(dt.datetime(2024, 1, 2, 15, 30, tzinfo=plus_one)), t)
        self.assertEqual(tapegrid.to_timestamp_ns(dt.datetime(2024, 1, 2, 14, 30, 0, 7)), t + 7_000)
        self.assertEqual(tapegrid.to_timestamp_ns(np.datetime64("2024-01-02T14:30:00.000000001")), t + 1)
        self.assertEqual(tapegrid.to_timestamp_ns(pd.Timestamp("2024-01-02 09:30", tz="US/Eastern")), t)
        self.assertEqual(tapegrid.to_timestamp_ns(t + 5), t + 5)
        self.assertEqual(tapegrid.to_timestamp_ns(np.int64(t)), t)
        before = time.time_ns()
        self.assertGreaterEqual(tapegrid.to_timestamp_ns(None), before)
        with self.assertRaises(TypeError):
            tapegrid.to_timestamp_ns("2024-01-02")
        with self.assertRaises(TypeError):
            tapegrid.to_timestamp_ns(True)


class RecorderTest(Scratch):
    def record(self, bars=50):
        recorder = tapegrid.SessionRecorder(store=self.store, trading_session_id="s-1", instance_id=7,
                                            strategy_name="mean_reversion",
                                            strategy_parameters={"rsi_threshold": 25, "bb_std": 2.0},
                                            symbols=["AAPL", "MSFT"])
        start = dt.datetime(2024, 1, 2, 14, 30)
        for i in range(bars):
            for k, symbol in enumerate(["AAPL", "MSFT"]):
                close = 100.0 + k * 50 + i * 0.25
                recorder.record_market_data(symbol=symbol, timestamp=start + dt.timedelta(minutes=i),
                                            open_price=close - 0.1, high=close + 0.5, low=close - 0.5, close=close,
                                            volume=1000 + i, indicators={"rsi": 40.0 + i % 20})
        recorder.record_order_placed(symbol="AAPL", order_id="o-1", side="BUY", quantity=10, order_type="MARKET",
                                     price=101.0, timestamp=start + dt.timedelta(minutes=5))
        recorder.record_order_filled(symbol="AAPL", order_id="o-1", side="BUY", quantity=10, fill_price=101.0,
                                     commission=0.5, timestamp=start + dt.timedelta(minutes=5))
        recorder.update_summary_stats(trades=1, pnl=12.5, win_rate=100.0)
        recorder.stop_recording(description="test", tags=["py"])
        return recorder

    def test_bars_read_back_as_views_over_the_loaded_columns(self):
        recorder = self.record()
        recording = tapegrid.open_recording(recorder.recording_id, store=self.store)
        info = recording.info
        self.assertEqual(info["recording_id"], recorder.recording_id)
        self.assertEqual(info["instance_id"], 7)
        self.assertEqual(info["strategy_name"], "mean_reversion")
        self.assertEqual(info["status"], "completed")
        self.assertEqual(info["original_parameters"], {"rsi_threshold": 25, "bb_std": 2.0})
        self.assertEqual(info["event_counts"], {"ORDER_PLACED": 1, "ORDER_FILLED": 1})
        self.assertEqual(info["original_trades"], 1)
        self.assertEqual(info["original_pnl"], 12.5)
        self.assertEqual(recording.symbols, ["AAPL", "MSFT"])
        bars = recording.bars("MSFT")
        self.assertEqual(len(bars), 50)
        self.assertEqual(bars["close"].iloc[3], 150.75)
        self.assertEqual(bars["volume"].iloc[49], 1049.0)
        self.assertEqual(bars["rsi"].iloc[21], 41.0)
        self.assertEqual(bars["timestamp"].iloc[1], pd.Timestamp("2024-01-02 14:31", tz="UTC"))
        close = bars["close"].to_numpy()
        self.assertFalse(close.flags.writeable)  # the recording's own column, not a copy
        self.assertIsNotNone(close.base)
        events = recording.events(type="ORDER_FILLED", symbol="AAPL")
        self.assertEqual(len(events), 1)
        self.assertEqual(events["event_data"][0]["fill_price"], 101.0)
        self.assertEqual(events["timestamp"][0], pd.Timestamp("2024-01-02 14:35", tz="UTC"))
        self.assertEqual(len(recording.events(symbol="MSFT")), 0)

    def test_a_bad_bar_is_a_user_error_and_is_not_recorded(self):
        recorder = tapegrid.SessionRecorder(store=self.store, trading_session_id="s", instance_id=1,
                                            strategy_name="mean_reversion", symbols=["AAPL"])
        with self.assertRaises(tapegrid.UserError) as raised:
            recorder.record_market_data(symbol="AAPL", timestamp=0, open_price=10, high=9, low=11, close=10,
                                        volume=1)
        self.assertIn("high", str(raised.exception))
        self.assertTrue(issubclass(tapegrid.UserError, ValueError))
        recorder.stop_recording()
        self.assertEqual(tapegrid.open_recording(recorder.path).info["total_bars_recorded"], 0)

    def test_an_exception_in_the_with_block_marks_the_recording_failed(self):
        with self.assertRaises(RuntimeError):
            with tapegrid.SessionRecorder(store=self.store, trading_session_id="s", instance_id=1,
                                          strategy_name="mean_reversion", symbols=["AAPL"]) as recorder:
                recorder.record_market_data(symbol="AAPL", timestamp=10**18, open_price=1, high=2, low=0.5,
                                            close=1.5, volume=1)
                raise RuntimeError("feed lost")
        info = tapegrid.open_recording(recorder.path).info
        self.assertEqual(info["status"], "failed")
        self.assertIn("feed lost", info["error_message"])
        self.assertEqual(info["total_bars_recorded"], 1)

    def test_unknown_recordings_and_parameters_are_user_errors(self):
        with self.assertRaises(tapegrid.UserError) as raised:
            tapegrid.open_recording(os.path.join(self.dir, "missing.h5"))
        self.assertIn("missing.h5", str(raised.exception))
        recorder = self.record(bars=100)
        replayer = tapegrid.SessionReplayer(recorder.path)
        replayer.set_parameter("no_such_parameter", 3)
        with self.assertRaises(tapegrid.UserError) as raised:
            replayer.replay()
        self.assertIn("no_such_parameter", str(raised.exception))


class RoundTripTest(Scratch):
    def test_a_session_rerecorded_from_python_verifies_with_the_cli(self):
        source = tapegrid.open_recording(self.paper_recording())
        info = source.info
        records = []  # (sequence, kind, payload): bars and events in the order they were recorded
        for symbol in source.symbols:
            bars = source.bars(symbol)
            indicator_names = [c for c in bars.columns if c not in
                               ("timestamp", "open", "high", "low", "close", "volume", "sequence")]
            times = bars["timestamp"].values.view(np.int64)  # UTC nanoseconds
            for i in range(len(bars)):
                indicators = {name: bars[name].iloc[i] for name in indicator_names if not math.isnan(bars[name].iloc[i])}
                records.append((int(bars["sequence"].iloc[i]), "bar",
                                (symbol, int(times[i]), bars["open"].iloc[i], bars["high"].iloc[i], bars["low"].iloc[i],
                                 bars["close"].iloc[i], bars["volume"].iloc[i], indicators)))
        events = source.events()
        event_times = events["timestamp"].values.view(np.int64)
        for i in range(len(events)):
            records.append((int(events["sequence"][i]), "event", (events["event_type"][i], events["symbol"][i],
                            events["event_data"][i], events["decision_metadata"][i], events["market_state"][i],
                            int(event_times[i]))))
        records.sort(key=lambda record: record[0])

        copy_path = os.path.join(self.dir, "from-python.h5")
        recorder = tapegrid.SessionRecorder(store=copy_path, trading_session_id=info["session_id"],
                                            instance_id=info["instance_id"], strategy_name=info["strategy_name"],
                                            strategy_parameters=info["original_parameters"], symbols=info["symbols"])
        for _, kind, payload in records:
            if kind == "bar":
                symbol, t, o, h, l, c, v, indicators = payload
                recorder.record_market_data(symbol=symbol, timestamp=t, open_price=o, high=h, low=l, close=c,
                                            volume=v, indicators=indicators)
            else:
                event_type, symbol, data, metadata, market, t = payload
                recorder.record_event(event_type, symbol, event_data=data, decision_metadata=metadata,
                                      market_state=market, timestamp=t)
        recorder.update_summary_stats(info["original_trades"], info["original_pnl"], info["original_win_rate"])
        recorder.stop_recording()
        self.assertGreater(info["event_counts"]["POSITION_CLOSED"], 0)

        verified = json.loads(self.cli("replay", copy_path, "--verify", "--json"))
        self.assertTrue(verified["success"])
        copy = tapegrid.open_recording(copy_path).info
        self.assertEqual(copy["event_counts"], info["event_counts"])
        self.assertEqual(copy["total_bars_recorded"], info["total_bars_recorded"])


class ReplayTest(Scratch):
    def test_a_replay_from_python_equals_the_clis(self):
        path = self.paper_recording(bars=3000)
        replayer = tapegrid.SessionReplayer(tapegrid.open_recording(path))
        replayer.set_parameters({"rsi_threshold": 25, "bb_std": 2.0})
        replayer.set_parameter("stop_loss_pct", 0.5)
        result = replayer.replay()
        cli = json.loads(self.cli("replay", path, "--set", "rsi_threshold=25", "--set", "bb_std=2.0", "--set",
                                  "stop_loss_pct=0.5", "--json"))
        trades = result.pop("trades")
        for key in ("created_at",):
            result.pop(key)
            cli.pop(key)
        for key in ("success", "saved"):
            cli.pop(key)
        self.assertEqual(result, cli)
        self.assertGreater(result["total_trades"], 0)
        self.assertEqual(len(trades), result["total_trades"])
        self.assertAlmostEqual(trades["pnl"].sum(), result["total_pnl"], places=6)
        self.assertEqual(result["comparison"]["replay_trades"], result["total_trades"])


class SweepTest(Scratch):
    def market(self, symbols=2, bars=3000):
        path = os.path.join(self.dir, "market.h5")
        self.cli("generate", "--symbols", str(symbols), "--bars", str(bars), "--seed", "3", "-o", path)
        return path

    def test_the_dataframe_is_results_csv_and_the_clis_sweep(self):
        market = self.market()
        config = os.path.join(self.dir, "sweep.toml")
        with open(config, "w") as file:
            file.write('[sweep]\nrecordings = ["market.h5"]\nstrategy = "mean_reversion"\n'
                       '[grid]\nbb_period = [10, 20]\nrsi_threshold = [25, 30, 35]\nstop_loss_pct = [1, 2]\n'
                       '[rank]\nby = "sharpe_ratio"\ntop = 3\n[output]\ndirectory = "from-cli"\n')
        self.cli("sweep", config, "--threads", "2", "--quiet")
        frame = tapegrid.sweep(config, out=os.path.join(self.dir, "from-python"), threads=1, progress=False)
        with open(os.path.join(self.dir, "from-python", "results.csv")) as file:
            rows = list(csv.DictReader(file))
        self.assertEqual(list(frame.columns), list(rows[0].keys()))
        self.assertEqual(len(frame), 12)
        for i, row in enumerate(rows):
            for column, text in row.items():
                value = frame[column].iloc[i]
                if text in ("true", "false"):
                    self.assertEqual(bool(value), text == "true")
                else:
                    self.assertEqual(float(value), float(text), f"row {i}, {column}")
        with open(os.path.join(self.dir, "from-cli", "results.csv")) as cli_rows, \
                open(os.path.join(self.dir, "from-python", "results.csv")) as python_rows:
            self.assertEqual(sorted(cli_rows.read().splitlines()), sorted(python_rows.read().splitlines()))

        as_dict = tapegrid.sweep({"sweep": {"recordings": [market], "strategy": "mean_reversion"},
                                  "grid": {"bb_period": [10, 20], "rsi_threshold": [25, 30, 35], "stop_loss_pct": [1, 2]}},
                                 progress=False)
        self.assertIsNone(as_dict.attrs["output_directory"])  # a temporary directory, removed
        key = ["bb_period", "rsi_threshold", "stop_loss_pct"]
        pd.testing.assert_frame_equal(as_dict.sort_values(key).reset_index(drop=True),
                                      frame.sort_values(key).reset_index(drop=True))

    def test_a_progress_function_sees_the_rows_and_one_that_raises_stops_the_sweep(self):
        market = self.market()
        config = {"sweep": {"recordings": [market], "strategy": "mean_reversion"},
                  "grid": {"bb_period": [10, 20], "rsi_threshold": [25, 30, 35]}}
        seen = []
        tapegrid.sweep(config, progress=lambda done, total: seen.append((done, total)))
        self.assertEqual(seen[-1], (6, 6))

        def broken(done, total):
            raise OSError("the display went away")

        with self.assertRaises(OSError) as raised:
            tapegrid.sweep(config, progress=broken)
        self.assertIn("the display went away", str(raised.exception))

    def test_a_bad_config_is_a_user_error_naming_the_key(self):
        self.market()
        with self.assertRaises(tapegrid.UserError) as raised:
            tapegrid.sweep({"sweep": {"recordings": [os.path.join(self.dir, "market.h5")], "strategy": "nope"},
                            "grid": {"bb_period": [10]}}, progress=False)
        self.assertIn("nope", str(raised.exception))
        self.assertIn("the sweep config dict", str(raised.exception))

    def test_ctrl_c_stops_the_sweep_cleanly_and_the_cli_resumes_it(self):
        self.market(symbols=4, bars=100_000)
        config = os.path.join(self.dir, "long.toml")
        with open(config, "w") as file:
            file.write('[sweep]\nrecordings = ["market.h5"]\nstrategy = "mean_reversion"\n'
                       '[grid]\nbb_period = [10, 15, 20, 25, 30]\nbb_std = [1.5, 2.0, 2.5, 3.0]\n'
                       'rsi_period = [7, 14, 21]\nrsi_threshold = [20, 25, 30, 35, 40]\n'
                       'stop_loss_pct = [1, 2, 3, 5]\ntake_profit_pct = [1, 2, 3, 5]\n[output]\ndirectory = "out"\n')
        script = f"import tapegrid\ntapegrid.sweep({config!r}, threads=2, progress=False)\n"
        child = subprocess.Popen([sys.executable, "-c", script], cwd=self.dir, stderr=subprocess.PIPE, text=True,
                                 env=dict(os.environ))
        try:
            plan = os.path.join(self.dir, "out", "plan.json")
            deadline = time.monotonic() + 60
            while not os.path.exists(plan) and time.monotonic() < deadline and child.poll() is None:
                time.sleep(0.05)
            time.sleep(0.2)
            self.assertIsNone(child.poll(), "the sweep ended before it could be stopped")
            child.send_signal(signal.SIGINT)
            _, stderr = child.communicate(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        self.assertNotEqual(child.returncode, 0)
        self.assertIn("KeyboardInterrupt", stderr)
        self.assertIn("checkpoint", stderr)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "out", "checkpoint.bin")))
        self.cli("sweep", config, "--resume", "--quiet", "--threads", "2")
        with open(os.path.join(self.dir, "out", "results.csv")) as file:
            self.assertEqual(sum(1 for _ in file), 1 + 4800)


if __name__ == "__main__":
    unittest.main()
