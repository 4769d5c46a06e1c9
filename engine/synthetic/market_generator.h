// Seeded synthetic market data: random walks with volatility regimes, for tests, demos and benchmarks.
#pragma once

#include <cstdint>
#include <string>

#include "engine/core/random.h"
#include "engine/core/recording.h"

namespace tapegrid {

struct MarketGeneratorOptions {
    std::size_t symbols = 10;
    std::size_t bars = 100'000;  // per symbol
    std::uint64_t seed = 42;
    TimestampNs interval_ns = kNsPerMinute;
    TimestampNs start_ns = 0;  // 0: 2024-01-02, the first session of 2024
};

// The recording's metadata (a fresh recording_id, the symbols' names, the bar count); no bars.
// UserError for options that cannot make a market.
RecordingInfo synthetic_market_info(const MarketGeneratorOptions& options);

// One symbol's bars, produced a batch at a time: a market of any length in bounded memory. The
// batches put together are exactly the bars generate_market() gives that symbol.
class SymbolBarStream {
  public:
    SymbolBarStream(const MarketGeneratorOptions& options, std::size_t symbol);

    // Replaces `batch`'s rows with the next up to `rows` bars (none once all are out; its
    // columns keep their capacity, so a reused batch allocates nothing). False when done.
    bool next(std::size_t rows, SymbolBars& batch);

  private:
    struct Regime {
        double volatility;  // standard deviation of the log return per bar
        double leave_probability;
    };
    struct Clock {
        TimestampNs interval_ns;
        std::int64_t day;
        TimestampNs offset;
        bool daily;
        TimestampNs next();
    };

    std::size_t symbol_;
    std::size_t symbols_;
    std::size_t bars_;
    std::size_t produced_ = 0;
    Clock clock_;
    Xoshiro256 random_;
    Regime regimes_[2];
    double log_price_;
    double anchor_;  // the level prices revert to, itself drifting slowly
    int regime_ = 0;
    double base_volume_;
    std::string name_;
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
