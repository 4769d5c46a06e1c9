// Walk-forward validation's folds: window lengths as a config writes them, and the train/test index
// ranges they cut from a portfolio's union timeline.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tapegrid {

// A walk-forward window length: a calendar duration or a count of timeline timestamps ("bars").
struct WindowLength {
    enum class Unit { kBars, kMinutes, kHours, kDays, kWeeks, kMonths, kYears };
    Unit unit = Unit::kBars;
    std::int64_t amount = 0;  // > 0
    std::string text;         // as written, for messages ("2y", "500")
};

// Parses "500" (bars), "90m" (minutes), "12h", "30d", "2w", "6M" (months: capital M), "2y": a whole
// number > 0 and at most one unit letter, nothing else (no sign, space or fraction). A duration may
// span at most 106751 days or 292 years, what an int64 count of nanoseconds holds. Throws UserError
// saying what was expected and what was found (empty, zero or negative, unknown unit, trailing text,
// overflow); the caller prefixes where the text came from.
WindowLength parse_window_length(std::string_view text);

// The same from a TOML integer: a bar count, which must be > 0 (UserError otherwise).
WindowLength bar_count(std::int64_t bars);

// "6 months", "1 month", "500 bars", "90 minutes": for messages.
std::string describe(const WindowLength& length);

// timestamp + length: calendar arithmetic in UTC for months and years (add months to the civil date
// and clamp the day to the month's last day, keeping the time of day: Jan 31 + 1M = Feb 28/29;
// Feb 29 2024 + 1y = Feb 28 2025), fixed nanoseconds for minutes..weeks. A result past the int64
// range is INT64_MAX: later than any data, so a window that reaches it is never complete. Not defined
// for kBars (InternalError: a bar count has no duration; count timestamps instead).
std::int64_t advance(std::int64_t timestamp_ns, const WindowLength& length);

enum class WalkForwardMode { kRolling, kAnchored };

// "rolling" or "anchored"; UserError naming both and the text otherwise.
WalkForwardMode parse_walk_forward_mode(std::string_view text);
const char* walk_forward_mode_name(WalkForwardMode mode);

struct WalkForwardSpec {
    WindowLength train, test, step;  // step defaults to test when not given (the caller does that)
    WalkForwardMode mode = WalkForwardMode::kRolling;
};

struct Fold {
    std::size_t train_begin = 0, train_end = 0;  // timeline indices [begin, end)
    std::size_t test_begin = 0, test_end = 0;    // test_begin == train_end

    bool operator==(const Fold&) const = default;
};

// The folds over `timeline` (sorted, distinct timestamps in ns), in time order.
//
// Where fold k starts: s_k = the first timestamp + k * step for a duration step, or the timestamp at
// index k * step for a bar step. Rolling: fold k trains on [s_k, s_k + train) and tests on
// [s_k + train, s_k + train + test). Anchored: the same folds, but each train window starts at index
// 0. A duration window holds the timestamps t with start <= t < end (lower_bound on the timeline); a
// bar window counts timestamps from its start, and a duration window that follows a bar window starts
// at the first timestamp after it.
// Months and years in a row are added up before they go onto the civil date: with step, train and
// test all in months or years, every boundary is the first timestamp + a number of months, so month
// ends do not drift (from Jan 31 with 1M windows the boundaries are Feb 28, Mar 31, Apr 30, not
// Feb 28, Mar 28, Apr 28) and with step = test consecutive test windows meet exactly. Minutes..weeks
// are applied in order with the months before them (s_k + 6M + 30d is (s_k + 6M) + 30d).
//
// Only complete folds are made; the first fold that is not complete ends the list:
//   - bar windows: the timeline must hold all their timestamps (the test window ends at or before
//     size());
//   - a duration test window [a, b) is complete when b <= last + the longest gap between consecutive
//     timestamps inside the fold (rolling train window and test window together), or last + 1 ns
//     when the fold holds a single timestamp. The last timestamp stands for the stretch up to the
//     next one, which the recording never saw; a stretch without data no longer than one the fold
//     already holds (a day for daily bars, a weekend for business days, a night for intraday bars)
//     counts as quiet, a longer one as missing. So a year of daily bars 2023-01-01 .. 2023-12-31
//     with train 6M, test 3M, step 3M gives 2 folds (the second tests [Oct 1, Jan 1 2024)), business
//     days ending on a Friday hold a window that ends the next Monday, and a recording that stops two
//     weeks before a window's end does not hold it.
// A complete fold whose train or test window holds no timestamp (a gap in the data) is skipped, and
// the folds after it are still made. An empty timeline, or a train window longer than the data,
// gives no folds.
std::vector<Fold> make_folds(std::span<const std::int64_t> timeline, const WalkForwardSpec& spec);

}  // namespace tapegrid
