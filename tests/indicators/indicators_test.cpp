// Pins each indicator (engine/indicators/) with values worked out by hand, and compute_indicator against streaming.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "engine/core/errors.h"
#include "engine/indicators/atr.h"
#include "engine/indicators/exact_sum.h"
#include "engine/indicators/indicator_key.h"
#include "engine/indicators/moving_average.h"
#include "engine/indicators/rolling_extreme.h"
#include "engine/indicators/rolling_window.h"
#include "engine/indicators/rsi.h"
#include "engine/indicators/streaming_indicator.h"

namespace tapegrid {
namespace {

constexpr double kTight = 1e-12;

// Bars with only the price and volume columns the indicators read.
SymbolBars make_bars(const std::vector<double>& high, const std::vector<double>& low, const std::vector<double>& close,
                     const std::vector<double>& volume) {
    SymbolBars bars;
    bars.symbol = "TEST";
    for (std::size_t i = 0; i < close.size(); ++i) {
        bars.timestamp_ns.push_back(static_cast<TimestampNs>(i + 1) * 60'000'000'000LL);
        bars.open.push_back(close[i]);
        bars.sequence.push_back(static_cast<std::int64_t>(i));
    }
    bars.high = high;
    bars.low = low;
    bars.close = close;
    bars.volume = volume;
    return bars;
}

void expect_nan_before(const std::vector<double>& series, std::size_t first_defined) {
    for (std::size_t i = 0; i < first_defined && i < series.size(); ++i)
        EXPECT_TRUE(std::isnan(series[i])) << "at " << i;
    if (first_defined < series.size()) {
        EXPECT_FALSE(std::isnan(series[first_defined])) << "at " << first_defined;
    }
}

// ---- ExactSum -------------------------------------------------------------------------------

TEST(ExactSum, IsTheExactSumRoundedOnce) {
    ExactSum tenths;
    for (int i = 0; i < 10; ++i) tenths.add(0.1);
    EXPECT_EQ(tenths.value(), 1.0);  // math.fsum([0.1] * 10); a running sum gives 0.9999999999999999
    ExactSum cancelling;
    for (const double x : {1e16, 1.0, -1e16}) cancelling.add(x);
    EXPECT_EQ(cancelling.value(), 1.0);  // a running sum gives 0
    ExactSum leaning;
    for (const double x : {1e-16, 1.0, 1e16}) leaning.add(x);
    EXPECT_EQ(leaning.value(), 1e16 + 2.0);  // 1e16 + 1 is a tie; the 1e-16 says round up (fsum's own example)
    ExactSum empty;
    EXPECT_EQ(empty.value(), 0.0);
}

TEST(ExactSum, RemovingWhatWasAddedLeavesNoTrace) {
    ExactSum sum;
    sum.add(13.15);
    sum.add(0.1);
    sum.add(-0.1);
    EXPECT_EQ(sum.value(), 13.15);
    for (int i = 0; i < 100000; ++i) {  // a window sliding over many values forgets them exactly
        sum.add(0.1 * i);
        sum.add(-0.1 * i);
    }
    EXPECT_EQ(sum.value(), 13.15);
}

TEST(ExactSum, QuotientIsTheExactSumDividedAndRoundedOnce) {
    ExactSum three;
    for (int i = 0; i < 3; ++i) three.add(12.98);
    EXPECT_EQ(three.value() / 3.0, 12.979999999999999);  // rounding twice misses
    EXPECT_EQ(three.quotient(3.0), 12.98);               // Fraction(3 * 12.98) / 3 is exactly 12.98
    ExactSum tenths;
    for (int i = 0; i < 10; ++i) tenths.add(0.1);
    EXPECT_EQ(tenths.quotient(10.0), 0.1);
    ExactSum one_third;
    one_third.add(1.0);
    EXPECT_EQ(one_third.quotient(3.0), 1.0 / 3.0);  // one rounding either way
    // A tie: 2^53 + 1 is not a double; (2^53 + 1) / 1 rounds to even, 2^53.
    ExactSum tie;
    tie.add(0x1p53);
    tie.add(1.0);
    EXPECT_EQ(tie.quotient(1.0), 0x1p53);
    tie.add(2.0);  // 2^53 + 3: halfway between 2^53 + 2 and 2^53 + 4, to even: 2^53 + 4
    EXPECT_EQ(tie.quotient(1.0), 0x1p53 + 4.0);
}

TEST(ExactSum, MeanOfNonnegativesAgreesWithThePartialsOnHardCases) {
    // Random magnitudes, ties at half an ulp, and values whose rounding errors cancel.
    std::mt19937_64 random(3);
    std::uniform_int_distribution<int> exponent(-60, 60);
    std::uniform_real_distribution<double> mantissa(1.0, 2.0);
    for (int round = 0; round < 2000; ++round) {
        std::vector<double> values(1 + round % 40);
        for (auto& value : values)
            value = std::ldexp(mantissa(random), round % 3 == 0 ? exponent(random) % 4 : exponent(random));
        if (round % 5 == 0) values.push_back(std::ldexp(1.0, -53) * values[0]);  // half an ulp of the first
        ExactSum exact;
        for (const double value : values) exact.add(value);
        const double fast = exact_mean_of_nonnegatives(values.size(), [&](std::size_t i) { return values[i]; });
        ASSERT_EQ(std::bit_cast<std::uint64_t>(fast),
                  std::bit_cast<std::uint64_t>(exact.quotient(static_cast<double>(values.size()))))
            << "round " << round;
    }
}

// ---- RollingWindow --------------------------------------------------------------------------

TEST(RollingWindow, IsNanUntilTheWindowIsFull) {
    RollingWindow window(3);
    for (const double value : {1.0, 2.0}) {
        window.push(value);
        EXPECT_FALSE(window.ready());
        EXPECT_TRUE(std::isnan(window.mean()));
        EXPECT_TRUE(std::isnan(window.variance()));
        EXPECT_TRUE(std::isnan(window.standard_deviation()));
    }
    window.push(3.0);
    EXPECT_TRUE(window.ready());
    EXPECT_EQ(window.mean(), 2.0);                      // (1+2+3)/3
    EXPECT_NEAR(window.variance(), 2.0 / 3.0, kTight);  // ((-1)^2 + 0^2 + 1^2) / 3, ddof = 0
}

TEST(RollingWindow, SlidesOverTheLastNValuesWithPopulationVariance) {
    RollingWindow window(3);
    for (const double value : {1.0, 2.0, 3.0}) window.push(value);
    window.push(6.0);                      // window 2, 3, 6
    EXPECT_EQ(window.mean(), 11.0 / 3.0);  // the exact sum 11, divided by 3
    // deviations -5/3, -2/3, 7/3: (25 + 4 + 49)/9 = 78/9, / 3 = 26/9
    EXPECT_NEAR(window.variance(), 26.0 / 9.0, kTight);
    EXPECT_NEAR(window.standard_deviation(), std::sqrt(26.0) / 3.0, kTight);
    window.push(4.0);                      // window 3, 6, 4
    EXPECT_EQ(window.mean(), 13.0 / 3.0);  // 13/3
    // deviations -4/3, 5/3, -1/3: (16 + 25 + 1)/9 = 42/9, / 3 = 14/9
    EXPECT_NEAR(window.variance(), 14.0 / 9.0, kTight);
    window.push(4.0);                      // window 6, 4, 4
    EXPECT_EQ(window.mean(), 14.0 / 3.0);  // 14/3
    // deviations 4/3, -2/3, -2/3: (16 + 4 + 4)/9 = 24/9, / 3 = 8/9
    EXPECT_NEAR(window.variance(), 8.0 / 9.0, kTight);
    window.push(4.0);  // window 4, 4, 4: no spread at all, exactly
    EXPECT_EQ(window.mean(), 4.0);
    EXPECT_EQ(window.variance(), 0.0);
}

TEST(RollingWindow, EqualValuesOffTheBinaryGridHaveExactlyTheirValueAsMeanAndNoSpread) {
    // 13.15 is not a binary fraction: a running sum of it drifts, the exact sum does not.
    RollingWindow window(2);
    for (const double value : {13.1, 13.15, 13.15}) window.push(value);
    EXPECT_EQ(window.mean(), 13.15);
    EXPECT_EQ(window.standard_deviation(), 0.0);
    RollingWindow long_window(20);
    for (int i = 0; i < 50; ++i) long_window.push(i < 25 ? 0.1 * i : 19.99);
    EXPECT_EQ(long_window.mean(), 19.99);
    EXPECT_EQ(long_window.standard_deviation(), 0.0);
}

TEST(RollingWindow, WindowOfOneHasTheValueAsMeanAndNoVariance) {
    RollingWindow window(1);
    for (const double value : {5.0, 2.5, 7.0}) {
        window.push(value);
        EXPECT_EQ(window.mean(), value);
        EXPECT_EQ(window.variance(), 0.0);
    }
}

// ---- Rsi ------------------------------------------------------------------------------------

// closes 10 12 11 14 13 13 10 12 15 14; d = +2 -1 +3 -1 0 -3 +2 +3 -1 (t = 1..9)
// gains  2 0 3 0 0 0 2 3 0;  losses 0 1 0 1 0 3 0 0 1; n = 3
TEST(Rsi, SeedsWithThePlainMeanThenSmoothsTheWilderWay) {
    const std::vector<double> close = {10, 12, 11, 14, 13, 13, 10, 12, 15, 14};
    const auto rsi = compute_rsi(close, 3);
    ASSERT_EQ(rsi.size(), close.size());
    expect_nan_before(rsi, 3);
    // t=3: AG = (2+0+3)/3 = 5/3, AL = (0+1+0)/3 = 1/3, RS = 5, RSI = 100 - 100/6 = 250/3
    EXPECT_NEAR(rsi[3], 250.0 / 3.0, kTight);
    // t=4: AG = (5/3*2 + 0)/3 = 10/9, AL = (1/3*2 + 1)/3 = 5/9, RS = 2, RSI = 100 - 100/3 = 200/3
    EXPECT_NEAR(rsi[4], 200.0 / 3.0, kTight);
    // t=5 (d = 0): AG = 20/27, AL = 10/27, RS = 2, RSI = 200/3
    EXPECT_NEAR(rsi[5], 200.0 / 3.0, kTight);
    // t=6: AG = (20/27*2)/3 = 40/81, AL = (10/27*2 + 3)/3 = 101/81, RS = 40/101,
    //      RSI = 100 - 100/(141/101) = 100 - 10100/141 = 4000/141
    EXPECT_NEAR(rsi[6], 4000.0 / 141.0, kTight);
    // t=7: AG = (40/81*2 + 2)/3 = 242/243, AL = (101/81*2)/3 = 202/243, RS = 121/101,
    //      RSI = 100 - 10100/222 = 6050/111
    EXPECT_NEAR(rsi[7], 6050.0 / 111.0, kTight);
    // t=8: AG = (242/243*2 + 3)/3 = 1213/729, AL = (202/243*2)/3 = 404/729,
    //      RSI = 100 - 100*404/1617 = 121300/1617
    EXPECT_NEAR(rsi[8], 121300.0 / 1617.0, kTight);
    // t=9: AG = (1213/729*2)/3 = 2426/2187, AL = (404/729*2 + 1)/3 = 1537/2187,
    //      RSI = 100 - 100*1537/3963 = 242600/3963
    EXPECT_NEAR(rsi[9], 242600.0 / 3963.0, kTight);
}

TEST(Rsi, IsHundredWhenThereAreNoLosses) {
    // Rising closes: avg_loss = 0, so RSI = 100 by definition (no division by zero).
    const auto rising = compute_rsi({1, 2, 3, 4, 5, 6}, 3);
    expect_nan_before(rising, 3);
    for (std::size_t t = 3; t < rising.size(); ++t) EXPECT_EQ(rising[t], 100.0) << "at " << t;
    // Flat closes: both averages are 0; the rule still says 100.
    const auto flat = compute_rsi({7, 7, 7, 7, 7}, 3);
    for (std::size_t t = 3; t < flat.size(); ++t) EXPECT_EQ(flat[t], 100.0) << "at " << t;
}

TEST(Rsi, IsZeroWhenThereAreNoGains) {
    // Falling closes: avg_gain = 0, avg_loss > 0, RS = 0, RSI = 100 - 100/1 = 0.
    const auto falling = compute_rsi({9, 8, 6, 5, 1}, 3);
    expect_nan_before(falling, 3);
    EXPECT_EQ(falling[3], 0.0);
    EXPECT_EQ(falling[4], 0.0);
}

TEST(Rsi, StreamingPushGivesTheSameSeries) {
    const std::vector<double> close = {10, 12, 11, 14, 13, 13, 10, 12, 15, 14};
    const auto series = compute_rsi(close, 3);
    Rsi rsi(3);
    for (std::size_t i = 0; i < close.size(); ++i) {
        const double value = rsi.push(close[i]);
        EXPECT_EQ(std::bit_cast<std::uint64_t>(value), std::bit_cast<std::uint64_t>(series[i])) << "at " << i;
    }
}

// ---- MovingAverage --------------------------------------------------------------------------

TEST(MovingAverage, SimpleIsTheMeanOfTheLastNFromIndexNMinusOne) {
    const auto sma = compute_moving_average({1, 2, 3, 4, 10, 1}, MovingAverageType::kSimple, 3);
    expect_nan_before(sma, 2);
    EXPECT_DOUBLE_EQ(sma[2], 2.0);            // (1+2+3)/3
    EXPECT_DOUBLE_EQ(sma[3], 3.0);            // (2+3+4)/3
    EXPECT_NEAR(sma[4], 17.0 / 3.0, kTight);  // (3+4+10)/3
    EXPECT_DOUBLE_EQ(sma[5], 5.0);            // (4+10+1)/3
}

TEST(MovingAverage, ExponentialIsSeededWithTheSmaOfTheFirstN) {
    // N = 3: alpha = 2/(3+1) = 1/2.
    const auto ema = compute_moving_average({1, 2, 3, 4, 10, 0}, MovingAverageType::kExponential, 3);
    expect_nan_before(ema, 2);
    EXPECT_DOUBLE_EQ(ema[2], 2.0);   // seed: (1+2+3)/3
    EXPECT_DOUBLE_EQ(ema[3], 3.0);   // 0.5*4 + 0.5*2
    EXPECT_DOUBLE_EQ(ema[4], 6.5);   // 0.5*10 + 0.5*3
    EXPECT_DOUBLE_EQ(ema[5], 3.25);  // 0.5*0 + 0.5*6.5
}

TEST(MovingAverage, ExponentialUsesAlphaTwoOverNPlusOne) {
    // N = 4: alpha = 2/5 = 0.4; seed at index 3 = (2+4+6+8)/4 = 5.
    const auto ema = compute_moving_average({2, 4, 6, 8, 13, 3}, MovingAverageType::kExponential, 4);
    expect_nan_before(ema, 3);
    EXPECT_DOUBLE_EQ(ema[3], 5.0);
    EXPECT_NEAR(ema[4], 8.2, kTight);   // 0.4*13 + 0.6*5 = 5.2 + 3
    EXPECT_NEAR(ema[5], 6.12, kTight);  // 0.4*3 + 0.6*8.2 = 1.2 + 4.92
}

// ---- AverageTrueRange -----------------------------------------------------------------------

TEST(AverageTrueRange, TakesTheWidestRangeIncludingGapsAndSmoothsTheWilderWay) {
    //        high   low    close   TR against the previous close
    // bar 0  10     8      9       (none: no previous close)
    // bar 1  11     8.5    10      max(2.5, |11-9|=2, |8.5-9|=0.5)         = 2.5  high - low
    // bar 2  12     11     11.5    max(1, |12-10|=2, |11-10|=1)             = 2    gap up: high - prev close
    // bar 3  11     9      9.5     max(2, |11-11.5|=0.5, |9-11.5|=2.5)      = 2.5  gap down: prev close - low
    // bar 4  14     13     13.5    max(1, |14-9.5|=4.5, |13-9.5|=3.5)       = 4.5
    // bar 5  13.75  13.25  13.5    max(0.5, 0.25, 0.25)                     = 0.5
    const std::vector<double> high = {10, 11, 12, 11, 14, 13.75};
    const std::vector<double> low = {8, 8.5, 11, 9, 13, 13.25};
    const std::vector<double> close = {9, 10, 11.5, 9.5, 13.5, 13.5};
    const auto atr = compute_atr(high, low, close, 3);
    expect_nan_before(atr, 3);
    EXPECT_NEAR(atr[3], 7.0 / 3.0, kTight);     // (2.5 + 2 + 2.5)/3
    EXPECT_NEAR(atr[4], 55.0 / 18.0, kTight);   // (7/3*2 + 4.5)/3 = (28/6 + 27/6)/3
    EXPECT_NEAR(atr[5], 119.0 / 54.0, kTight);  // (55/18*2 + 0.5)/3 = (110/18 + 9/18)/3
}

// ---- PriorExtreme ---------------------------------------------------------------------------

const std::vector<double> kExtremeValues = {5, 3, 8, 1, 2, 4, 0, 7, 9, -1, 6};

TEST(PriorExtreme, HighestIsTheMaxOfTheNValuesBeforeTheCurrentOne) {
    const auto prior_high = compute_prior_extreme<true>(kExtremeValues, 3);
    expect_nan_before(prior_high, 3);  // bars 0..2 have fewer than 3 values before them
    EXPECT_EQ(prior_high[3], 8.0);     // max(5, 3, 8)
    EXPECT_EQ(prior_high[4], 8.0);     // max(3, 8, 1)
    EXPECT_EQ(prior_high[5], 8.0);     // max(8, 1, 2)
    EXPECT_EQ(prior_high[6], 4.0);     // max(1, 2, 4): the 8 has left the window
    EXPECT_EQ(prior_high[7], 4.0);     // max(2, 4, 0)
    EXPECT_EQ(prior_high[8], 7.0);     // max(4, 0, 7): the current 9 is excluded
    EXPECT_EQ(prior_high[9], 9.0);     // max(0, 7, 9)
    EXPECT_EQ(prior_high[10], 9.0);    // max(7, 9, -1)
}

TEST(PriorExtreme, LowestIsTheMinOfTheNValuesBeforeTheCurrentOne) {
    const auto prior_low = compute_prior_extreme<false>(kExtremeValues, 3);
    expect_nan_before(prior_low, 3);
    EXPECT_EQ(prior_low[3], 3.0);    // min(5, 3, 8)
    EXPECT_EQ(prior_low[4], 1.0);    // min(3, 8, 1)
    EXPECT_EQ(prior_low[5], 1.0);    // min(8, 1, 2)
    EXPECT_EQ(prior_low[6], 1.0);    // min(1, 2, 4)
    EXPECT_EQ(prior_low[7], 0.0);    // min(2, 4, 0)
    EXPECT_EQ(prior_low[8], 0.0);    // min(4, 0, 7)
    EXPECT_EQ(prior_low[9], 0.0);    // min(0, 7, 9)
    EXPECT_EQ(prior_low[10], -1.0);  // min(7, 9, -1)
}

TEST(PriorExtreme, EqualValuesStayInTheWindow) {
    const auto prior_high = compute_prior_extreme<true>({2, 2, 2, 2, 1, 1}, 2);
    expect_nan_before(prior_high, 2);
    EXPECT_EQ(prior_high[2], 2.0);  // max(2, 2)
    EXPECT_EQ(prior_high[3], 2.0);  // max(2, 2)
    EXPECT_EQ(prior_high[4], 2.0);  // max(2, 2)
    EXPECT_EQ(prior_high[5], 2.0);  // max(2, 1)
}

// ---- compute_indicator ----------------------------------------------------------------------

TEST(ComputeIndicator, PriorVolumeIsTheMeanOfTheNVolumesBeforeTheBar) {
    const std::vector<double> price = {1, 1, 1, 1, 1, 1};
    const SymbolBars bars = make_bars(price, price, price, {100, 200, 300, 600, 0, 50});
    const auto volume = compute_indicator({IndicatorKind::kPriorMeanVolume, 3}, bars);
    ASSERT_EQ(volume.size(), 6u);
    expect_nan_before(volume, 3);
    EXPECT_DOUBLE_EQ(volume[3], 200.0);            // (100+200+300)/3, not counting bar 3's 600
    EXPECT_NEAR(volume[4], 1100.0 / 3.0, kTight);  // (200+300+600)/3
    EXPECT_DOUBLE_EQ(volume[5], 300.0);            // (300+600+0)/3
}

TEST(ComputeIndicator, SmaAndStdDevGiveTheMeanAndPopulationStdOfCloses) {
    const std::vector<double> close = {1, 2, 3, 6};
    const SymbolBars bars = make_bars({9, 9, 9, 9}, {0, 0, 0, 0}, close, {1, 1, 1, 1});
    const auto mean = compute_indicator({IndicatorKind::kSma, 3}, bars);
    const auto sd = compute_indicator({IndicatorKind::kStdDev, 3}, bars);
    expect_nan_before(mean, 2);
    expect_nan_before(sd, 2);
    EXPECT_DOUBLE_EQ(mean[2], 2.0);                     // (1+2+3)/3
    EXPECT_NEAR(sd[2], std::sqrt(2.0 / 3.0), kTight);   // sqrt((1+0+1)/3)
    EXPECT_NEAR(mean[3], 11.0 / 3.0, kTight);           // (2+3+6)/3
    EXPECT_NEAR(sd[3], std::sqrt(26.0) / 3.0, kTight);  // sqrt(78/27) = sqrt(26/9)
}

TEST(ComputeIndicator, PriorHighReadsHighsAndPriorLowReadsLows) {
    // Closes in between, so that reading the wrong column would show.
    const SymbolBars bars = make_bars({10, 12, 11, 9}, {5, 4, 6, 3}, {7, 8, 9, 6}, {1, 1, 1, 1});
    const auto high = compute_indicator({IndicatorKind::kPriorHigh, 2}, bars);
    const auto low = compute_indicator({IndicatorKind::kPriorLow, 2}, bars);
    EXPECT_EQ(high[2], 12.0);  // max(high 10, 12)
    EXPECT_EQ(high[3], 12.0);  // max(high 12, 11)
    EXPECT_EQ(low[2], 4.0);    // min(low 5, 4)
    EXPECT_EQ(low[3], 4.0);    // min(low 4, 6)
}

TEST(ComputeIndicator, RejectsAPeriodBelowOne) {
    EXPECT_THROW(StreamingIndicator({IndicatorKind::kRsi, 0}), InternalError);
    EXPECT_EQ((IndicatorKey{IndicatorKind::kRsi, 14}.describe()), "rsi(14)");
}

TEST(ComputeIndicator, EqualsStreamingBarByBarBitForBit) {
    // A random walk long enough to pass several re-anchors of the rolling windows.
    std::mt19937_64 random(7);
    std::normal_distribution<double> step(0.0, 1.0);
    std::uniform_real_distribution<double> spread(0.0, 2.0);
    std::vector<double> high, low, close, volume;
    double price = 50.0;
    for (int i = 0; i < 500; ++i) {
        price += step(random);
        close.push_back(price);
        high.push_back(price + spread(random));
        low.push_back(price - spread(random));
        volume.push_back(1000.0 + 100.0 * spread(random));
    }
    const SymbolBars bars = make_bars(high, low, close, volume);
    for (const IndicatorKind kind :
         {IndicatorKind::kSma, IndicatorKind::kStdDev, IndicatorKind::kEma, IndicatorKind::kRsi, IndicatorKind::kAtr,
          IndicatorKind::kPriorHigh, IndicatorKind::kPriorLow, IndicatorKind::kPriorMeanVolume}) {
        for (const int period : {1, 5, 20}) {
            const IndicatorKey key{kind, period};
            const auto series = compute_indicator(key, bars);
            StreamingIndicator streaming(key);
            ASSERT_EQ(series.size(), bars.size());
            for (std::size_t i = 0; i < bars.size(); ++i)
                ASSERT_EQ(std::bit_cast<std::uint64_t>(series[i]),
                          std::bit_cast<std::uint64_t>(streaming.push(high[i], low[i], close[i], volume[i])))
                    << key.describe() << " at " << i;
        }
    }
}

}  // namespace
}  // namespace tapegrid
