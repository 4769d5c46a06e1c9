// The probability of backtest overfitting by CSCV: a case worked by hand, a constructed case that
// pins the split order, agreement with a plain one-split-at-a-time reading of the definition,
// sampling, statistical sanity on noise and on planted skill, and the same bits at any thread count.
#include "engine/sweep/backtest_overfitting.h"

#include <gtest/gtest.h>
#include <oneapi/tbb/global_control.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

namespace tapegrid {
namespace {

// Block sums of per-combination return series, each cut into `blocks` blocks by block_start.
BlockReturns block_returns(const std::vector<std::vector<double>>& series, std::size_t blocks) {
    BlockReturns returns;
    returns.blocks = blocks;
    const std::uint64_t length = series.front().size();
    for (std::size_t b = 0; b < blocks; ++b)
        returns.counts.push_back(block_start(length, blocks, b + 1) - block_start(length, blocks, b));
    for (const std::vector<double>& returns_of_one : series)
        for (std::size_t b = 0; b < blocks; ++b) {
            double sum = 0.0, squares = 0.0;
            for (std::uint64_t i = block_start(length, blocks, b); i < block_start(length, blocks, b + 1); ++i) {
                sum += returns_of_one[i];
                squares += returns_of_one[i] * returns_of_one[i];
            }
            returns.sums.push_back(sum);
            returns.squares.push_back(squares);
        }
    return returns;
}

// splitmix64 and Box-Muller: normal returns for the statistical tests. Their exact values do not
// matter (the tests assert ranges), only that the seed fixes them.
class NormalReturns {
  public:
    explicit NormalReturns(std::uint64_t seed) : state_(seed) {}
    double next() {
        const double u1 = (static_cast<double>(raw() >> 11) + 1.0) * 0x1.0p-53;  // (0, 1]
        const double u2 = static_cast<double>(raw() >> 11) * 0x1.0p-53;
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }

  private:
    std::uint64_t raw() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    std::uint64_t state_;
};

// N combinations of `length` i.i.d. normal returns (standard deviation 1%); the first `skilled`
// of them earn `edge` standard deviations more every bar.
BlockReturns noise(std::size_t combinations, std::size_t blocks, std::size_t length, std::uint64_t seed,
                   std::size_t skilled = 0, double edge = 0.0) {
    NormalReturns normal(seed);
    std::vector<std::vector<double>> series(combinations, std::vector<double>(length));
    for (std::size_t c = 0; c < combinations; ++c)
        for (double& r : series[c]) r = 0.01 * (normal.next() + (c < skilled ? edge : 0.0));
    return block_returns(series, blocks);
}

std::vector<std::uint64_t> bits(const std::vector<double>& values) {
    std::vector<std::uint64_t> out(values.size());
    std::transform(values.begin(), values.end(), out.begin(),
                   [](double value) { return std::bit_cast<std::uint64_t>(value); });
    return out;
}

void expect_identical(const PboResult& a, const PboResult& b) {
    EXPECT_EQ(a.splits, b.splits);
    EXPECT_EQ(bits(a.logits), bits(b.logits));
    EXPECT_EQ(bits(a.in_sample_sharpe), bits(b.in_sample_sharpe));
    EXPECT_EQ(bits(a.out_of_sample_sharpe), bits(b.out_of_sample_sharpe));
    EXPECT_EQ(a.chosen, b.chosen);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(a.pbo), std::bit_cast<std::uint64_t>(b.pbo));
    EXPECT_EQ(std::bit_cast<std::uint64_t>(a.degradation_slope), std::bit_cast<std::uint64_t>(b.degradation_slope));
    EXPECT_EQ(std::bit_cast<std::uint64_t>(a.degradation_intercept),
              std::bit_cast<std::uint64_t>(b.degradation_intercept));
    EXPECT_EQ(std::bit_cast<std::uint64_t>(a.probability_of_loss), std::bit_cast<std::uint64_t>(b.probability_of_loss));
    EXPECT_EQ(a.splits_total, b.splits_total);
    EXPECT_EQ(a.splits_evaluated, b.splits_evaluated);
    EXPECT_EQ(a.sampled, b.sampled);
}

TEST(BacktestOverfitting, BlocksStartAtTheFloorOfTheirShare) {
    // T = 10 into S = 4: floor(0), floor(2.5), floor(5), floor(7.5), 10 -> blocks of 2, 3, 2, 3.
    EXPECT_EQ(block_start(10, 4, 0), 0u);
    EXPECT_EQ(block_start(10, 4, 1), 2u);
    EXPECT_EQ(block_start(10, 4, 2), 5u);
    EXPECT_EQ(block_start(10, 4, 3), 7u);
    EXPECT_EQ(block_start(10, 4, 4), 10u);
    // Fewer returns than blocks: some blocks are empty. T = 3, S = 4: 0, 0, 1, 2, 3.
    EXPECT_EQ(block_start(3, 4, 1), 0u);
    EXPECT_EQ(block_start(3, 4, 2), 1u);
    // b * T overflows 64 bits here; floor(2 * (2^64 - 1) / 3) = 12297829382473034410 (Python).
    EXPECT_EQ(block_start(std::numeric_limits<std::uint64_t>::max(), 3, 2), 12297829382473034410ULL);
    EXPECT_THROW(block_start(10, 0, 0), std::invalid_argument);
    EXPECT_THROW(block_start(10, 4, 5), std::invalid_argument);
}

TEST(BacktestOverfitting, SharpeFromSumsIsMeanOverSampleStandardDeviation) {
    // Returns 0.01, -0.02, 0.015, 0.003: sum 0.008, squares 0.0001 + 0.0004 + 0.000225 + 0.000009
    // = 0.000734; mean 0.002, variance (0.000734 - 0.008 * 0.002) / 3 = 0.000718 / 3; Sharpe
    // 0.002 / sqrt(0.000718 / 3) = 0.1292791240765715 (Python, exact fractions then one sqrt).
    EXPECT_NEAR(sharpe_from_sums(4, 0.008, 0.000734), 0.1292791240765715, 1e-14);
    EXPECT_NEAR(sharpe_from_sums(4, -0.008, 0.000734), -0.1292791240765715, 1e-14);
    // Fewer than two returns, no spread (four returns of 0.5), or squares too small for the sum.
    EXPECT_EQ(sharpe_from_sums(1, 0.01, 0.0001), 0.0);
    EXPECT_EQ(sharpe_from_sums(0, 0.0, 0.0), 0.0);
    EXPECT_EQ(sharpe_from_sums(4, 2.0, 1.0), 0.0);
    EXPECT_EQ(sharpe_from_sums(2, 2.0, 1.0), 0.0);
}

// Three combinations, four blocks of one return each (in percent):
//   combination 0: -2,  2, 3, -1
//   combination 1:  2,  2, 4,  1
//   combination 2:  2, -1, 1, -1
// A half is two returns x, y: mean (x + y) / 2, variance (x - y)^2 / 2, so its Sharpe ratio is
// rho / sqrt(2) with rho = (x + y) / |x - y| (0 when x = y). rho per half (blocks):
//               (0,1)  (0,2)  (0,3)  (1,2)  (1,3)  (2,3)
//   comb. 0       0     1/5    -3      5     1/3    1/2
//   comb. 1       0      3      3      3      3     5/3     ((0,1): 2, 2 has no spread)
//   comb. 2      1/3     3     1/3     0      0      0      ((1,3): -1, -1 has no spread)
// Splits (IS blocks; OOS the other two), with N = 3 so w = r / 4:
//   0 (0,1): IS 0, 0, 1/3 -> 2; OOS (2,3) 1/2, 5/3, 0: 0 is lowest, r = 1, l = ln(1/3)
//   1 (0,2): IS 1/5, 3, 3 -> 1 (tie with 2); OOS (1,3) 1/3, 3, 0: highest, r = 3, l = ln 3
//   2 (0,3): IS -3, 3, 1/3 -> 1; OOS (1,2) 5, 3, 0: middle, r = 2, l = 0
//   3 (1,2): IS 5, 3, 0 -> 0; OOS (0,3) -3, 3, 1/3: lowest, r = 1, l = ln(1/3)
//   4 (1,3): IS 1/3, 3, 0 -> 1; OOS (0,2) 1/5, 3, 3: above 1/5, tied with 2, r = 5/2, l = ln(5/3)
//   5 (2,3): IS 1/2, 5/3, 0 -> 1; OOS (0,1) 0, 0, 1/3: tied with 0, r = 3/2, l = ln(3/5)
// PBO = 4/6 (splits 0, 2, 3, 5); one chosen OOS ratio below 0 (split 3): probability of loss 1/6.
// Degradation in rho: x = 1/3, 3, 3, 5, 3, 5/3 (mean 8/3); y = 0, 3, 3, -3, 3, 0 (mean 1);
// Sxx = (49 + 1 + 1 + 49 + 1 + 9) / 9 = 110/9; Sxy = (7 + 2 + 2 - 28 + 2 + 3) / 3 = -4;
// slope -4 / (110/9) = -18/55 (the same in Sharpe units); intercept 1 + 18/55 * 8/3 = 103/55 in rho,
// 103 / (55 sqrt 2) as a Sharpe ratio.
TEST(BacktestOverfitting, ThreeCombinationsOverFourBlocksAsWorkedByHand) {
    const BlockReturns returns = block_returns({{-2, 2, 3, -1}, {2, 2, 4, 1}, {2, -1, 1, -1}}, 4);
    const PboResult result = probability_of_backtest_overfitting(returns);
    const double root2 = std::numbers::sqrt2;
    EXPECT_EQ(result.splits_total, 6u);
    EXPECT_EQ(result.splits_evaluated, 6u);
    EXPECT_FALSE(result.sampled);
    EXPECT_EQ(result.splits, (std::vector<std::uint64_t>{0, 1, 2, 3, 4, 5}));
    EXPECT_EQ(result.chosen, (std::vector<std::size_t>{2, 1, 1, 0, 1, 1}));
    const std::vector<double> logits = {-std::log(3.0), std::log(3.0),       0.0,
                                        -std::log(3.0), std::log(5.0 / 3.0), std::log(3.0 / 5.0)};
    const std::vector<double> in_sample = {1.0 / 3.0, 3.0, 3.0, 5.0, 3.0, 5.0 / 3.0};
    const std::vector<double> out_of_sample = {0.0, 3.0, 3.0, -3.0, 3.0, 0.0};
    ASSERT_EQ(result.logits.size(), 6u);
    for (std::size_t split = 0; split < 6; ++split) {
        EXPECT_NEAR(result.logits[split], logits[split], 1e-12) << split;
        EXPECT_NEAR(result.in_sample_sharpe[split], in_sample[split] / root2, 1e-12) << split;
        EXPECT_NEAR(result.out_of_sample_sharpe[split], out_of_sample[split] / root2, 1e-12) << split;
    }
    EXPECT_NEAR(result.pbo, 4.0 / 6.0, 1e-12);
    EXPECT_NEAR(result.probability_of_loss, 1.0 / 6.0, 1e-12);
    EXPECT_NEAR(result.degradation_slope, -18.0 / 55.0, 1e-12);
    EXPECT_NEAR(result.degradation_intercept, 103.0 / 55.0 / root2, 1e-12);
}

TEST(BacktestOverfitting, SplitRatiosAreSharpeFromSumsOnTheAddedUpBlocks) {
    const BlockReturns returns = noise(5, 4, 40, 3);
    const PboResult result = probability_of_backtest_overfitting(returns);
    // Split 1 is IS blocks {0, 2}, OOS {1, 3}; the ratios must be the scalar function's, bit for bit.
    const std::size_t c = result.chosen[1];
    const double* sums = &returns.sums[c * 4];
    const double* squares = &returns.squares[c * 4];
    EXPECT_EQ(result.in_sample_sharpe[1], sharpe_from_sums(20, sums[0] + sums[2], squares[0] + squares[2]));
    EXPECT_EQ(result.out_of_sample_sharpe[1], sharpe_from_sums(20, sums[1] + sums[3], squares[1] + squares[3]));
    // The whole period: combination 0 of the hand-worked case, -2, 2, 3, -1: mean 0.5, variance
    // (18 - 2 * 0.5) / 3 = 17/3, Sharpe 0.5 / sqrt(17/3) = 0.21004201260420147 (Python).
    const std::vector<double> whole =
        whole_period_sharpe(block_returns({{-2, 2, 3, -1}, {2, 2, 4, 1}, {2, -1, 1, -1}}, 4));
    ASSERT_EQ(whole.size(), 3u);
    EXPECT_NEAR(whole[0], 0.21004201260420147, 1e-15);
}

// Six blocks of ten returns, 20 combinations: combination j is good (block sum +1) exactly in the
// IS blocks of split j (the j-th 3-subset of 0..5 in lexicographic order) and bad (-1) in the
// others, each block's squares 1. Split j's IS winner is then combination j alone (every other
// one has a bad block there) and its OOS ratio is strictly the lowest (every other one has a good
// block there): r = 1, w = 1/21, l = ln(1/20) for every split, so the chosen list pins the order.
// IS Sharpe: n = 30, sum 3, squares 3: 0.1 / sqrt((3 - 0.3) / 29) = 0.32773069341672506; OOS its
// negative. x has no spread: slope 0, intercept mean(y).
TEST(BacktestOverfitting, SplitsComeInLexicographicOrderOfTheirInSampleBlocks) {
    BlockReturns returns;
    returns.blocks = 6;
    returns.counts.assign(6, 10);
    for (std::size_t a = 0; a < 6; ++a)
        for (std::size_t b = a + 1; b < 6; ++b)
            for (std::size_t c = b + 1; c < 6; ++c)
                for (std::size_t block = 0; block < 6; ++block) {
                    returns.sums.push_back(block == a || block == b || block == c ? 1.0 : -1.0);
                    returns.squares.push_back(1.0);
                }
    ASSERT_EQ(returns.combinations(), 20u);
    const PboResult result = probability_of_backtest_overfitting(returns);
    EXPECT_EQ(result.splits_total, 20u);
    EXPECT_EQ(result.splits_evaluated, 20u);
    for (std::size_t split = 0; split < 20; ++split) {
        EXPECT_EQ(result.splits[split], split);
        EXPECT_EQ(result.chosen[split], split);
        EXPECT_NEAR(result.logits[split], std::log(1.0 / 20.0), 1e-12) << split;
        EXPECT_NEAR(result.in_sample_sharpe[split], 0.32773069341672506, 1e-14) << split;
        EXPECT_NEAR(result.out_of_sample_sharpe[split], -0.32773069341672506, 1e-14) << split;
    }
    EXPECT_EQ(result.pbo, 1.0);
    EXPECT_EQ(result.probability_of_loss, 1.0);
    EXPECT_EQ(result.degradation_slope, 0.0);
    EXPECT_NEAR(result.degradation_intercept, -0.32773069341672506, 1e-14);
}

// The definition read plainly, one split at a time: every IS block set in lexicographic order
// (by recursion), the sums added block by block, the first maximum, the ranks counted one by one.
struct PlainSplit {
    std::size_t chosen = 0;
    double in_sample_sharpe = 0.0;
    double out_of_sample_sharpe = 0.0;
    double logit = 0.0;
};

double plain_sharpe(const BlockReturns& returns, std::size_t c, const std::vector<std::size_t>& blocks) {
    std::uint64_t count = 0;
    double sum = 0.0, squares = 0.0;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        const std::size_t at = c * returns.blocks + blocks[i];
        count += returns.counts[blocks[i]];
        sum = i == 0 ? returns.sums[at] : sum + returns.sums[at];
        squares = i == 0 ? returns.squares[at] : squares + returns.squares[at];
    }
    return sharpe_from_sums(count, sum, squares);
}

std::vector<PlainSplit> plain_cscv(const BlockReturns& returns) {
    std::vector<std::vector<std::size_t>> sets;
    std::vector<std::size_t> current;
    const std::function<void(std::size_t)> extend = [&](std::size_t next) {
        if (current.size() == returns.blocks / 2) {
            sets.push_back(current);
            return;
        }
        for (std::size_t b = next; b < returns.blocks; ++b) {
            current.push_back(b);
            extend(b + 1);
            current.pop_back();
        }
    };
    extend(0);
    const std::size_t n = returns.combinations();
    std::vector<PlainSplit> splits;
    for (const std::vector<std::size_t>& in_sample : sets) {
        std::vector<std::size_t> out_of_sample;
        for (std::size_t b = 0; b < returns.blocks; ++b)
            if (std::find(in_sample.begin(), in_sample.end(), b) == in_sample.end()) out_of_sample.push_back(b);
        PlainSplit split;
        split.in_sample_sharpe = plain_sharpe(returns, 0, in_sample);
        for (std::size_t c = 1; c < n; ++c) {
            const double sharpe = plain_sharpe(returns, c, in_sample);
            if (sharpe > split.in_sample_sharpe) {
                split.chosen = c;
                split.in_sample_sharpe = sharpe;
            }
        }
        split.out_of_sample_sharpe = plain_sharpe(returns, split.chosen, out_of_sample);
        double rank = 1.0;
        for (std::size_t c = 0; c < n; ++c) {
            const double sharpe = plain_sharpe(returns, c, out_of_sample);
            if (sharpe < split.out_of_sample_sharpe) rank += 1.0;
            if (sharpe == split.out_of_sample_sharpe && c != split.chosen) rank += 0.5;
        }
        const double w = rank / (static_cast<double>(n) + 1.0);
        split.logit = std::log(w / (1.0 - w));
        splits.push_back(split);
    }
    return splits;
}

// 23 combinations over 8 blocks (70 splits), with the cases that break a fast path: duplicates
// (exact ties), one that never trades (all zero), one with constant returns (no spread), one that
// is another scaled by 2 (the same Sharpe ratios to the bit), and a count that leaves the last
// lane group part padding.
TEST(BacktestOverfitting, AgreesWithAPlainReadingOfTheDefinition) {
    NormalReturns normal(17);
    std::vector<std::vector<double>> series(23, std::vector<double>(80));
    for (std::size_t c = 0; c < 23; ++c)
        for (double& r : series[c]) r = 0.01 * normal.next() + (c % 5 == 0 ? 0.002 : 0.0);
    series[15] = series[3];
    series[16] = series[3];
    std::fill(series[17].begin(), series[17].end(), 0.0);
    std::fill(series[18].begin(), series[18].end(), 0.001);
    for (std::size_t i = 0; i < 80; ++i) series[19][i] = 2.0 * series[5][i];
    const BlockReturns returns = block_returns(series, 8);

    const PboResult result = probability_of_backtest_overfitting(returns);
    const std::vector<PlainSplit> plain = plain_cscv(returns);
    ASSERT_EQ(result.splits_evaluated, plain.size());
    for (std::size_t split = 0; split < plain.size(); ++split) {
        EXPECT_EQ(result.chosen[split], plain[split].chosen) << split;
        EXPECT_EQ(result.in_sample_sharpe[split], plain[split].in_sample_sharpe) << split;
        EXPECT_EQ(result.out_of_sample_sharpe[split], plain[split].out_of_sample_sharpe) << split;
        EXPECT_EQ(result.logits[split], plain[split].logit) << split;
    }
}

TEST(BacktestOverfitting, AboveMaxWorkASeededSampleOfPairs) {
    const BlockReturns returns = noise(200, 16, 800, 7);
    const PboResult full = probability_of_backtest_overfitting(returns);
    EXPECT_FALSE(full.sampled);
    EXPECT_EQ(full.splits_total, 12870u);
    EXPECT_EQ(full.splits_evaluated, 12870u);

    // floor(40399 / (2 * 200)) = 100 pairs, 200 splits.
    const PboResult sample = probability_of_backtest_overfitting(returns, {.max_work = 40399, .seed = 1});
    EXPECT_TRUE(sample.sampled);
    EXPECT_EQ(sample.splits_total, 12870u);
    EXPECT_EQ(sample.splits_evaluated, 200u);
    ASSERT_EQ(sample.splits.size(), 200u);
    EXPECT_TRUE(std::is_sorted(sample.splits.begin(), sample.splits.end()));
    EXPECT_EQ(std::adjacent_find(sample.splits.begin(), sample.splits.end()), sample.splits.end());
    for (std::size_t i = 0; i < 200; ++i) {
        // Both splits of each pair: the complement of split s is split 12869 - s.
        EXPECT_EQ(sample.splits[i] + sample.splits[199 - i], 12869u);
        // A sampled split's outcome is the full run's for the same split.
        const std::uint64_t split = sample.splits[i];
        EXPECT_EQ(sample.chosen[i], full.chosen[split]);
        EXPECT_EQ(sample.logits[i], full.logits[split]);
        EXPECT_EQ(sample.out_of_sample_sharpe[i], full.out_of_sample_sharpe[split]);
    }

    expect_identical(sample, probability_of_backtest_overfitting(returns, {.max_work = 40399, .seed = 1}));
    const PboResult other = probability_of_backtest_overfitting(returns, {.max_work = 40399, .seed = 2});
    EXPECT_EQ(other.splits_evaluated, 200u);
    EXPECT_NE(other.splits, sample.splits);

    // Less work than one pair still evaluates one pair.
    const PboResult least = probability_of_backtest_overfitting(returns, {.max_work = 10});
    EXPECT_TRUE(least.sampled);
    EXPECT_EQ(least.splits_evaluated, 2u);
    EXPECT_EQ(least.splits[0] + least.splits[1], 12869u);
}

TEST(BacktestOverfitting, NoiseOverfitsAboutHalfTheTimeAndSkillDoesNot) {
    const PboResult noisy = probability_of_backtest_overfitting(noise(200, 16, 800, 11));
    EXPECT_GT(noisy.pbo, 0.3);
    EXPECT_LT(noisy.pbo, 0.7);
    // A combination's IS and OOS ratios share one whole period, so luck in one half is its absence
    // in the other and the line tends to slope down (-0.43 on this matrix; across noise matrices it
    // scatters around a negative mean, sometimes above 0).
    EXPECT_LT(noisy.degradation_slope, 0.0);

    // Ten combinations earn 0.2 standard deviations a bar: over a half (400 bars) that is about four
    // standard errors above zero, where the best of 190 noise ones reaches about three.
    const PboResult skilled = probability_of_backtest_overfitting(noise(200, 16, 800, 11, 10, 0.2));
    EXPECT_LT(skilled.pbo, 0.1);
    EXPECT_LT(skilled.probability_of_loss, 0.01);
    // A lucky noise combination still wins a split now and then, hence not all of them.
    const auto skilled_wins =
        std::count_if(skilled.chosen.begin(), skilled.chosen.end(), [](std::size_t c) { return c < 10; });
    EXPECT_GT(static_cast<double>(skilled_wins) / static_cast<double>(skilled.chosen.size()), 0.99);
}

TEST(BacktestOverfitting, InvalidInputsThrow) {
    const BlockReturns good = block_returns({{1, 2, 3, 4}, {4, 3, 2, 1}}, 4);
    EXPECT_NO_THROW(probability_of_backtest_overfitting(good));

    BlockReturns odd = block_returns({{1, 2, 3}, {3, 2, 1}}, 3);
    EXPECT_THROW(probability_of_backtest_overfitting(odd), std::invalid_argument);
    EXPECT_THROW(probability_of_backtest_overfitting(BlockReturns{}), std::invalid_argument);
    const BlockReturns too_many = block_returns({std::vector<double>(66, 0.01), std::vector<double>(66, 0.02)}, 66);
    EXPECT_THROW(probability_of_backtest_overfitting(too_many), std::invalid_argument);

    BlockReturns counts = good;
    counts.counts.pop_back();
    EXPECT_THROW(probability_of_backtest_overfitting(counts), std::invalid_argument);
    EXPECT_THROW(whole_period_sharpe(counts), std::invalid_argument);
    BlockReturns squares = good;
    squares.squares.pop_back();
    EXPECT_THROW(probability_of_backtest_overfitting(squares), std::invalid_argument);
    BlockReturns ragged = good;
    ragged.sums.pop_back();
    ragged.squares.pop_back();
    EXPECT_THROW(probability_of_backtest_overfitting(ragged), std::invalid_argument);

    const BlockReturns alone = block_returns({{1, 2, 3, 4}}, 4);
    EXPECT_THROW(probability_of_backtest_overfitting(alone), std::invalid_argument);
}

TEST(BacktestOverfitting, TheSameBitsAtAnyThreadCount) {
    const BlockReturns returns = noise(301, 12, 600, 5);  // 301: the last lane group is partly padding
    PboResult one, two;
    {
        const oneapi::tbb::global_control control(oneapi::tbb::global_control::max_allowed_parallelism, 1);
        one = probability_of_backtest_overfitting(returns);
    }
    {
        const oneapi::tbb::global_control control(oneapi::tbb::global_control::max_allowed_parallelism, 2);
        two = probability_of_backtest_overfitting(returns);
    }
    EXPECT_EQ(one.splits_evaluated, 924u);
    expect_identical(one, two);
}

}  // namespace
}  // namespace tapegrid
