// Walk-forward window lengths, their calendar arithmetic and the folds they cut, against indices
// worked out by hand from the calendar. In a timeline of every day of 2023 from Jan 1 the 1st of
// each month has index Feb 31, Mar 59, Apr 90, May 120, Jun 151, Jul 181, Aug 212, Sep 243, Oct 273,
// Nov 304, Dec 334, and Jan 1 2024 would be 365.
#include "engine/sweep/walk_forward_folds.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "engine/core/errors.h"
#include "engine/core/timestamp.h"

namespace tapegrid {
namespace {

using Unit = WindowLength::Unit;

std::int64_t at(const char* iso8601) {
    return *parse_iso8601(iso8601);
}

// `count` timestamps `spacing_ns` apart from `first`.
std::vector<std::int64_t> evenly_spaced(const char* first, std::int64_t count, std::int64_t spacing_ns) {
    std::vector<std::int64_t> timeline;
    for (std::int64_t i = 0; i < count; ++i) timeline.push_back(at(first) + i * spacing_ns);
    return timeline;
}

// Every calendar day of 2023 at midnight UTC: index i is Jan 1 + i days, 365 in all.
std::vector<std::int64_t> days_of_2023() {
    return evenly_spaced("2023-01-01", 365, kNsPerDay);
}

// Monday to Friday at midnight UTC from Monday `first`, `weeks` weeks.
std::vector<std::int64_t> weekdays(const char* first, std::int64_t weeks) {
    std::vector<std::int64_t> timeline;
    for (std::int64_t day = 0; day < weeks * 7; ++day)
        if (day % 7 < 5) timeline.push_back(at(first) + day * kNsPerDay);
    return timeline;
}

WalkForwardSpec spec(const char* train, const char* test, const char* step,
                     WalkForwardMode mode = WalkForwardMode::kRolling) {
    return {parse_window_length(train), parse_window_length(test), parse_window_length(step), mode};
}

void expect_refused(const std::string& text, std::initializer_list<const char*> fragments) {
    try {
        parse_window_length(text);
        ADD_FAILURE() << "'" << text << "' was accepted";
    } catch (const UserError& error) {
        const std::string message = error.what();
        for (const char* fragment : fragments)
            EXPECT_NE(message.find(fragment), std::string::npos) << "'" << fragment << "' not in: " << message;
    }
}

TEST(WindowLength, ParsesEveryUnit) {
    const std::vector<std::tuple<const char*, Unit, std::int64_t>> cases = {
        {"500", Unit::kBars, 500},   {"90m", Unit::kMinutes, 90},    {"12h", Unit::kHours, 12},
        {"30d", Unit::kDays, 30},    {"2w", Unit::kWeeks, 2},        {"6M", Unit::kMonths, 6},
        {"2y", Unit::kYears, 2},     {"1", Unit::kBars, 1},          {"106751d", Unit::kDays, 106751},
        {"292y", Unit::kYears, 292}, {"3504M", Unit::kMonths, 3504},
    };
    for (const auto& [text, unit, amount] : cases) {
        const WindowLength length = parse_window_length(text);
        EXPECT_EQ(length.unit, unit) << text;
        EXPECT_EQ(length.amount, amount) << text;
        EXPECT_EQ(length.text, text);
    }
    EXPECT_EQ(parse_window_length("9223372036854775807").amount, std::numeric_limits<std::int64_t>::max());
}

TEST(WindowLength, RefusesBadTextSayingWhatWasExpected) {
    expect_refused("", {"empty", "bar count like 500", "6M"});
    expect_refused("0", {"'0'", "> 0"});
    expect_refused("0d", {"'0d'", "> 0"});
    expect_refused("-5", {"'-5'", "> 0", "bar count like 500"});
    expect_refused("-5d", {"'-5d'", "> 0"});
    expect_refused("+5d", {"'+5d'", "sign"});
    expect_refused("d", {"'d'", "bar count like 500", "30d"});
    expect_refused(" 5d", {"' 5d'", "bar count like 500"});
    expect_refused("5x", {"'5x'", "unknown unit 'x'", "M (months)", "m (minutes)"});
    expect_refused("5D", {"'5D'", "unknown unit 'D'", "d (days)"});
    expect_refused("5 d", {"'5 d'", "unknown unit ' d'"});
    expect_refused("1.5y", {"'1.5y'", "fraction", "whole number"});
    expect_refused("5dd", {"'5dd'", "trailing text 'd'"});
    expect_refused("6Ms", {"'6Ms'", "trailing text 's'"});
    expect_refused("99999999999999999999", {"'99999999999999999999'", "overflows", "9223372036854775807"});
    expect_refused("106752d", {"'106752d'", "overflows", "106751 days"});
    expect_refused("293y", {"'293y'", "overflows", "292 years"});
    expect_refused("3505M", {"'3505M'", "overflows"});
    expect_refused("15251w", {"'15251w'", "overflows", "106751 days"});
    expect_refused(std::string("5\0d", 3), {"'5\\x00d'", "unknown unit"});
}

TEST(WindowLength, BarCountsFromTomlIntegers) {
    const WindowLength length = bar_count(500);
    EXPECT_EQ(length.unit, Unit::kBars);
    EXPECT_EQ(length.amount, 500);
    EXPECT_EQ(length.text, "500");
    EXPECT_THROW(bar_count(0), UserError);
    try {
        bar_count(-3);
        ADD_FAILURE() << "-3 bars accepted";
    } catch (const UserError& error) {
        EXPECT_STREQ(error.what(), "expected a bar count > 0 (or a duration like 6M), got -3");
    }
}

TEST(WindowLength, DescribesItselfInWords) {
    EXPECT_EQ(describe(parse_window_length("6M")), "6 months");
    EXPECT_EQ(describe(parse_window_length("1M")), "1 month");
    EXPECT_EQ(describe(parse_window_length("500")), "500 bars");
    EXPECT_EQ(describe(bar_count(1)), "1 bar");
    EXPECT_EQ(describe(parse_window_length("90m")), "90 minutes");
    EXPECT_EQ(describe(parse_window_length("12h")), "12 hours");
    EXPECT_EQ(describe(parse_window_length("1d")), "1 day");
    EXPECT_EQ(describe(parse_window_length("2w")), "2 weeks");
    EXPECT_EQ(describe(parse_window_length("2y")), "2 years");
}

TEST(WalkForwardMode, ParsesRollingAndAnchored) {
    EXPECT_EQ(parse_walk_forward_mode("rolling"), WalkForwardMode::kRolling);
    EXPECT_EQ(parse_walk_forward_mode("anchored"), WalkForwardMode::kAnchored);
    EXPECT_STREQ(walk_forward_mode_name(WalkForwardMode::kAnchored), "anchored");
    EXPECT_STREQ(walk_forward_mode_name(WalkForwardMode::kRolling), "rolling");
    try {
        parse_walk_forward_mode("expanding");
        ADD_FAILURE() << "'expanding' accepted";
    } catch (const UserError& error) {
        EXPECT_STREQ(error.what(), "expected \"rolling\" or \"anchored\", got 'expanding'");
    }
}

TEST(Advance, MonthsClampToTheMonthsLastDay) {
    const WindowLength one_month = parse_window_length("1M");
    EXPECT_EQ(advance(at("2023-01-31"), one_month), at("2023-02-28"));
    EXPECT_EQ(advance(at("2024-01-31"), one_month), at("2024-02-29"));
    EXPECT_EQ(advance(at("2023-03-31"), one_month), at("2023-04-30"));
    EXPECT_EQ(advance(at("2023-12-15"), one_month), at("2024-01-15"));
    EXPECT_EQ(advance(at("2023-08-31"), parse_window_length("6M")), at("2024-02-29"));
    EXPECT_EQ(advance(at("2023-01-31"), parse_window_length("13M")), at("2024-02-29"));
    // The time of day is kept, and dates before 1970 count days the same way.
    EXPECT_EQ(advance(at("2024-01-31T14:30:00.5Z"), one_month), at("2024-02-29T14:30:00.5Z"));
    EXPECT_EQ(advance(at("1969-12-31T12:00:00Z"), one_month), at("1970-01-31T12:00:00Z"));
    EXPECT_EQ(advance(at("1900-01-31"), one_month), at("1900-02-28"));  // 1900 is not a leap year
}

TEST(Advance, YearsLandOnTheSameDateOrFebruary28) {
    EXPECT_EQ(advance(at("2024-02-29"), parse_window_length("1y")), at("2025-02-28"));
    EXPECT_EQ(advance(at("2024-02-29"), parse_window_length("4y")), at("2028-02-29"));
    EXPECT_EQ(advance(at("2096-02-29"), parse_window_length("4y")), at("2100-02-28"));
    EXPECT_EQ(advance(at("1996-02-29"), parse_window_length("4y")), at("2000-02-29"));
    EXPECT_EQ(advance(at("2023-07-01T09:30:00Z"), parse_window_length("2y")), at("2025-07-01T09:30:00Z"));
}

TEST(Advance, FixedUnitsAddExactNanoseconds) {
    EXPECT_EQ(advance(at("2024-02-26"), parse_window_length("2w")), at("2024-03-11"));
    EXPECT_EQ(advance(at("2023-12-31"), parse_window_length("1w")), at("2024-01-07"));
    EXPECT_EQ(advance(at("2024-02-28"), parse_window_length("2d")), at("2024-03-01"));
    EXPECT_EQ(advance(at("2024-01-02T23:00:00Z"), parse_window_length("12h")), at("2024-01-03T11:00:00Z"));
    EXPECT_EQ(advance(at("2024-01-02T09:30:00Z"), parse_window_length("90m")), at("2024-01-02T11:00:00Z"));
}

TEST(Advance, PastTheInt64RangeIsTheLatestTime) {
    constexpr std::int64_t kLatest = std::numeric_limits<std::int64_t>::max();
    EXPECT_EQ(advance(at("2262-01-01"), parse_window_length("1y")), kLatest);
    EXPECT_EQ(advance(at("2262-04-01"), parse_window_length("30d")), kLatest);
    EXPECT_EQ(advance(at("1700-01-01"), parse_window_length("292y")), at("1992-01-01"));
    EXPECT_THROW(advance(at("2024-01-01"), bar_count(5)), InternalError);
}

TEST(MakeFolds, RollingBarCountsSlideByTheStep) {
    const auto timeline = evenly_spaced("2024-01-02", 100, kNsPerMinute);
    const std::vector<Fold> expected = {{0, 40, 40, 60}, {20, 60, 60, 80}, {40, 80, 80, 100}};
    EXPECT_EQ(make_folds(timeline, spec("40", "20", "20")), expected);
}

TEST(MakeFolds, AnchoredBarCountsAlwaysTrainFromTheFirstBar) {
    const auto timeline = evenly_spaced("2024-01-02", 100, kNsPerMinute);
    const std::vector<Fold> expected = {{0, 40, 40, 60}, {0, 60, 60, 80}, {0, 80, 80, 100}};
    EXPECT_EQ(make_folds(timeline, spec("40", "20", "20", WalkForwardMode::kAnchored)), expected);
}

TEST(MakeFolds, BarCountsStopWhereTheTestWindowWouldPassTheEnd) {
    // 99 bars: the third test window [80, 100) lacks its last bar.
    const auto timeline = evenly_spaced("2024-01-02", 99, kNsPerMinute);
    const std::vector<Fold> expected = {{0, 40, 40, 60}, {20, 60, 60, 80}};
    EXPECT_EQ(make_folds(timeline, spec("40", "20", "20")), expected);
}

TEST(MakeFolds, AYearOfDailyBarsGivesTwoQuarterlyFolds) {
    // Jan 1 .. Dec 31 2023. Fold 0 trains Jan 1 - Jul 1, tests Jul 1 - Oct 1; fold 1 trains Apr 1 -
    // Oct 1 and tests Oct 1 - Jan 1 2024, which the last bar (Dec 31, a day long) covers; fold 2
    // would test into 2024.
    const auto timeline = days_of_2023();
    const std::vector<Fold> rolling = {{0, 181, 181, 273}, {90, 273, 273, 365}};
    EXPECT_EQ(make_folds(timeline, spec("6M", "3M", "3M")), rolling);
    const std::vector<Fold> anchored = {{0, 181, 181, 273}, {0, 273, 273, 365}};
    EXPECT_EQ(make_folds(timeline, spec("6M", "3M", "3M", WalkForwardMode::kAnchored)), anchored);
}

TEST(MakeFolds, MonthlyStepsCountFromTheFirstTimestamp) {
    const auto timeline = days_of_2023();
    const std::vector<Fold> expected = {
        {0, 181, 181, 273}, {31, 212, 212, 304}, {59, 243, 243, 334}, {90, 273, 273, 365}};
    EXPECT_EQ(make_folds(timeline, spec("6M", "3M", "1M")), expected);
}

TEST(MakeFolds, MonthEndsDoNotDriftFromStepToStep) {
    // From Jan 31: folds start Jan 31, Feb 28, Mar 31 (Jan 31 + 2M, not Feb 28 + 1M = Mar 28).
    // Timeline: Jan 31 .. May 31 2023, 121 days; index of Feb 28 = 28, Mar 31 = 59, Apr 30 = 89,
    // May 31 = 120.
    const auto timeline = evenly_spaced("2023-01-31", 121, kNsPerDay);
    const std::vector<Fold> expected = {{0, 28, 28, 59}, {28, 59, 59, 89}, {59, 89, 89, 120}};
    EXPECT_EQ(make_folds(timeline, spec("1M", "1M", "1M")), expected);
}

TEST(MakeFolds, ABarTrainWindowThenACalendarTestWindow) {
    // Fold k starts on the 1st of month k, trains on 100 days, and tests one month from the first
    // test day: fold 0 tests Apr 11 - May 11 (indices 100 - 130); fold 7 starts Aug 1 (212), tests
    // Nov 9 - Dec 9 (312 - 342); fold 8 would test Dec 10 - Jan 10 2024.
    const auto timeline = days_of_2023();
    WalkForwardSpec mixed{bar_count(100), parse_window_length("1M"), parse_window_length("1M")};
    const std::vector<Fold> folds = make_folds(timeline, mixed);
    ASSERT_EQ(folds.size(), 8u);
    EXPECT_EQ(folds.front(), (Fold{0, 100, 100, 130}));
    EXPECT_EQ(folds.back(), (Fold{212, 312, 312, 342}));
}

TEST(MakeFolds, BusinessDaysEndingOnFridayHoldAWindowEndingOnMonday) {
    // Mon Jan 2 .. Fri Feb 24 2023, 40 weekdays. Fold 1 tests [Feb 13, Feb 27): Feb 27 is the Monday
    // after the last bar, and the weekend gap is one the fold already holds.
    const auto timeline = weekdays("2023-01-02", 8);
    ASSERT_EQ(timeline.size(), 40u);
    const std::vector<Fold> expected = {{0, 20, 20, 30}, {10, 30, 30, 40}};
    EXPECT_EQ(make_folds(timeline, spec("4w", "2w", "2w")), expected);
    // Ending on Thursday Feb 23, Friday is missing: fold 1 is not complete.
    const std::vector<std::int64_t> to_thursday(timeline.begin(), timeline.end() - 1);
    const std::vector<Fold> first_only = {{0, 20, 20, 30}};
    EXPECT_EQ(make_folds(to_thursday, spec("4w", "2w", "2w")), first_only);
}

TEST(MakeFolds, ARecordingThatStopsEarlyDoesNotHoldTheLastWindow) {
    // Daily bars to Dec 15 2023: fold 1 would test Oct 1 - Jan 1 2024 with half of December missing.
    const std::vector<std::int64_t> timeline = evenly_spaced("2023-01-01", 349, kNsPerDay);
    const std::vector<Fold> expected = {{0, 181, 181, 273}};
    EXPECT_EQ(make_folds(timeline, spec("6M", "3M", "3M")), expected);
}

TEST(MakeFolds, AGapInTheDataSkipsTheFoldsItEmpties) {
    // Days 0..29 (indices 0..29) and 60..89 (indices 30..59) of 2023. Folds start every 10 days:
    // day 20's fold tests days [30, 40), which the gap empties; the folds starting on days 30, 40
    // and 50 train on nothing; day 60's and day 70's folds are whole again, and day 70's tests up to
    // day 90, one day after the last timestamp.
    std::vector<std::int64_t> timeline = evenly_spaced("2023-01-01", 30, kNsPerDay);
    for (const std::int64_t day : evenly_spaced("2023-03-02", 30, kNsPerDay)) timeline.push_back(day);
    ASSERT_EQ(timeline[30], at("2023-01-01") + 60 * kNsPerDay);
    const std::vector<Fold> expected = {{0, 10, 10, 20}, {10, 20, 20, 30}, {30, 40, 40, 50}, {40, 50, 50, 60}};
    EXPECT_EQ(make_folds(timeline, spec("10d", "10d", "10d")), expected);
}

TEST(MakeFolds, ATrainWindowLongerThanTheDataGivesNoFolds) {
    EXPECT_TRUE(make_folds(days_of_2023(), spec("2y", "3M", "3M")).empty());
    EXPECT_TRUE(make_folds(days_of_2023(), spec("9M", "6M", "1M")).empty());
    EXPECT_TRUE(make_folds(evenly_spaced("2024-01-02", 100, kNsPerMinute), spec("200", "20", "20")).empty());
    EXPECT_TRUE(make_folds(evenly_spaced("2024-01-02", 100, kNsPerMinute), spec("90", "11", "1")).empty());
    EXPECT_TRUE(make_folds({}, spec("40", "20", "20")).empty());
}

TEST(MakeFolds, ASingleTimestampNeedsItsWindowToEndWithinOneNanosecond) {
    const std::vector<std::int64_t> one = {at("2024-01-02")};
    EXPECT_TRUE(make_folds(one, spec("1d", "1d", "1d")).empty());
    EXPECT_TRUE(make_folds(one, spec("1", "1", "1")).empty());
}

}  // namespace
}  // namespace tapegrid
