"""A client written against the original system's API reference, run unchanged against tapegrid serve.

Every request is one the original documentation shows (its curl examples, its Python usage), and
every check is a field or type that documentation promises. Standard library only.

    python3 original_api_client.py BASE_URL RECORDING_ID INSTANCE_ID
"""
import json
import sys
import urllib.request

BASE, RECORDING_ID, INSTANCE_ID = sys.argv[1], sys.argv[2], int(sys.argv[3])


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, no proxy
    with opener.open(request, timeout=120) as response:
        assert response.status == 200, (path, response.status)
        answer = json.loads(response.read())
    assert answer["success"] is True, (path, answer)
    return answer


def require(condition, what):
    if not condition:
        raise AssertionError(what)


# List all recordings; filter by instance; filter by status.
listing = call("GET", "/api/v1/recordings/")
require(listing["count"] == len(listing["recordings"]) >= 1, "count is the number of recordings listed")
for recording in listing["recordings"]:
    for field, kind in [("recording_id", str), ("instance_id", int), ("strategy_name", str), ("status", str),
                        ("recording_start_time", str), ("total_bars_recorded", int),
                        ("total_events_recorded", int), ("original_trades", int), ("original_pnl", (int, float)),
                        ("original_win_rate", (int, float))]:
        require(isinstance(recording[field], kind), f"{field} is {kind}")
    require("recording_end_time" in recording, "recording_end_time")
mine = call("GET", f"/api/v1/recordings/?instance_id={INSTANCE_ID}")
require(all(r["instance_id"] == INSTANCE_ID for r in mine["recordings"]), "instance filter")
require(RECORDING_ID in [r["recording_id"] for r in mine["recordings"]], "the instance's recording is listed")
completed = call("GET", "/api/v1/recordings/?status=completed")
require(all(r["status"] == "completed" for r in completed["recordings"]), "status filter")

# Recording details.
detail = call("GET", f"/api/v1/recordings/{RECORDING_ID}")["recording"]
require(detail["recording_id"] == RECORDING_ID, "the recording asked for")
require(isinstance(detail["original_parameters"], dict), "original_parameters is an object")
require(isinstance(detail["event_counts"], dict) and detail["event_counts"].get("SIGNAL_DETECTED", 0) > 0,
        "event_counts by type")
require(isinstance(detail["replays"], list), "replays")
require("session_id" in detail, "session_id")

# Events, filtered by type; market data, filtered by symbol.
events = call("GET", f"/api/v1/recordings/{RECORDING_ID}/events")
signals = call("GET", f"/api/v1/recordings/{RECORDING_ID}/events?event_type=SIGNAL_DETECTED")
require(all(e["event_type"] == "SIGNAL_DETECTED" for e in signals["events"]), "event_type filter")
for event in signals["events"]:
    for part in ("event_data", "decision_metadata", "market_state"):
        require(isinstance(event[part], dict), f"each event includes {part}")
require(len(events["events"]) >= len(signals["events"]), "more events than signals")
market = call("GET", f"/api/v1/recordings/{RECORDING_ID}/market-data")
symbol = market["market_data"][0]["symbol"]
bars = call("GET", f"/api/v1/recordings/{RECORDING_ID}/market-data?symbol={symbol}")
for bar in bars["market_data"]:
    require(bar["symbol"] == symbol, "symbol filter")
    for field in ("timestamp", "open", "high", "low", "close", "volume", "indicators"):
        require(field in bar, field)

# Replay with modified parameters (the documented request body), then find it again.
replay = call("POST", f"/api/v1/recordings/{RECORDING_ID}/replay",
              {"modified_parameters": {"rsi_threshold": 25, "bb_std": 2.0, "position_size": 15},
               "description": "Testing lower RSI threshold"})
for field, kind in [("replay_id", str), ("recording_id", str), ("total_trades", int), ("total_pnl", (int, float)),
                    ("win_rate", (int, float))]:
    require(isinstance(replay[field], kind), f"replay {field}")
comparison = replay["comparison"]
for field in ("trades_diff", "pnl_diff", "win_rate_diff", "original_trades", "replay_trades", "original_pnl",
              "replay_pnl", "original_win_rate", "replay_win_rate"):
    require(field in comparison, f"comparison {field}")
require(comparison["trades_diff"] == replay["total_trades"] - comparison["original_trades"], "trades_diff")
require(abs(comparison["pnl_diff"] - (replay["total_pnl"] - comparison["original_pnl"])) < 1e-6, "pnl_diff")
for position in replay["positions"]:
    for field in ("symbol", "entry_price", "exit_price", "pnl", "pnl_pct", "exit_reason"):
        require(field in position, f"position {field}")
replays = call("GET", f"/api/v1/recordings/{RECORDING_ID}/replays")
require(replay["replay_id"] in [r["replay_id"] for r in replays["replays"]], "the replay is listed")
again = call("GET", f"/api/v1/replays/{replay['replay_id']}")
require(again["total_pnl"] == replay["total_pnl"], "the stored replay")

# The instance's active recording (none is being written here).
active = call("GET", f"/api/v1/recordings/instances/{INSTANCE_ID}/active-recording")
require("recording" in active, "active-recording answers")
print("original client: every documented request answered as documented")
