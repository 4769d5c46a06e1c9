// The probability of backtest overfitting (PBO) by combinatorially symmetric cross-validation
// (CSCV; Bailey, Borwein, Lopez de Prado and Zhu, 2015) from a sweep's combination x block sums.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tapegrid {

// A sweep replays N parameter combinations over one timeline. Its T per-bar portfolio returns are
// cut into S equal consecutive blocks, block b holding returns [floor(b T / S), floor((b + 1) T / S)),
// and the kernel adds up, per combination and block, the returns and their squares. Every
// combination sees the same bars, so the count per block is the same for all of them.
struct BlockReturns {
    std::size_t blocks = 0;             // S
    std::vector<std::uint64_t> counts;  // per block: the returns in it (the same for every combination)
    std::vector<double> sums;           // combination-major: sums[c * blocks + b]
    std::vector<double> squares;        // likewise: sums of squared returns
    std::size_t combinations() const;   // sums.size() / blocks (0 when blocks == 0)
};

// The first return of block b when T returns are cut into S blocks: floor(b * T / S) (b = S gives
// T). Throws std::invalid_argument when blocks is 0 or block > blocks.
std::uint64_t block_start(std::uint64_t returns, std::size_t blocks, std::size_t block);

// The per-bar Sharpe ratio of a set of returns given its count n, sum and sum of squares:
// mean / sample standard deviation, mean = sum / n, variance = (squares - sum * mean) / (n - 1);
// 0 when n < 2 or the variance is not positive. The one formula every Sharpe ratio below uses, so
// a split's ratios equal this function's on the added-up blocks bit for bit. The trap of sums:
// squares - sum * mean cancels, so a series with no spread but a nonzero mean (the same return
// every bar) can leave a rounding residue instead of 0, and a huge ratio; all-zero returns are exact.
double sharpe_from_sums(std::uint64_t count, double sum, double squares);

// Per combination, its per-bar Sharpe ratio over all blocks (blocks added in ascending order): what
// the deflated Sharpe ratio's V is the variance of. Throws std::invalid_argument when the vectors'
// sizes disagree.
std::vector<double> whole_period_sharpe(const BlockReturns& returns);

// CSCV, as computed here (N combinations, S blocks, S even):
// - A split chooses S/2 of the S blocks as in-sample (IS); the other S/2 are out-of-sample (OOS).
//   Splits are numbered in lexicographic order of their IS block sets (as sorted ascending index
//   lists), 0 .. C(S, S/2) - 1; a number is unranked into its set by the combinatorial number
//   system (the sets that start with block x, k blocks still to choose, number C(S - 1 - x, k - 1)).
// - For a split, each combination's IS Sharpe ratio is sharpe_from_sums over the union of its IS
//   blocks (counts, sums and squares added in ascending block order), likewise OOS.
// - The chosen combination is the one with the highest IS Sharpe ratio; ties go to the lowest
//   combination index.
// - Its OOS relative rank: r = 1 + (combinations with a strictly lower OOS Sharpe ratio)
//   + (OTHER combinations with an equal OOS Sharpe ratio) / 2, the mid-rank in [1, N];
//   w = r / (N + 1); the logit l = ln(w / (1 - w)).
// - PBO = (evaluated splits with l <= 0) / (splits evaluated): how often the in-sample winner
//   lands at or below the out-of-sample median.
// - Degradation: the ordinary least-squares line of the chosen combination's OOS Sharpe ratio (y)
//   on its IS one (x) across the evaluated splits; slope 0 and intercept mean(y) when x has no
//   spread. probability_of_loss: the share of evaluated splits whose chosen combination's OOS
//   Sharpe ratio is below 0.
// - Pairs: a split's complement (its IS blocks are the split's OOS ones) is split
//   C(S, S/2) - 1 - number, because complementing reverses the lexicographic order. Pair p joins
//   split p (the one whose IS set holds block 0) and split C(S, S/2) - 1 - p, p < C(S, S/2) / 2;
//   both halves' Sharpe ratios are computed once per pair and serve both splits.
// - Cost bound: when C(S, S/2) * N > max_work, only a sample of pairs is evaluated, both splits
//   of each: max(1, floor(max_work / (2 N))) pairs, at most all of them, drawn uniformly without
//   replacement by Floyd's algorithm. The draws come from splitmix64 (Steele, Lea and Flood, 2014)
//   whose state starts at `seed`, each bounded to [0, n) by Lemire's multiply-shift with rejection,
//   so the sample is the same on every platform and standard library; the pair numbers are then
//   sorted ascending.
// - Results (splits, logits, ...) are in split-number order, and bit-identical at any thread count:
//   each pair is computed on its own and the totals are added up serially in that order.
struct PboOptions {
    std::uint64_t max_work = 100'000'000;  // combination-splits evaluated at most; above, the splits are sampled
    std::uint64_t seed = 0;                // for sampling
};

struct PboResult {
    double pbo = 0.0;                          // the share of evaluated splits with logit <= 0
    std::vector<std::uint64_t> splits;         // the evaluated split numbers, ascending
    std::vector<double> logits;                // l = ln(w / (1 - w)), one per evaluated split, in split order
    std::vector<double> in_sample_sharpe;      // per evaluated split: the chosen combination's IS Sharpe ratio
    std::vector<double> out_of_sample_sharpe;  // and its OOS one
    std::vector<std::size_t> chosen;           // per evaluated split: the chosen combination
    double degradation_slope = 0.0;            // least-squares slope of OOS on IS Sharpe ratio, across splits
    double degradation_intercept = 0.0;
    double probability_of_loss = 0.0;  // share of evaluated splits whose chosen combination's OOS Sharpe < 0
    std::uint64_t splits_total = 0;    // C(S, S/2)
    std::uint64_t splits_evaluated = 0;
    bool sampled = false;
};

// The most blocks: C(64, 32) still fits in 64 bits.
inline constexpr std::size_t kMaxPboBlocks = 64;

// Throws std::invalid_argument when blocks is odd, below 2 or above kMaxPboBlocks, when the
// vectors' sizes disagree, or when there are fewer than 2 combinations.
PboResult probability_of_backtest_overfitting(const BlockReturns& returns, const PboOptions& options = {});

}  // namespace tapegrid
