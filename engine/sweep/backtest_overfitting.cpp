// Combinatorially symmetric cross-validation over a sweep's combination x block sums.
#include "engine/sweep/backtest_overfitting.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <unordered_set>

#include "engine/core/lanes.h"

namespace tapegrid {

namespace {

using Lane = Lanes<4>;
using Doubles = Lane::Doubles;
using Mask = Lane::Mask;
constexpr std::size_t kLanes = Lane::kCount;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Doubles load(const double* from) {
    Doubles value;
    std::memcpy(&value, from, sizeof value);  // unaligned: std::vector promises 16 bytes, a lane needs 32
    return value;
}

void store(double* to, Doubles value) {
    std::memcpy(to, &value, sizeof value);
}

// IEEE square roots are correctly rounded, so the instruction and std::sqrt agree bit for bit.
Doubles square_root(Doubles value) {
#if defined(__AVX__)
    return _mm256_sqrt_pd(value);
#else
    for (std::size_t lane = 0; lane < kLanes; ++lane) value[lane] = std::sqrt(value[lane]);
    return value;
#endif
}

void check_shape(const BlockReturns& returns) {
    if (returns.counts.size() != returns.blocks)
        throw std::invalid_argument("block returns: " + std::to_string(returns.counts.size()) + " counts for " +
                                    std::to_string(returns.blocks) + " blocks");
    if (returns.squares.size() != returns.sums.size())
        throw std::invalid_argument("block returns: " + std::to_string(returns.sums.size()) + " sums but " +
                                    std::to_string(returns.squares.size()) + " sums of squares");
    if (returns.blocks == 0 ? !returns.sums.empty() : returns.sums.size() % returns.blocks != 0)
        throw std::invalid_argument("block returns: " + std::to_string(returns.sums.size()) +
                                    " sums are not a whole number of combinations of " +
                                    std::to_string(returns.blocks) + " blocks");
}

// Exact for n <= 64: each step's value is a binomial coefficient, and 128 bits hold it times n.
std::uint64_t binomial(std::size_t n, std::size_t k) {
    if (k > n) return 0;
    k = std::min(k, n - k);
    unsigned __int128 value = 1;
    for (std::size_t i = 0; i < k; ++i) value = value * (n - i) / (i + 1);
    return static_cast<std::uint64_t>(value);
}

// The IS and OOS blocks of split `number`, each ascending: the combinatorial number system read in
// lexicographic order. Of the sets still possible, those that take block x next number
// C(S - 1 - x, k - 1), k the blocks still to choose; a number past them skips x.
void unrank_split(std::uint64_t number, std::size_t blocks, std::size_t* in_sample, std::size_t* out_of_sample) {
    std::size_t to_choose = blocks / 2;
    for (std::size_t block = 0; block < blocks; ++block) {
        const std::uint64_t taking_it = to_choose == 0 ? 0 : binomial(blocks - 1 - block, to_choose - 1);
        if (number < taking_it) {
            *in_sample++ = block;
            --to_choose;
        } else {
            number -= taking_it;
            *out_of_sample++ = block;
        }
    }
}

// splitmix64 (Steele, Lea and Flood, 2014): the state walks by the golden-ratio increment and each
// output is a mix of it. Its own few lines rather than <random>'s engines and distributions,
// whose outputs are not specified across standard libraries.
class SplitMix64 {
  public:
    explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    // Uniform in [0, bound) (Lemire, 2019: multiply-shift, rejecting the low products that would
    // favour some values).
    std::uint64_t below(std::uint64_t bound) {
        unsigned __int128 product = static_cast<unsigned __int128>(next()) * bound;
        if (static_cast<std::uint64_t>(product) < bound) {
            const std::uint64_t threshold = (0 - bound) % bound;  // 2^64 mod bound
            while (static_cast<std::uint64_t>(product) < threshold)
                product = static_cast<unsigned __int128>(next()) * bound;
        }
        return static_cast<std::uint64_t>(product >> 64);
    }

  private:
    std::uint64_t state_;
};

// `count` distinct pair numbers out of [0, pairs), ascending. Floyd's algorithm takes exactly
// `count` draws and memory for the sample only, however many pairs there are.
std::vector<std::uint64_t> sample_pairs(std::uint64_t pairs, std::uint64_t count, std::uint64_t seed) {
    SplitMix64 generator(seed);
    std::unordered_set<std::uint64_t> taken;
    taken.reserve(count);
    std::vector<std::uint64_t> sample;
    sample.reserve(count);
    for (std::uint64_t top = pairs - count; top < pairs; ++top) {
        const std::uint64_t draw = generator.below(top + 1);
        const std::uint64_t pick = taken.contains(draw) ? top : draw;
        taken.insert(pick);
        sample.push_back(pick);
    }
    std::sort(sample.begin(), sample.end());
    return sample;
}

// The sums block-major, sums and squares interleaved a lane group at a time (each block's row holds
// 4 combinations' sums, their 4 squares, the next 4 sums, ...), padded with zeros to whole lanes:
// adding up a half's blocks then walks one pointer per block, four combinations at a time.
struct BlockMajor {
    std::size_t combinations = 0;
    std::size_t stride = 0;      // combinations rounded up to whole lanes
    std::vector<double> values;  // block b's row starts at values[b * 2 * stride]
    const double* row(std::size_t block) const { return &values[block * 2 * stride]; }
};

BlockMajor transpose(const BlockReturns& returns) {
    BlockMajor data;
    data.combinations = returns.combinations();
    data.stride = (data.combinations + kLanes - 1) / kLanes * kLanes;
    data.values.assign(returns.blocks * 2 * data.stride, 0.0);
    for (std::size_t c = 0; c < data.combinations; ++c)
        for (std::size_t b = 0; b < returns.blocks; ++b) {
            double* group = &data.values[b * 2 * data.stride + 2 * (c - c % kLanes)];
            group[c % kLanes] = returns.sums[c * returns.blocks + b];
            group[kLanes + c % kLanes] = returns.squares[c * returns.blocks + b];
        }
    return data;
}

// Per combination, the Sharpe ratio over `blocks` (ascending): sharpe_from_sums in lanes, the same
// operations in the same order, so the same bits. The padding comes out NaN, which no comparison
// below selects or counts.
void half_sharpe(const BlockMajor& data, std::span<const std::size_t> blocks, std::uint64_t count, double* sharpe) {
    if (count < 2) {
        std::fill(sharpe, sharpe + data.combinations, 0.0);
        std::fill(sharpe + data.combinations, sharpe + data.stride, kNaN);
        return;
    }
    // The rows looked up once: a multiply per block and lane group cost a quarter of the time.
    std::array<const double*, kMaxPboBlocks / 2> rows{};
    for (std::size_t i = 0; i < blocks.size(); ++i) rows[i] = data.row(blocks[i]);
    const Doubles n = Lane::splat(static_cast<double>(count));
    const Doubles n_minus_one = Lane::splat(static_cast<double>(count) - 1.0);
    const Doubles zero = Lane::splat(0.0);
    for (std::size_t c = 0; c < data.stride; c += kLanes) {
        Doubles sum = load(rows[0] + 2 * c);
        Doubles squares = load(rows[0] + 2 * c + kLanes);
        for (std::size_t i = 1; i < blocks.size(); ++i) {
            sum += load(rows[i] + 2 * c);
            squares += load(rows[i] + 2 * c + kLanes);
        }
        const Doubles mean = sum / n;
        const Doubles variance = (squares - sum * mean) / n_minus_one;
        store(sharpe + c, variance > zero ? mean / square_root(variance) : zero);
    }
    std::fill(sharpe + data.combinations, sharpe + data.stride, kNaN);
}

// The highest Sharpe ratio's combination, the lowest index among equals. Each lane keeps its own
// first maximum (only a strictly greater value replaces it); the lanes are merged at the end.
std::size_t best_combination(const double* sharpe, const BlockMajor& data) {
    static_assert(kLanes == 4, "the first lane group's indices below");
    Doubles best = load(sharpe);
    Mask best_index = {0, 1, 2, 3};
    Mask index = best_index;
    const Mask step = Mask{} + static_cast<std::int64_t>(kLanes);
    for (std::size_t c = kLanes; c < data.stride; c += kLanes) {
        index += step;
        const Doubles value = load(sharpe + c);
        const Mask better = value > best;
        best = better ? value : best;
        best_index = better ? index : best_index;
    }
    std::size_t chosen = data.combinations;
    double chosen_sharpe = 0.0;
    for (std::size_t lane = 0; lane < kLanes; ++lane) {
        const auto candidate = static_cast<std::size_t>(best_index[lane]);
        if (candidate >= data.combinations) continue;  // padding
        if (chosen == data.combinations || best[lane] > chosen_sharpe ||
            (best[lane] == chosen_sharpe && candidate < chosen)) {
            chosen = candidate;
            chosen_sharpe = best[lane];
        }
    }
    return chosen;
}

struct SplitOutcome {
    std::size_t chosen = 0;
    double in_sample_sharpe = 0.0;
    double out_of_sample_sharpe = 0.0;
    double logit = 0.0;
};

SplitOutcome evaluate_split(const double* in_sample, const double* out_of_sample, const BlockMajor& data) {
    SplitOutcome outcome;
    outcome.chosen = best_combination(in_sample, data);
    outcome.in_sample_sharpe = in_sample[outcome.chosen];
    outcome.out_of_sample_sharpe = out_of_sample[outcome.chosen];
    const Doubles target = Lane::splat(outcome.out_of_sample_sharpe);
    Mask below{}, equal{};
    for (std::size_t c = 0; c < data.stride; c += kLanes) {
        const Doubles value = load(out_of_sample + c);
        below -= value < target;  // a true comparison is -1
        equal -= value == target;
    }
    std::int64_t below_count = 0, equal_count = 0;
    for (std::size_t lane = 0; lane < kLanes; ++lane) {
        below_count += below[lane];
        equal_count += equal[lane];
    }
    // equal_count includes the chosen combination itself.
    const double rank = 1.0 + static_cast<double>(below_count) + static_cast<double>(equal_count - 1) / 2.0;
    const double w = rank / (static_cast<double>(data.combinations) + 1.0);
    outcome.logit = std::log(w / (1.0 - w));
    return outcome;
}

std::uint64_t count_over(const BlockReturns& returns, std::span<const std::size_t> blocks) {
    std::uint64_t count = 0;
    for (const std::size_t b : blocks) count += returns.counts[b];
    return count;
}

// One thread's buffers, allocated once and reused for every pair it evaluates.
struct PairScratch {
    PairScratch(std::size_t blocks, std::size_t stride) : blocks(blocks), first_sharpe(stride), second_sharpe(stride) {}
    std::vector<std::size_t> blocks;  // the first split's IS blocks, then its OOS ones (the complement's IS)
    std::vector<double> first_sharpe;
    std::vector<double> second_sharpe;
};

// Both splits of pair `pair`, from one computation of its two halves.
void evaluate_pair(std::uint64_t pair, const BlockReturns& returns, const BlockMajor& data, PairScratch& scratch,
                   SplitOutcome& first, SplitOutcome& second) {
    const std::size_t half = returns.blocks / 2;
    unrank_split(pair, returns.blocks, scratch.blocks.data(), scratch.blocks.data() + half);
    const std::span<const std::size_t> first_blocks(scratch.blocks.data(), half);
    const std::span<const std::size_t> second_blocks(scratch.blocks.data() + half, half);
    half_sharpe(data, first_blocks, count_over(returns, first_blocks), scratch.first_sharpe.data());
    half_sharpe(data, second_blocks, count_over(returns, second_blocks), scratch.second_sharpe.data());
    first = evaluate_split(scratch.first_sharpe.data(), scratch.second_sharpe.data(), data);
    second = evaluate_split(scratch.second_sharpe.data(), scratch.first_sharpe.data(), data);
}

// The totals over the evaluated splits, added up serially in split order.
void summarise(PboResult& result) {
    const auto splits = static_cast<double>(result.logits.size());
    const auto overfit = std::count_if(result.logits.begin(), result.logits.end(), [](double l) { return l <= 0.0; });
    const auto losses = std::count_if(result.out_of_sample_sharpe.begin(), result.out_of_sample_sharpe.end(),
                                      [](double sharpe) { return sharpe < 0.0; });
    result.pbo = static_cast<double>(overfit) / splits;
    result.probability_of_loss = static_cast<double>(losses) / splits;

    const std::vector<double>& x = result.in_sample_sharpe;
    const std::vector<double>& y = result.out_of_sample_sharpe;
    const double mean_x = std::accumulate(x.begin(), x.end(), 0.0) / splits;
    const double mean_y = std::accumulate(y.begin(), y.end(), 0.0) / splits;
    // Equal x's need not average to exactly themselves, so "no spread" is tested on the values.
    if (std::all_of(x.begin(), x.end(), [&](double value) { return value == x.front(); })) {
        result.degradation_slope = 0.0;
        result.degradation_intercept = mean_y;
        return;
    }
    double sxx = 0.0, sxy = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        sxx += (x[i] - mean_x) * (x[i] - mean_x);
        sxy += (x[i] - mean_x) * (y[i] - mean_y);
    }
    result.degradation_slope = sxy / sxx;
    result.degradation_intercept = mean_y - result.degradation_slope * mean_x;
}

}  // namespace

std::size_t BlockReturns::combinations() const {
    return blocks == 0 ? 0 : sums.size() / blocks;
}

std::uint64_t block_start(std::uint64_t returns, std::size_t blocks, std::size_t block) {
    if (blocks == 0 || block > blocks)
        throw std::invalid_argument("block_start: block " + std::to_string(block) + " of " + std::to_string(blocks));
    // 128 bits: b * T overflows 64 for long timelines long before floor(b * T / S) does.
    return static_cast<std::uint64_t>(static_cast<unsigned __int128>(block) * returns / blocks);
}

double sharpe_from_sums(std::uint64_t count, double sum, double squares) {
    if (count < 2) return 0.0;
    const double n = static_cast<double>(count);
    const double mean = sum / n;
    const double variance = (squares - sum * mean) / (n - 1.0);
    if (!(variance > 0.0)) return 0.0;
    return mean / std::sqrt(variance);
}

std::vector<double> whole_period_sharpe(const BlockReturns& returns) {
    check_shape(returns);
    const std::uint64_t count = std::accumulate(returns.counts.begin(), returns.counts.end(), std::uint64_t{0});
    std::vector<double> sharpe(returns.combinations());
    for (std::size_t c = 0; c < sharpe.size(); ++c) {
        const double* sums = &returns.sums[c * returns.blocks];
        const double* squares = &returns.squares[c * returns.blocks];
        double sum = sums[0], square_sum = squares[0];  // the first block itself, as a split's union starts
        for (std::size_t b = 1; b < returns.blocks; ++b) {
            sum += sums[b];
            square_sum += squares[b];
        }
        sharpe[c] = sharpe_from_sums(count, sum, square_sum);
    }
    return sharpe;
}

PboResult probability_of_backtest_overfitting(const BlockReturns& returns, const PboOptions& options) {
    check_shape(returns);
    const std::size_t blocks = returns.blocks;
    if (blocks < 2 || blocks % 2 != 0 || blocks > kMaxPboBlocks)
        throw std::invalid_argument("probability_of_backtest_overfitting: " + std::to_string(blocks) +
                                    " blocks; CSCV needs an even number from 2 to " + std::to_string(kMaxPboBlocks));
    const std::size_t combinations = returns.combinations();
    if (combinations < 2)
        throw std::invalid_argument("probability_of_backtest_overfitting: " + std::to_string(combinations) +
                                    " combination(s); a rank needs at least 2");

    PboResult result;
    result.splits_total = binomial(blocks, blocks / 2);
    const std::uint64_t pairs_total = result.splits_total / 2;
    // splits_total * N > max_work, without the product's overflow.
    result.sampled = result.splits_total > options.max_work / combinations;
    std::vector<std::uint64_t> pairs;
    if (result.sampled) {
        const std::uint64_t wanted = std::max<std::uint64_t>(1, options.max_work / (2 * combinations));
        pairs = sample_pairs(pairs_total, std::min(wanted, pairs_total), options.seed);
    } else {
        pairs.resize(pairs_total);
        std::iota(pairs.begin(), pairs.end(), std::uint64_t{0});
    }

    // Pair j fills slot j (its first split, below the middle) and slot 2m - 1 - j (the complement,
    // above it), so the slots are in split order and no two pairs write the same one.
    const BlockMajor data = transpose(returns);
    const std::size_t evaluated = 2 * pairs.size();
    std::vector<SplitOutcome> outcomes(evaluated);
    oneapi::tbb::enumerable_thread_specific<PairScratch> scratch([&] { return PairScratch(blocks, data.stride); });
    oneapi::tbb::parallel_for(oneapi::tbb::blocked_range<std::size_t>(0, pairs.size()), [&](const auto& range) {
        PairScratch& local = scratch.local();
        for (std::size_t j = range.begin(); j != range.end(); ++j)
            evaluate_pair(pairs[j], returns, data, local, outcomes[j], outcomes[evaluated - 1 - j]);
    });

    result.splits_evaluated = evaluated;
    result.splits.resize(evaluated);
    for (std::size_t j = 0; j < pairs.size(); ++j) {
        result.splits[j] = pairs[j];
        result.splits[evaluated - 1 - j] = result.splits_total - 1 - pairs[j];
    }
    result.logits.reserve(evaluated);
    result.in_sample_sharpe.reserve(evaluated);
    result.out_of_sample_sharpe.reserve(evaluated);
    result.chosen.reserve(evaluated);
    for (const SplitOutcome& outcome : outcomes) {
        result.logits.push_back(outcome.logit);
        result.in_sample_sharpe.push_back(outcome.in_sample_sharpe);
        result.out_of_sample_sharpe.push_back(outcome.out_of_sample_sharpe);
        result.chosen.push_back(outcome.chosen);
    }
    summarise(result);
    return result;
}

}  // namespace tapegrid
