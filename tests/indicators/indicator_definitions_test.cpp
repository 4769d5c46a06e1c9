// Every indicator kind at every period 1..60, batch and streaming, against docs/STRATEGIES.md's
// "Indicator arithmetic" to the last bit: the reference side (tests/support/reference_indicators.h)
// is written from the docs alone.
#include <gmp.h>
#include <gtest/gtest.h>
#include <mpfr.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
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

// The definition's route, slowly: Python's float(sum(map(Fraction, xs)) / n), in GMP's rationals
// and one MPFR rounding to 53 bits (for quotients in double's normal range).
double mean_by_fractions(const std::vector<double>& values) {
    mpq_t sum;
    mpq_t term;
    mpfr_t rounded;
    mpq_inits(sum, term, nullptr);
    mpfr_init2(rounded, 53);
    for (const double x : values) {
        mpq_set_d(term, x);  // exact
        mpq_add(sum, sum, term);
    }
    mpq_set_ui(term, values.size(), 1);
    mpq_div(sum, sum, term);
    mpfr_set_q(rounded, sum, MPFR_RNDN);
    const double mean = mpfr_get_d(rounded, MPFR_RNDN);
    mpfr_clear(rounded);
    mpq_clears(sum, term, nullptr);
    return mean;
}

// The reference itself, on values Python gives: float(sum(map(Fraction, xs)) / len(xs)).
TEST(IndicatorDefinitions, ReferenceXmeanGivesWhatPythonsFractionsGive) {
    const double two53 = std::ldexp(1.0, 53);
    const double least = std::ldexp(1.0, -1074);  // the least subnormal
    const auto xmean = [](std::vector<double> values) { return reference::xmean(values); };
    EXPECT_EQ(xmean({12.98, 12.98, 12.98}), 12.98);  // fsum / 3: 12.979999999999999
    EXPECT_EQ(xmean(std::vector<double>(10, 0.1)), 0.1);
    EXPECT_EQ(xmean({0.1, 0.2, 0.3}), 0.2);                   // fsum / 3: 0.19999999999999998
    EXPECT_EQ(xmean({two53, 1.0, 0.0}), 3002399751580331.0);  // fsum / 3: 3002399751580330.5
    EXPECT_EQ(xmean({two53, 1.0, 1.0, 1.0}), 2251799813685249.0);
    EXPECT_EQ(xmean({1e100, 1.0, -1e100}), 0x1.5555555555555p-2);
    EXPECT_EQ(xmean({1e300, 1e-300, -1e300}), 0x1.c92d503f699ccp-999);
    EXPECT_EQ(xmean(std::vector<double>(7, 1.7976931348623157e308)), 1.7976931348623157e308);  // the sum is no double
    EXPECT_EQ(xmean({least, 0.0}), 0.0);            // half the least subnormal: the tie goes to even, 0
    EXPECT_EQ(xmean({3 * least, 0.0}), 2 * least);  // 1.5 of it: to even, 2
    EXPECT_EQ(xmean({least, least, least, 0.0}), least);
    EXPECT_EQ(xmean({0.0, 0.0}), 0.0);
    EXPECT_EQ(xmean({-2.5, 1.0}), -0.75);
}

// What the docs promise of the mean and the deviation, held by the reference: n equal values have
// exactly that value as mean and exactly 0 as deviation, for every n and however the value is
// written in binary.
TEST(IndicatorDefinitions, ReferenceMeanOfEqualValuesIsThatValueAndTheirDeviationZero) {
    for (const double value : {12.98, 13.15, 0.1, -2.5, 1e-320, 1.7976931348623157e308, 123456.789})
        for (std::size_t n = 1; n <= 200; ++n) {
            const std::vector<double> window(n, value);
            EXPECT_EQ(reference::mean(window), value) << n << " values of " << show(value);
            EXPECT_EQ(reference::population_sd(window), 0.0) << n << " values of " << show(value);
        }
}

// The reference's fast sums (an __int128, or a GMP integer when the exponents spread) against the
// plain fraction route, on cent prices, on doubles of every size and sign mixed, and on
// squares-like spreads.
TEST(IndicatorDefinitions, ReferenceXmeanAgreesWithTheFractionRoute) {
    std::mt19937_64 random(20240612);
    const auto any_double = [&](int lowest_exponent, int highest_exponent) {
        const auto mantissa = static_cast<double>(random() >> 11);  // 53 random bits
        const auto span = static_cast<std::uint64_t>(highest_exponent - lowest_exponent + 1);
        const int exponent = lowest_exponent + static_cast<int>(random() % span) - 53;
        return (random() % 2 == 0 ? 1.0 : -1.0) * std::ldexp(mantissa, exponent);
    };
    int compared = 0;
    for (int trial = 0; trial < 30000; ++trial) {
        const std::size_t n = 1 + random() % 70;
        std::vector<double> window;
        for (std::size_t i = 0; i < n; ++i) {
            switch (trial % 3) {
                case 0:
                    window.push_back((random() % 4 == 0 ? -1.0 : 1.0) * static_cast<double>(100 + random() % 100000) /
                                     100.0);
                    break;
                case 1:
                    window.push_back(any_double(-900, 900));
                    break;
                default:
                    window.push_back(random() % 5 == 0 ? 0.0 : std::fabs(any_double(-110, 20)));
            }
        }
        const double expected = mean_by_fractions(window);
        ASSERT_TRUE(same_value(expected, reference::xmean(window)))
            << "trial " << trial << ": " << show(expected) << " by fractions, " << show(reference::xmean(window));
        ++compared;
    }
    EXPECT_EQ(compared, 30000);
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

// What the definitions promise, checked on the engine without the reference: the exact sum of n
// copies of a close is n times it, so the mean is the close itself and every deviation is
// exactly 0, for every window length.
TEST(IndicatorDefinitions, AWindowOfEqualClosesHasExactlyThatCloseAsSmaAndZeroStandardDeviation) {
    const SymbolBars bars = testing::cent_grid_bars("GRID", 6000, 20240607);
    for (int period = 1; period <= kMaxPeriod; ++period) {
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
