// The bars the crash-test child records: a pure function of (symbol, index), so the test can check each row.
#pragma once

#include <string>

#include "engine/core/timestamp.h"

namespace tapegrid::crash_test {

inline constexpr std::size_t kMaxBarsPerSymbol = 20'000'000;

struct Bar {
    TimestampNs timestamp_ns;
    double open, high, low, close, volume, rsi;
};

inline std::string symbol(int index) {
    return index == 0 ? "AAA" : "BBB";
}

inline Bar bar(int symbol_index, std::size_t i) {
    const double close = 100.0 + symbol_index + static_cast<double>(i % 1000) * 0.01;
    return {1'704'205'800'000'000'000 + static_cast<TimestampNs>(i) * kNsPerSecond,
            close - 0.005,
            close + 0.01,
            close - 0.02,
            close,
            static_cast<double>(i),
            static_cast<double>(i % 100)};
}

}  // namespace tapegrid::crash_test
