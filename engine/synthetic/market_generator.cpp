// The synthetic market generator.
#include "engine/synthetic/market_generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/core/errors.h"
#include "engine/core/random.h"
#include "engine/core/system_memory.h"
#include "engine/core/uuid.h"
#include "engine/core/version.h"

namespace tapegrid {

namespace {

constexpr TimestampNs kSessionOpenNs = 14 * kNsPerHour + 30 * kNsPerMinute;  // 14:30 UTC
constexpr TimestampNs kSessionCloseNs = 21 * kNsPerHour;                     // 21:00 UTC

bool is_weekday(std::int64_t days_since_epoch) {
    const std::int64_t weekday = (days_since_epoch + 3) % 7;  // 1970-01-01 was a Thursday; 0 = Monday
    return weekday < 5;
}

}  // namespace

std::string synthetic_symbol_name(std::size_t index, std::size_t count) {
    int width = 2;
    for (std::size_t limit = 100; count > limit; limit *= 10) ++width;
    char name[32];
    std::snprintf(name, sizeof name, "SYN%0*zu", width, index);
    return name;
}

// The calendar described in the header: intraday, `offset` is the close of the last bar
// stamped, starting from the session open.
TimestampNs SymbolBarStream::Clock::next() {
    const auto stamp = [&] {
        const auto midnight = checked_multiply(day, kNsPerDay);
        const auto timestamp = midnight ? checked_add(*midnight, offset) : std::nullopt;
        if (!timestamp)
            throw UserError(std::string("--bars with --start and --interval: the bars run past the last time a "
                                        "recording can hold (") +
                            kTimestampRange + "); give fewer bars or an earlier start");
        return *timestamp;
    };
    if (daily) {
        const TimestampNs timestamp = stamp();
        do ++day;
        while (!is_weekday(day));
        return timestamp;
    }
    if (offset + interval_ns > kSessionCloseNs) {
        do ++day;
        while (!is_weekday(day));
        offset = kSessionOpenNs;
    }
    offset += interval_ns;  // a bar is stamped at its close
    return stamp();
}

RecordingInfo synthetic_market_info(const MarketGeneratorOptions& options) {
    if (options.symbols == 0) throw UserError("--symbols: expected at least 1, found 0");
    if (options.bars == 0) throw UserError("--bars: expected at least 1, found 0");
    if (options.interval_ns <= 0) throw UserError("--interval: expected a positive bar interval");
    if (options.bars > static_cast<std::size_t>(INT64_MAX) / options.symbols)
        throw UserError(
            fmt::format("--symbols {} x --bars {}: more bars than a recording counts", options.symbols, options.bars));
    RecordingInfo info;
    info.recording_id = make_uuid_v4();
    info.session_id = "synthetic-seed-" + std::to_string(options.seed);
    info.status = RecordingStatus::kCompleted;
    info.recording_start_time_ns = now_ns();
    info.recording_end_time_ns = info.recording_start_time_ns;
    info.description = "synthetic market: seed " + std::to_string(options.seed) + ", " +
                       std::to_string(options.symbols) + " symbols x " + std::to_string(options.bars) + " bars";
    info.tags = {"synthetic"};
    info.created_by = std::string("tapegrid ") + kVersion;
    for (std::size_t s = 0; s < options.symbols; ++s) info.symbols.push_back(synthetic_symbol_name(s, options.symbols));
    info.total_bars_recorded = static_cast<std::int64_t>(options.symbols * options.bars);
    return info;
}

SymbolBarStream::SymbolBarStream(const MarketGeneratorOptions& options, std::size_t symbol)
    : symbol_(symbol),
      symbols_(options.symbols),
      bars_(options.bars),
      random_(options.seed * 0x100000001B3ULL + symbol),
      name_(synthetic_symbol_name(symbol, options.symbols)) {
    const TimestampNs start_ns = options.start_ns != 0 ? options.start_ns : days_from_civil(2024, 1, 2) * kNsPerDay;
    clock_.interval_ns = options.interval_ns;
    clock_.day = start_ns / kNsPerDay;
    clock_.daily = options.interval_ns >= kNsPerDay;
    clock_.offset = clock_.daily ? kSessionCloseNs : std::clamp(start_ns % kNsPerDay, kSessionOpenNs, kSessionCloseNs);
    while (!is_weekday(clock_.day)) ++clock_.day;
    // Scaled so that a bar's volatility is comparable whatever the interval.
    const double interval_minutes = static_cast<double>(options.interval_ns) / static_cast<double>(kNsPerMinute);
    const double scale = std::sqrt(std::min(interval_minutes, 390.0));
    regimes_[0] = {0.0007 * scale, 0.002};
    regimes_[1] = {0.0022 * scale, 0.01};
    log_price_ = std::log(20.0 + 180.0 * random_.uniform());
    anchor_ = log_price_;
    base_volume_ = 5'000.0 + 50'000.0 * random_.uniform();
}

bool SymbolBarStream::next(std::size_t rows, SymbolBars& batch) {
    const std::size_t count = std::min(rows, bars_ - produced_);
    batch.symbol = name_;
    batch.indicators.clear();
    batch.timestamp_ns.resize(count);
    batch.open.resize(count);
    batch.high.resize(count);
    batch.low.resize(count);
    batch.close.resize(count);
    batch.volume.resize(count);
    batch.sequence.resize(count);
    for (std::size_t k = 0; k < count; ++k) {
        const std::size_t i = produced_ + k;
        batch.timestamp_ns[k] = clock_.next();
        if (random_.uniform() < regimes_[regime_].leave_probability) regime_ = 1 - regime_;
        const double sigma = regimes_[regime_].volatility;
        anchor_ += 0.05 * sigma * random_.normal();
        const double open = std::exp(log_price_ + 0.1 * sigma * random_.normal());
        log_price_ += -0.002 * (log_price_ - anchor_) + sigma * random_.normal();
        const double close = std::exp(log_price_);
        const double high = std::max(open, close) * std::exp(0.5 * sigma * std::abs(random_.normal()));
        const double low = std::min(open, close) * std::exp(-0.5 * sigma * std::abs(random_.normal()));
        batch.open[k] = open;
        batch.high[k] = high;
        batch.low[k] = low;
        batch.close[k] = close;
        batch.volume[k] = std::round(base_volume_ * (regime_ == 1 ? 2.0 : 1.0) * std::exp(0.4 * random_.normal()));
        batch.sequence[k] = static_cast<std::int64_t>(i * symbols_ + symbol_);
    }
    produced_ += count;
    return count > 0;
}

Recording generate_market(const MarketGeneratorOptions& options) {
    Recording recording;
    recording.info = synthetic_market_info(options);
    // The columns of every symbol (7 of 8 bytes a bar), refused before allocating what cannot fit.
    const double bytes = static_cast<double>(options.symbols) * static_cast<double>(options.bars) * 7.0 * 8.0;
    const std::uint64_t memory = physical_memory_bytes();
    if (memory > 0 && bytes > static_cast<double>(memory))
        throw UserError(
            fmt::format("--symbols {} x --bars {}: the market would need {} of memory, and this machine "
                        "has {}; generate fewer bars",
                        options.symbols, options.bars, human_bytes(bytes), human_bytes(static_cast<double>(memory))));
    recording.bars.resize(options.symbols);
    for (std::size_t s = 0; s < options.symbols; ++s) {
        recording.bars[s].reserve(options.bars);
        SymbolBarStream(options, s).next(options.bars, recording.bars[s]);
    }
    return recording;
}

}  // namespace tapegrid
