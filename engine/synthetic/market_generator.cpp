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

// Produces the bar timestamps of the trading calendar described in the header.
class SessionClock {
  public:
    SessionClock(TimestampNs start_ns, TimestampNs interval_ns) : interval_ns_(interval_ns) {
        day_ = start_ns / kNsPerDay;
        daily_ = interval_ns >= kNsPerDay;
        // Intraday: offset_ is the close of the last bar stamped, starting from the session open.
        offset_ = daily_ ? kSessionCloseNs : std::clamp(start_ns % kNsPerDay, kSessionOpenNs, kSessionCloseNs);
        while (!is_weekday(day_)) ++day_;
    }

    // The next bar's close; UserError once the calendar runs past what a timestamp holds.
    TimestampNs next() {
        if (daily_) {
            const TimestampNs timestamp = stamp();
            do ++day_;
            while (!is_weekday(day_));
            return timestamp;
        }
        if (offset_ + interval_ns_ > kSessionCloseNs) {
            do ++day_;
            while (!is_weekday(day_));
            offset_ = kSessionOpenNs;
        }
        offset_ += interval_ns_;  // a bar is stamped at its close
        return stamp();
    }

  private:
    TimestampNs stamp() const {
        const auto midnight = checked_multiply(day_, kNsPerDay);
        const auto timestamp = midnight ? checked_add(*midnight, offset_) : std::nullopt;
        if (!timestamp)
            throw UserError(std::string("--bars with --start and --interval: the bars run past the last time a "
                                        "recording can hold (") +
                            kTimestampRange + "); give fewer bars or an earlier start");
        return *timestamp;
    }

  public:
  private:
    TimestampNs interval_ns_;
    std::int64_t day_ = 0;
    TimestampNs offset_ = 0;
    bool daily_ = false;
};

struct Regime {
    double volatility;  // standard deviation of the log return per bar
    double leave_probability;
};

}  // namespace

std::string synthetic_symbol_name(std::size_t index, std::size_t count) {
    int width = 2;
    for (std::size_t limit = 100; count > limit; limit *= 10) ++width;
    char name[32];
    std::snprintf(name, sizeof name, "SYN%0*zu", width, index);
    return name;
}

Recording generate_market(const MarketGeneratorOptions& options) {
    if (options.symbols == 0) throw UserError("--symbols: expected at least 1, found 0");
    if (options.bars == 0) throw UserError("--bars: expected at least 1, found 0");
    if (options.interval_ns <= 0) throw UserError("--interval: expected a positive bar interval");
    // The columns of every symbol (7 of 8 bytes a bar), refused before allocating what cannot fit.
    const double bytes = static_cast<double>(options.symbols) * static_cast<double>(options.bars) * 7.0 * 8.0;
    const std::uint64_t memory = physical_memory_bytes();
    if (memory > 0 && bytes > static_cast<double>(memory))
        throw UserError(
            fmt::format("--symbols {} x --bars {}: the market would need {} of memory, and this machine "
                        "has {}; generate fewer bars",
                        options.symbols, options.bars, human_bytes(bytes), human_bytes(static_cast<double>(memory))));
    const TimestampNs start_ns = options.start_ns != 0 ? options.start_ns : days_from_civil(2024, 1, 2) * kNsPerDay;

    Recording recording;
    RecordingInfo& info = recording.info;
    info.recording_id = make_uuid_v4();
    info.session_id = "synthetic-seed-" + std::to_string(options.seed);
    info.status = RecordingStatus::kCompleted;
    info.recording_start_time_ns = now_ns();
    info.recording_end_time_ns = info.recording_start_time_ns;
    info.description = "synthetic market: seed " + std::to_string(options.seed) + ", " +
                       std::to_string(options.symbols) + " symbols x " + std::to_string(options.bars) + " bars";
    info.tags = {"synthetic"};
    info.created_by = std::string("tapegrid ") + kVersion;

    // Scaled so that a bar's volatility is comparable whatever the interval.
    const double interval_minutes = static_cast<double>(options.interval_ns) / static_cast<double>(kNsPerMinute);
    const double scale = std::sqrt(std::min(interval_minutes, 390.0));
    const Regime regimes[2] = {{0.0007 * scale, 0.002}, {0.0022 * scale, 0.01}};

    SessionClock clock(start_ns, options.interval_ns);
    std::vector<TimestampNs> timestamps(options.bars);
    for (auto& timestamp : timestamps) timestamp = clock.next();

    recording.bars.resize(options.symbols);
    for (std::size_t s = 0; s < options.symbols; ++s) {
        Xoshiro256 random(options.seed * 0x100000001B3ULL + s);
        SymbolBars& bars = recording.bars[s];
        bars.symbol = synthetic_symbol_name(s, options.symbols);
        info.symbols.push_back(bars.symbol);
        bars.timestamp_ns = timestamps;
        bars.open.resize(options.bars);
        bars.high.resize(options.bars);
        bars.low.resize(options.bars);
        bars.close.resize(options.bars);
        bars.volume.resize(options.bars);
        bars.sequence.resize(options.bars);
        double log_price = std::log(20.0 + 180.0 * random.uniform());
        double anchor = log_price;  // the level prices revert to, itself drifting slowly
        int regime = 0;
        const double base_volume = 5'000.0 + 50'000.0 * random.uniform();
        for (std::size_t i = 0; i < options.bars; ++i) {
            if (random.uniform() < regimes[regime].leave_probability) regime = 1 - regime;
            const double sigma = regimes[regime].volatility;
            anchor += 0.05 * sigma * random.normal();
            const double open = std::exp(log_price + 0.1 * sigma * random.normal());
            log_price += -0.002 * (log_price - anchor) + sigma * random.normal();
            const double close = std::exp(log_price);
            const double high = std::max(open, close) * std::exp(0.5 * sigma * std::abs(random.normal()));
            const double low = std::min(open, close) * std::exp(-0.5 * sigma * std::abs(random.normal()));
            bars.open[i] = open;
            bars.high[i] = high;
            bars.low[i] = low;
            bars.close[i] = close;
            bars.volume[i] = std::round(base_volume * (regime == 1 ? 2.0 : 1.0) * std::exp(0.4 * random.normal()));
            bars.sequence[i] = static_cast<std::int64_t>(i * options.symbols + s);
        }
    }
    info.total_bars_recorded = static_cast<std::int64_t>(options.symbols * options.bars);
    return recording;
}

}  // namespace tapegrid
