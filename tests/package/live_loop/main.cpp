// The README's "Recording from a live loop (C++)", as a program of its own: records two bars, a
// signal and a position into the store named by argv[1], and prints the recording's id.
#include <cstdint>
#include <iostream>

#include "io/hdf5/session_recorder.h"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: live_loop STORE_DIRECTORY\n";
        return 2;
    }
    const std::int64_t t = 1'704'205'800'000'000'000;  // 2024-01-02 14:30 UTC, in nanoseconds
    const std::int64_t minute = 60'000'000'000;
    tapegrid::SessionRecorder recorder(argv[1], "session-1", /*instance_id=*/1, "mean_reversion",
                                       {{"rsi_threshold", 30}, {"bb_std", 2.5}}, {"AAPL", "MSFT"});
    recorder.record_market_data("AAPL", t, 150.0, 151.0, 149.5, 150.5, 1e6, {{"rsi", 28.5}, {"bb_lower", 148.0}});
    recorder.record_market_data("AAPL", t + minute, 150.5, 151.5, 150.0, 151.0, 2e6, {{"rsi", 31.0}});
    recorder.record_signal_detected("AAPL", t, "MEAN_REVERSION", 150.5, 149.0, 151.5, {{"rsi", 28.5}}, 0.85,
                                    "Price below BB lower band with oversold RSI");
    recorder.record_position_opened("AAPL", t, 150.5, 10, "LONG", 149.0, 151.5);
    recorder.update_summary_stats(/*trades=*/5, /*pnl=*/125.5, /*win_rate=*/80.0);
    recorder.stop_recording("Morning session with high volatility", {"high_volatility"});
    std::cout << recorder.recording_id() << '\n';
    return 0;
}
