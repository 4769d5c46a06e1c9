"""The original system's recording example (docs/PYTHON.md), run against tapegrid.

Only the imports and the recorder's first argument changed: the database session became a store
directory (here ./recordings, or $TAPEGRID_STORE when set). Run it with the module on the path:

    PYTHONPATH=build/python python3 examples/record_session.py
"""
import os
from datetime import datetime

from tapegrid import SessionRecorder

# Initialize recorder
recorder = SessionRecorder(
    store=os.environ.get("TAPEGRID_STORE", "recordings"),
    trading_session_id="your-session-id",
    instance_id=1,
    strategy_name="Mean Reversion",
    strategy_parameters={
        'rsi_threshold': 30,
        'bb_std': 2.5,
        'position_size': 10,
    },
    symbols=['AAPL', 'MSFT', 'GOOGL'],
)

# During trading loop, record market data
recorder.record_market_data(
    symbol='AAPL',
    timestamp=datetime.now(),
    open_price=150.0,
    high=151.0,
    low=149.5,
    close=150.5,
    volume=1000000,
    indicators={'rsi': 28.5, 'bb_lower': 148.0, 'bb_upper': 152.0}
)

# Record signal detection
recorder.record_signal_detected(
    symbol='AAPL',
    signal_type='MEAN_REVERSION',
    entry_price=150.5,
    stop_loss=149.0,
    take_profit=151.5,
    indicators={'rsi': 28.5, 'bb_lower': 148.0},
    signal_strength=0.85,
    reasoning='Price below BB lower band with oversold RSI'
)

# Record position events
recorder.record_position_opened(
    symbol='AAPL',
    entry_price=150.5,
    quantity=10,
    direction='LONG',
    stop_loss=149.0,
    take_profit=151.5,
)

# Stop recording when done
recorder.stop_recording(
    description='Morning session with high volatility',
    tags=['high_volatility', 'morning_session']
)

print(f"recorded {recorder.recording_id} in {recorder.path}")
