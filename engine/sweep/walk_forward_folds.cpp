// Walk-forward window lengths, calendar arithmetic on them, and the folds they cut from a timeline.
#include "engine/sweep/walk_forward_folds.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <limits>
#include <optional>

#include "engine/core/errors.h"
#include "engine/core/printable.h"
#include "engine/core/timestamp.h"

namespace tapegrid {

namespace {

using Unit = WindowLength::Unit;
using Timeline = std::span<const std::int64_t>;

constexpr std::int64_t kLatest = std::numeric_limits<std::int64_t>::max();

// What an int64 count of nanoseconds spans: 106751 days, about 292 years. A calendar length is held
// to the same bound so that every length is one a timestamp difference can express.
constexpr std::int64_t kMaxDays = kLatest / kNsPerDay;
constexpr std::int64_t kMaxYears = 292;

constexpr const char* kExpected = "a bar count like 500 or a duration like 90m, 12h, 30d, 2w, 6M or 2y";
constexpr const char* kUnits = "m (minutes), h (hours), d (days), w (weeks), M (months) or y (years)";

std::optional<Unit> unit_of(char letter) {
    switch (letter) {
        case 'm':
            return Unit::kMinutes;
        case 'h':
            return Unit::kHours;
        case 'd':
            return Unit::kDays;
        case 'w':
            return Unit::kWeeks;
        case 'M':
            return Unit::kMonths;
        case 'y':
            return Unit::kYears;
        default:
            return std::nullopt;
    }
}

std::int64_t ns_per(Unit unit) {
    switch (unit) {
        case Unit::kMinutes:
            return kNsPerMinute;
        case Unit::kHours:
            return kNsPerHour;
        case Unit::kDays:
            return kNsPerDay;
        case Unit::kWeeks:
            return 7 * kNsPerDay;
        default:
            throw InternalError("walk-forward: months, years and bars have no fixed length in nanoseconds");
    }
}

// Whether `amount` of `unit` fits the span of an int64 count of nanoseconds.
bool fits(Unit unit, std::int64_t amount) {
    switch (unit) {
        case Unit::kBars:
            return true;
        case Unit::kMonths:
            return amount <= kMaxYears * 12;
        case Unit::kYears:
            return amount <= kMaxYears;
        default:
            return checked_multiply(amount, ns_per(unit)).has_value();
    }
}

[[noreturn]] void refuse(std::string_view text, const std::string& problem) {
    throw UserError(fmt::format("'{}': {}", printable(text), problem));
}

// The civil date `months` later, the day clamped to that month's last day, the time of day kept;
// INT64_MAX past the int64 range. `months` is at most a few thousand, well inside std::chrono::year.
std::int64_t add_months(std::int64_t timestamp_ns, std::int64_t months) {
    using namespace std::chrono;
    const sys_time<nanoseconds> time{nanoseconds{timestamp_ns}};
    const sys_days day = floor<days>(time);
    const std::int64_t ns_of_day = (time - day).count();
    const year_month_day date{day};
    const year_month target = year_month{date.year(), date.month()} + std::chrono::months{months};
    const std::chrono::day last_day = year_month_day_last{target.year(), month_day_last{target.month()}}.day();
    const year_month_day moved{target.year(), target.month(), std::min(date.day(), last_day)};
    const auto midnight = checked_multiply(sys_days{moved}.time_since_epoch().count(), kNsPerDay);
    if (!midnight) return kLatest;
    return checked_add(*midnight, ns_of_day).value_or(kLatest);
}

// A time reached from an anchor by walk-forward lengths taken in order. Months and years in a row
// add up and go onto the civil date once: Jan 31 + 1M + 1M is Mar 31, as Jan 31 + 2M is, where
// taking them one at a time would give Mar 28. So when step, train and test are all months or years,
// every boundary is the first timestamp plus a number of months: month ends do not drift from fold
// to fold, and with step = test the test windows meet exactly. A minutes..weeks length applies what
// is pending and moves the anchor; past the int64 range the time is INT64_MAX.
class CalendarTime {
  public:
    explicit CalendarTime(std::int64_t anchor_ns) : anchor_ns_(anchor_ns) {}

    static CalendarTime beyond() {
        CalendarTime time(kLatest);
        time.beyond_ = true;
        return time;
    }

    // Adds `count` times `length` (a duration, not a bar count).
    void add(const WindowLength& length, std::int64_t count) {
        if (beyond_) return;
        const auto amount = checked_multiply(length.amount, count);
        if (!amount) {
            beyond_ = true;
            return;
        }
        switch (length.unit) {
            case Unit::kBars:
                throw InternalError("walk-forward: a bar count has no duration; count timestamps instead");
            case Unit::kMonths:
            case Unit::kYears: {
                const auto months = length.unit == Unit::kYears ? checked_multiply(*amount, 12) : amount;
                const auto total = months ? checked_add(months_, *months) : std::nullopt;
                if (total) months_ = *total;
                beyond_ = !total;
                return;
            }
            default: {
                const auto span_ns = checked_multiply(*amount, ns_per(length.unit));
                const auto moved = span_ns ? checked_add(time_ns(), *span_ns) : std::nullopt;
                if (moved) anchor_ns_ = *moved;
                months_ = 0;
                beyond_ = !moved;
            }
        }
    }

    std::int64_t time_ns() const {
        // Past 600 years every result leaves the int64 range; stopping there also keeps
        // std::chrono::year (+-32767) far from overflowing.
        constexpr std::int64_t kMonthsPastAnyTimestamp = 600LL * 12;
        if (beyond_ || months_ > kMonthsPastAnyTimestamp) return kLatest;
        return months_ == 0 ? anchor_ns_ : add_months(anchor_ns_, months_);
    }

  private:
    std::int64_t anchor_ns_;
    std::int64_t months_ = 0;  // pending, not yet applied to anchor_ns_
    bool beyond_ = false;
};

// A window boundary: the index of the first timestamp at or after it, and the time it stands for,
// from which a duration window that follows is measured. A bar window's boundary stands for the
// timestamp at its index (beyond all data at size()).
struct Boundary {
    std::size_t index = 0;
    CalendarTime time;
};

Boundary boundary_at_index(Timeline timeline, std::size_t index) {
    return {index, index < timeline.size() ? CalendarTime(timeline[index]) : CalendarTime::beyond()};
}

Boundary boundary_at_time(Timeline timeline, const CalendarTime& time) {
    const auto found = std::lower_bound(timeline.begin(), timeline.end(), time.time_ns());
    return {static_cast<std::size_t>(found - timeline.begin()), time};
}

Boundary fold_start(Timeline timeline, const WindowLength& step, std::int64_t k) {
    if (step.unit != Unit::kBars) {
        CalendarTime start(timeline.front());
        start.add(step, k);
        return boundary_at_time(timeline, start);
    }
    const auto index = checked_multiply(step.amount, k);
    if (!index || static_cast<std::uint64_t>(*index) >= timeline.size())
        return boundary_at_index(timeline, timeline.size());
    return boundary_at_index(timeline, static_cast<std::size_t>(*index));
}

// Where a window of `length` that starts at `begin` ends; nothing when a bar window needs more
// timestamps than the timeline holds.
std::optional<Boundary> window_end(Timeline timeline, const Boundary& begin, const WindowLength& length) {
    if (length.unit != Unit::kBars) {
        CalendarTime end = begin.time;
        end.add(length, 1);
        return boundary_at_time(timeline, end);
    }
    if (static_cast<std::uint64_t>(length.amount) > timeline.size() - begin.index) return std::nullopt;
    return boundary_at_index(timeline, begin.index + static_cast<std::size_t>(length.amount));
}

// The longest gap between consecutive timestamps from `begin` to the end, or 1 ns when there are
// fewer than two. Unsigned subtraction: the gap of a timeline spanning more than 292 years still
// comes out right, then saturates.
std::int64_t longest_gap_from(Timeline timeline, std::size_t begin) {
    std::uint64_t longest = 1;
    for (std::size_t i = begin + 1; i < timeline.size(); ++i)
        longest =
            std::max(longest, static_cast<std::uint64_t>(timeline[i]) - static_cast<std::uint64_t>(timeline[i - 1]));
    return static_cast<std::int64_t>(std::min<std::uint64_t>(longest, kLatest));
}

// The completeness rule make_folds documents, for a duration test window ending at `test_end`, in a
// fold whose rolling train window starts at `fold_begin`.
bool timeline_holds(Timeline timeline, std::size_t fold_begin, const Boundary& test_end) {
    // A timestamp at or after the window's end: the data runs past it.
    if (test_end.index < timeline.size()) return true;
    const auto covered = checked_add(timeline.back(), longest_gap_from(timeline, fold_begin));
    return test_end.time.time_ns() <= covered.value_or(kLatest);
}

}  // namespace

WindowLength parse_window_length(std::string_view text) {
    if (text.empty()) throw UserError(fmt::format("expected {}, got an empty text", kExpected));
    if (text.front() == '-' || text.front() == '+')
        refuse(text,
               fmt::format("a walk-forward length must be a whole number > 0 without a sign; expected {}", kExpected));
    std::int64_t amount = 0;
    const char* const end = text.data() + text.size();
    const auto [rest, error] = std::from_chars(text.data(), end, amount);
    if (error == std::errc::invalid_argument) refuse(text, fmt::format("expected {}", kExpected));
    if (error == std::errc::result_out_of_range)
        refuse(text, fmt::format("the number overflows: a bar count or a duration's number must be at most {}",
                                 std::numeric_limits<std::int64_t>::max()));
    if (amount == 0) refuse(text, fmt::format("a walk-forward length must be > 0; expected {}", kExpected));
    const std::string_view suffix(rest, static_cast<std::size_t>(end - rest));
    WindowLength length{Unit::kBars, amount, std::string(text)};
    if (!suffix.empty()) {
        if (suffix.front() == '.' || suffix.front() == ',')
            refuse(text, fmt::format("a fraction is not allowed: expected a whole number, {}", kExpected));
        const auto unit = unit_of(suffix.front());
        if (!unit)
            refuse(text, fmt::format("unknown unit '{}': expected {}, or no unit for a bar count", printable(suffix),
                                     kUnits));
        if (suffix.size() > 1)
            refuse(text, fmt::format("trailing text '{}' after the unit; expected {}", printable(suffix.substr(1)),
                                     kExpected));
        length.unit = *unit;
    }
    if (!fits(length.unit, amount))
        refuse(text, fmt::format("overflows: {} is longer than a timestamp can span (at most {} days or {} years)",
                                 describe(length), kMaxDays, kMaxYears));
    return length;
}

WindowLength bar_count(std::int64_t bars) {
    if (bars <= 0) throw UserError(fmt::format("expected a bar count > 0 (or a duration like 6M), got {}", bars));
    return {Unit::kBars, bars, std::to_string(bars)};
}

std::string describe(const WindowLength& length) {
    const char* name = "bar";
    switch (length.unit) {
        case Unit::kBars:
            name = "bar";
            break;
        case Unit::kMinutes:
            name = "minute";
            break;
        case Unit::kHours:
            name = "hour";
            break;
        case Unit::kDays:
            name = "day";
            break;
        case Unit::kWeeks:
            name = "week";
            break;
        case Unit::kMonths:
            name = "month";
            break;
        case Unit::kYears:
            name = "year";
            break;
    }
    return fmt::format("{} {}{}", length.amount, name, length.amount == 1 ? "" : "s");
}

std::int64_t advance(std::int64_t timestamp_ns, const WindowLength& length) {
    CalendarTime time(timestamp_ns);
    time.add(length, 1);
    return time.time_ns();
}

WalkForwardMode parse_walk_forward_mode(std::string_view text) {
    if (text == "rolling") return WalkForwardMode::kRolling;
    if (text == "anchored") return WalkForwardMode::kAnchored;
    throw UserError(fmt::format("expected \"rolling\" or \"anchored\", got '{}'", printable(text)));
}

const char* walk_forward_mode_name(WalkForwardMode mode) {
    return mode == WalkForwardMode::kAnchored ? "anchored" : "rolling";
}

std::vector<Fold> make_folds(std::span<const std::int64_t> timeline, const WalkForwardSpec& spec) {
    std::vector<Fold> folds;
    if (timeline.empty()) return folds;
    // Each fold starts strictly later than the one before, so the loop ends: at the latest when a start
    // passes the last timestamp and the train window's end with it.
    for (std::int64_t k = 0;; ++k) {
        const Boundary start = fold_start(timeline, spec.step, k);
        const auto train_end = window_end(timeline, start, spec.train);
        // A test window that starts past the last timestamp is empty, and so are all later ones.
        if (!train_end || train_end->index >= timeline.size()) break;
        const auto test_end = window_end(timeline, *train_end, spec.test);
        if (!test_end) break;
        if (spec.test.unit != Unit::kBars && !timeline_holds(timeline, start.index, *test_end)) break;
        const Fold fold{spec.mode == WalkForwardMode::kAnchored ? 0 : start.index, train_end->index, train_end->index,
                        test_end->index};
        if (fold.train_begin < fold.train_end && fold.test_begin < fold.test_end) folds.push_back(fold);
    }
    return folds;
}

}  // namespace tapegrid
