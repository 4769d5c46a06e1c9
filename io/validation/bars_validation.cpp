// Bar validation: a branch-free pass over the columns, then a precise message for the first bad row.
#include "io/validation/bars_validation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/core/errors.h"

namespace tapegrid {

namespace {

constexpr double kMaxFinite = std::numeric_limits<double>::max();

// True for a finite number > 0; written without std::isfinite so that the loop vectorises.
inline bool finite_positive(double x) {
    return x > 0.0 && x <= kMaxFinite;
}

inline bool row_is_good(double open, double high, double low, double close, double volume) {
    return finite_positive(open) & finite_positive(high) & finite_positive(low) & finite_positive(close) &
           (volume >= 0.0) & (volume <= kMaxFinite) & (low <= open) & (open <= high) & (low <= close) & (close <= high);
}

std::string price_problem(const char* name, double value) {
    return fmt::format("{}: expected a finite positive price, found {}", name, value);
}

}  // namespace

std::optional<std::string> check_bar(TimestampNs previous_timestamp_ns, bool has_previous, TimestampNs timestamp_ns,
                                     double open, double high, double low, double close, double volume) {
    if (!finite_positive(open)) return price_problem("open", open);
    if (!finite_positive(high)) return price_problem("high", high);
    if (!finite_positive(low)) return price_problem("low", low);
    if (!finite_positive(close)) return price_problem("close", close);
    if (!(volume >= 0.0 && volume <= kMaxFinite))
        return fmt::format("volume: expected a finite number >= 0, found {}", volume);
    if (high < low) return fmt::format("expected low <= high, found low {} > high {}", low, high);
    if (!(low <= open && open <= high))
        return fmt::format("expected low <= open <= high, found low {}, open {}, high {}", low, open, high);
    if (!(low <= close && close <= high))
        return fmt::format("expected low <= close <= high, found low {}, close {}, high {}", low, close, high);
    if (has_previous && timestamp_ns == previous_timestamp_ns)
        return fmt::format("duplicated timestamp {} (timestamps must strictly increase)", format_iso8601(timestamp_ns));
    if (has_previous && timestamp_ns < previous_timestamp_ns)
        return fmt::format("timestamp {} is before the previous bar's {} (timestamps must strictly increase)",
                           format_iso8601(timestamp_ns), format_iso8601(previous_timestamp_ns));
    return std::nullopt;
}

std::string describe_bad_bar(const SymbolBars& bars, std::size_t row) {
    const auto problem = check_bar(row > 0 ? bars.timestamp_ns[row - 1] : 0, row > 0, bars.timestamp_ns[row],
                                   bars.open[row], bars.high[row], bars.low[row], bars.close[row], bars.volume[row]);
    return problem.value_or("");
}

void validate_bars(const SymbolBars& bars, const std::string& where) {
    BarBatchValidator(where).check(bars);
}

void BarBatchValidator::check(const SymbolBars& batch) {
    check_lengths(batch);
    check_sequences(batch);
    check_rows(batch);
    if (batch.size() > 0) {
        last_timestamp_ns_ = batch.timestamp_ns.back();
        last_sequence_ = batch.sequence.back();
    }
    rows_ += batch.size();
}

void BarBatchValidator::check_lengths(const SymbolBars& batch) const {
    const std::size_t rows = batch.timestamp_ns.size();
    const auto check_length = [&](std::size_t size, const std::string& column) {
        if (size != rows)
            throw UserError(
                fmt::format("{}/{}: expected {} rows like the timestamp column, found {}", where_, column, rows, size));
    };
    check_length(batch.open.size(), "open");
    check_length(batch.high.size(), "high");
    check_length(batch.low.size(), "low");
    check_length(batch.close.size(), "close");
    check_length(batch.volume.size(), "volume");
    check_length(batch.sequence.size(), "sequence");
    for (const auto& indicator : batch.indicators)
        check_length(indicator.values.size(), "indicators/" + indicator.name);
}

// Sequence numbers place a bar in the recording's stream: >= 0, increasing within a symbol.
void BarBatchValidator::check_sequences(const SymbolBars& batch) const {
    const std::size_t rows = batch.size();
    const std::int64_t* sequence = batch.sequence.data();
    // The row before the batch's first is the last of the batch before (-1: none, so >= 0).
    bool ordered = rows == 0 || sequence[0] > last_sequence_;
    for (std::size_t i = 1; i < rows; ++i) ordered &= sequence[i] > sequence[i - 1];
    if (ordered) return;
    for (std::size_t i = 0; i < rows; ++i) {
        const std::int64_t previous = i > 0 ? sequence[i - 1] : last_sequence_;
        const bool has_previous = i > 0 || rows_ > 0;
        if (sequence[i] < 0 || (has_previous && sequence[i] <= previous))
            throw UserError(
                fmt::format("{}/sequence: row {}: expected sequence numbers >= 0 that increase, found {} after {}",
                            where_, rows_ + i, sequence[i], has_previous ? previous : -1));
    }
}

// Blocks of rows are checked without branches; only a block with a bad row is searched.
void BarBatchValidator::check_rows(const SymbolBars& batch) const {
    const std::size_t rows = batch.size();
    const TimestampNs* time = batch.timestamp_ns.data();
    constexpr std::size_t kBlock = 1024;
    for (std::size_t begin = 0; begin < rows; begin += kBlock) {
        const std::size_t end = std::min(rows, begin + kBlock);
        bool good = begin > 0 || rows_ == 0 || time[0] > last_timestamp_ns_;
        for (std::size_t i = begin; i < end; ++i)
            good &= row_is_good(batch.open[i], batch.high[i], batch.low[i], batch.close[i], batch.volume[i]);
        for (std::size_t i = std::max<std::size_t>(begin, 1); i < end; ++i) good &= time[i] > time[i - 1];
        if (good) continue;
        for (std::size_t i = begin; i < end; ++i) {
            const bool has_previous = i > 0 || rows_ > 0;
            const auto problem = check_bar(i > 0 ? time[i - 1] : last_timestamp_ns_, has_previous, time[i],
                                           batch.open[i], batch.high[i], batch.low[i], batch.close[i], batch.volume[i]);
            if (problem)
                throw UserError(
                    fmt::format("{}: row {} ({}): {}", where_, rows_ + i, format_iso8601(time[i]), *problem));
        }
    }
}

}  // namespace tapegrid
