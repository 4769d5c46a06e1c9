// Every indicator kind at every period 1..60, batch and streaming, against docs/STRATEGIES.md's
// "Indicator arithmetic" to the last bit: the reference side (tests/support/reference_indicators.h)
// is written from the docs alone.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "engine/indicators/indicator_key.h"
#include "engine/indicators/streaming_indicator.h"
#include "io/csv/ohlcv_csv_import.h"
#include "tests/support/cent_grid_bars.h"
#include "tests/support/reference_indicators.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

constexpr int kMaxPeriod = 60;
constexpr IndicatorKind kEveryKind[] = {
    IndicatorKind::kSma, IndicatorKind::kStdDev,    IndicatorKind::kEma,      IndicatorKind::kRsi,
    IndicatorKind::kAtr, IndicatorKind::kPriorHigh, IndicatorKind::kPriorLow, IndicatorKind::kPriorMeanVolume};

// Bit for bit, and NaN (warm-up) equal to NaN.
bool same_value(double expected, double actual) {
    if (std::isnan(expected) || std::isnan(actual)) return std::isnan(expected) && std::isnan(actual);
    return std::bit_cast<std::uint64_t>(expected) == std::bit_cast<std::uint64_t>(actual);
}

std::string show(double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%.17g (%a)", value, value);
    return text;
}

std::vector<double> reference_series(IndicatorKind kind, int period, const SymbolBars& bars) {
    const auto n = static_cast<std::size_t>(period);
    switch (kind) {
        case IndicatorKind::kSma:
            return reference::sma(bars.close, n);
        case IndicatorKind::kStdDev:
            return reference::standard_deviation(bars.close, n);
        case IndicatorKind::kEma:
            return reference::ema(bars.close, n);
        case IndicatorKind::kRsi:
            return reference::rsi(bars.close, n);
        case IndicatorKind::kAtr:
            return reference::atr(bars.high, bars.low, bars.close, n);
        case IndicatorKind::kPriorHigh:
            return reference::prior_high(bars.high, n);
        case IndicatorKind::kPriorLow:
            return reference::prior_low(bars.low, n);
        case IndicatorKind::kPriorMeanVolume:
            return reference::prior_mean_volume(bars.volume, n);
    }
    return {};
}

// The first bar where the engine's series leaves the definition, with both values.
::testing::AssertionResult follows_definition(const std::vector<double>& expected, const std::vector<double>& actual) {
    if (actual.size() != expected.size())
        return ::testing::AssertionFailure() << actual.size() << " values for " << expected.size() << " bars";
    for (std::size_t t = 0; t < expected.size(); ++t)
        if (!same_value(expected[t], actual[t]))
            return ::testing::AssertionFailure() << "first difference at bar " << t << ": definition "
                                                 << show(expected[t]) << ", engine " << show(actual[t]);
    return ::testing::AssertionSuccess();
}

// Compares compute_indicator and StreamingIndicator::push with the reference for every kind and
// period; returns the number of reference series compared.
int expect_every_series_follows_definition(const SymbolBars& bars) {
    int compared = 0;
    int differing = 0;
    for (const IndicatorKind kind : kEveryKind) {
        for (int period = 1; period <= kMaxPeriod; ++period) {
            const IndicatorKey key{kind, period};
            const std::vector<double> expected = reference_series(kind, period, bars);
            const auto batch = follows_definition(expected, compute_indicator(key, bars));
            EXPECT_TRUE(batch) << bars.symbol << " " << key.describe() << ", compute_indicator";
            StreamingIndicator streaming(key);
            std::vector<double> pushed;
            pushed.reserve(bars.size());
            for (std::size_t t = 0; t < bars.size(); ++t)
                pushed.push_back(streaming.push(bars.high[t], bars.low[t], bars.close[t], bars.volume[t]));
            const auto streamed = follows_definition(expected, pushed);
            EXPECT_TRUE(streamed) << bars.symbol << " " << key.describe() << ", streaming";
            ++compared;
            if (!batch || !streamed) ++differing;
            if (differing == 10) {
                ADD_FAILURE() << bars.symbol << ": stopped after 10 series that differ";
                return compared;
            }
        }
    }
    return compared;
}

std::vector<SymbolBars> real_daily_bars() {
    std::vector<SymbolBars> symbols;
    const auto directory = testing::shared_real_data();
    if (!directory) return symbols;
    for (const char* file : {"orcl-1995-2014.txt", "nvda-1999-2014.txt", "yhoo-1996-2014.txt"})
        symbols.push_back(import_ohlcv_csv((*directory / file).string(), CsvImportOptions{}).bars);
    return symbols;
}

// The reference itself: Python's math.fsum on the cases CPython's own tests pin (Lib/test/test_math.py).
TEST(IndicatorDefinitions, ReferenceFsumGivesWhatPythonsMathFsumGives) {
    const double two53 = std::ldexp(1.0, 53);
    const auto fsum = [](std::vector<double> values) { return reference::fsum(values); };
    EXPECT_EQ(fsum({}), 0.0);
    EXPECT_EQ(fsum(std::vector<double>(10, 0.1)), 1.0);
    EXPECT_EQ(fsum({1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50}), 1e-100);
    EXPECT_EQ(fsum({two53, -0.5, -std::ldexp(1.0, -54)}), two53 - 1.0);
    EXPECT_EQ(fsum({two53, 1.0, std::ldexp(1.0, -100)}), two53 + 2.0);
    EXPECT_EQ(fsum({two53 + 10.0, 1.0, std::ldexp(1.0, -100)}), two53 + 12.0);
    EXPECT_EQ(fsum({two53 - 4.0, 0.5, std::ldexp(1.0, -54)}), two53 - 3.0);
    EXPECT_EQ(fsum({1e16, 1.0, 1e-16}), 10000000000000002.0);
    EXPECT_EQ(fsum({1e16 - 2.0, 1.0 - std::ldexp(1.0, -53), -(1e16 - 2.0), -(1.0 - std::ldexp(1.0, -53))}), 0.0);
    std::vector<double> harmonic;
    std::vector<double> alternating;
    for (int n = 1; n <= 1000; ++n) {
        harmonic.push_back(1.0 / n);
        alternating.push_back((n % 2 == 0 ? 1.0 : -1.0) / n);
    }
    EXPECT_EQ(fsum(harmonic), 0x1.df11f45f4e61ap+2);
    EXPECT_EQ(fsum(alternating), -0x1.62a2af1bd3624p-1);
    std::vector<double> many_partials;
    for (int n = -1074; n < 972; n += 2)
        many_partials.push_back(std::ldexp(1.0, n) - std::ldexp(1.0, n + 50) + std::ldexp(1.0, n + 52));
    many_partials.push_back(-std::ldexp(1.0, 1022));
    EXPECT_EQ(fsum(many_partials), 0x1.5555555555555p+970);
}

TEST(IndicatorDefinitions, EveryKindAndPeriodFollowsTheDocsBitForBitOnRealDailyData) {
    const std::vector<SymbolBars> symbols = real_daily_bars();
    if (symbols.empty()) GTEST_SKIP() << "../shared/data/real is not beside the repository";
    int compared = 0;
    for (const SymbolBars& bars : symbols) compared += expect_every_series_follows_definition(bars);
    EXPECT_EQ(compared, 3 * 8 * kMaxPeriod);
}

TEST(IndicatorDefinitions, EveryKindAndPeriodFollowsTheDocsBitForBitOnCentGridPricesWithRepeats) {
    const SymbolBars bars = testing::cent_grid_bars("GRID", 6000, 20240607);
    EXPECT_EQ(expect_every_series_follows_definition(bars), 8 * kMaxPeriod);
}

// A consequence of the definitions, checked without the reference: for n a power of two, the
// exact sum of n copies of a close is n times it (a change of exponent) and dividing by n is exact
// too, so the mean is the close itself and every deviation exactly 0. (For other n, fsum(n copies)
// is rounded once before the division, and the quotient can land an ulp away: 3 closes of 12.98
// have the mean 12.979999999999999, as math.fsum([12.98] * 3) / 3 in Python.)
TEST(IndicatorDefinitions, AWindowOfAPowerOfTwoEqualClosesHasExactlyThatCloseAsSmaAndZeroStandardDeviation) {
    const SymbolBars bars = testing::cent_grid_bars("GRID", 6000, 20240607);
    for (const int period : {1, 2, 4, 8, 16, 32}) {
        const auto n = static_cast<std::size_t>(period);
        const std::vector<double> sma = compute_indicator({IndicatorKind::kSma, period}, bars);
        const std::vector<double> sd = compute_indicator({IndicatorKind::kStdDev, period}, bars);
        int equal_windows = 0;
        int failures = 0;
        std::size_t run = 0;  // how many closes up to t equal close[t]
        for (std::size_t t = 0; t < bars.size() && failures < 5; ++t) {
            run = (t > 0 && bars.close[t] == bars.close[t - 1]) ? run + 1 : 1;
            if (run < n) continue;
            ++equal_windows;
            const bool exact = same_value(bars.close[t], sma[t]) && same_value(0.0, sd[t]);
            if (!exact) ++failures;
            EXPECT_TRUE(exact) << "period " << period << ", bar " << t << ": " << n << " closes of "
                               << show(bars.close[t]) << " give sma " << show(sma[t]) << ", sd " << show(sd[t]);
        }
        // Not vacuous: the series holds runs longer than the longest window.
        EXPECT_GT(equal_windows, 100) << "period " << period;
    }
}

}  // namespace
}  // namespace tapegrid
