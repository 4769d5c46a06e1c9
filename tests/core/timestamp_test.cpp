// Pins ISO 8601 formatting and parsing of nanosecond UTC timestamps, and duration parsing.
#include "engine/core/timestamp.h"

#include <gtest/gtest.h>

namespace tapegrid {
namespace {

TEST(Timestamp, EpochFormatsAsIso) {
    EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00Z");
}

TEST(Timestamp, KnownInstantFormatsWithFraction) {
    // 2024-01-02T14:30:00Z = 19724 days * 86400 s + 52200 s = 1704205800 s.
    EXPECT_EQ(format_iso8601(1'704'205'800'000'000'000), "2024-01-02T14:30:00Z");
    EXPECT_EQ(format_iso8601(1'704'205'800'120'000'000), "2024-01-02T14:30:00.12Z");
    EXPECT_EQ(format_iso8601(1'704'205'800'000'000'001), "2024-01-02T14:30:00.000000001Z");
}

TEST(Timestamp, BeforeEpochFormatsCorrectly) {
    EXPECT_EQ(format_iso8601(-1'000'000'000), "1969-12-31T23:59:59Z");
}

TEST(Timestamp, ParsesDatesTimesAndOffsets) {
    EXPECT_EQ(parse_iso8601("2024-01-02"), 1'704'153'600'000'000'000);
    EXPECT_EQ(parse_iso8601("2024-01-02T14:30:00Z"), 1'704'205'800'000'000'000);
    EXPECT_EQ(parse_iso8601("2024-01-02 14:30"), 1'704'205'800'000'000'000);
    EXPECT_EQ(parse_iso8601("2024-01-02T15:30:00+01:00"), 1'704'205'800'000'000'000);
    EXPECT_EQ(parse_iso8601("2024-01-02T14:30:00.5Z"), 1'704'205'800'500'000'000);
    EXPECT_EQ(parse_iso8601("2000-02-29"), 951'782'400'000'000'000);
}

TEST(Timestamp, RejectsMalformedText) {
    EXPECT_FALSE(parse_iso8601("2023-02-29"));  // not a leap year
    EXPECT_FALSE(parse_iso8601("2024-13-01"));
    EXPECT_FALSE(parse_iso8601("01/02/2024"));
    EXPECT_FALSE(parse_iso8601("2024-01-02T25:00"));
    EXPECT_FALSE(parse_iso8601("2024-01-02 garbage"));
    EXPECT_FALSE(parse_iso8601(""));
}

TEST(Timestamp, RoundTripsEveryNanosecondForm) {
    for (const TimestampNs t : {0LL, 1LL, 999'999'999LL, 1'704'205'800'123'456'789LL, -86'400'000'000'001LL})
        EXPECT_EQ(parse_iso8601(format_iso8601(t)), t) << t;
}

TEST(Timestamp, ParsesDurations) {
    EXPECT_EQ(parse_duration("30d"), 30 * kNsPerDay);
    EXPECT_EQ(parse_duration("12h"), 12 * kNsPerHour);
    EXPECT_EQ(parse_duration("90m"), 90 * kNsPerMinute);
    EXPECT_EQ(parse_duration("2w"), 14 * kNsPerDay);
    EXPECT_EQ(parse_duration("7"), 7 * kNsPerDay);
    EXPECT_FALSE(parse_duration("-3d"));
    EXPECT_FALSE(parse_duration("d"));
    EXPECT_FALSE(parse_duration("3x"));
}

}  // namespace
}  // namespace tapegrid
