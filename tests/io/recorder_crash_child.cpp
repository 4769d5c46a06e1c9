// A recording process for the crash test: records known bars and events until it is killed,
// printing "flushed BARS EVENTS" after each flush so that the test knows what must survive.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "io/hdf5/session_recorder.h"
#include "tests/io/crash_test_data.h"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: recorder_crash_child FILE RECORDS_PER_FLUSH\n");
        return 2;
    }
    using namespace tapegrid;
    const std::size_t per_flush = std::strtoul(argv[2], nullptr, 10);
    SessionRecorder recorder(argv[1], "crash-test", 42, "mean_reversion", {{"rsi_threshold", 30}},
                             {crash_test::symbol(0), crash_test::symbol(1)},
                             FlushPolicy{.every_records = per_flush, .every = std::chrono::milliseconds(0)});
    std::size_t records = 0, bars = 0, events = 0;
    for (std::size_t i = 0; i < crash_test::kMaxBarsPerSymbol; ++i) {
        for (int s = 0; s < 2; ++s) {
            const crash_test::Bar bar = crash_test::bar(s, i);
            recorder.record_market_data(crash_test::symbol(s), bar.timestamp_ns, bar.open, bar.high, bar.low, bar.close,
                                        bar.volume, {{"rsi", bar.rsi}});
            ++bars;
            if (++records % per_flush == 0) std::printf("flushed %zu %zu\n", bars, events), std::fflush(stdout);
        }
        if (i % 10 == 0) {
            recorder.record_event("SIGNAL_DETECTED", crash_test::symbol(0), crash_test::bar(0, i).timestamp_ns,
                                  {{"bar", i}}, {{"reasoning", "crash test"}});
            ++events;
            if (++records % per_flush == 0) std::printf("flushed %zu %zu\n", bars, events), std::fflush(stdout);
        }
    }
    recorder.stop_recording("not killed in time");
    std::printf("done\n");
    return 0;
}
