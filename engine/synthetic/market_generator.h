// Seeded synthetic market data: random walks with volatility regimes, for tests, demos and benchmarks.
#pragma once

#include <cstdint>
#include <string>

#include "engine/core/recording.h"

namespace tapegrid {

struct MarketGeneratorOptions {
    std::size_t symbols = 10;
    std::size_t bars = 100'000;  // per symbol
    std::uint64_t seed = 42;
    TimestampNs interval_ns = kNsPerMinute;
    TimestampNs start_ns = 0;  // 0: 2024-01-02, the first session of 2024
};

// Bars follow a trading calendar: weekdays only; intraday intervals fill the 14:30-21:00 UTC
// session (09:30-16:00 New York in winter), daily bars sit at 21:00 UTC. Log prices follow a
// mean-reverting random walk whose volatility switches between a calm and a volatile regime
// (a two-state Markov chain), so strategies meet both quiet and stormy stretches. The same
// options always give the same bars, bit for bit.
Recording generate_market(const MarketGeneratorOptions& options);

// "SYN00", "SYN01", ...: symbol names of a generated recording.
std::string synthetic_symbol_name(std::size_t index, std::size_t count);

}  // namespace tapegrid
