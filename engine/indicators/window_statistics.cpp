// Window means and standard deviations, 32 bars at a time: 4 groups of 8 lanes, a lane per bar.
//
// Lane j of a group holds bar t + j, whose window is values[t + j - window + 1 ..]: the k-th term
// of all 8 lanes is one unaligned load. Each lane sums its terms as exact_sum_of_nonnegatives
// does (rounding errors kept, two levels deep), which certifies the correctly rounded sum but for
// lanes within the deeper errors' bound of a rounding boundary; those (rare) are summed again
// with ExactSum. Four independent groups hide the additions' latency.
#include "engine/indicators/window_statistics.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "engine/core/lanes.h"
#include "engine/indicators/exact_sum.h"
#include "engine/indicators/rolling_window.h"

namespace tapegrid {

namespace {

using V = Lanes<8>::Doubles;
using M = Lanes<8>::Mask;
constexpr std::size_t kLanes = 8;
constexpr std::size_t kGroups = 4;
constexpr std::size_t kBlock = kLanes * kGroups;

V load(const double* at) {
    V v;
    std::memcpy(&v, at, sizeof v);
    return v;
}

void store(double* at, V v) {
    std::memcpy(at, &v, sizeof v);
}

V magnitude(V v) {
    return v < 0.0 ? -v : v;
}

// Per lane: the gap below a positive double, halved (the smaller of its two gaps).
V half_gap_below(V rounded) {
    M bits;
    std::memcpy(&bits, &rounded, sizeof bits);
    const M below_bits = bits - 1;  // the next double toward 0, for positive finite doubles
    V below;
    std::memcpy(&below, &below_bits, sizeof below);
    return (rounded - below) * 0.5;
}

// The exact sums, correctly rounded, of `terms` (count of them, each >= 0) for the kBlock bars of a
// block: term(k, group) gives the k-th term of the group's 8 lanes. Lanes that the error bound
// cannot certify are recomputed with lane_sum(bar of the block).
template <class Term, class LaneSum>
void block_sums(std::size_t count, Term&& term, LaneSum&& lane_sum, double* out) {
    V sum[kGroups] = {}, errors[kGroups] = {}, deeper[kGroups] = {}, deeper_magnitude[kGroups] = {};
    for (std::size_t k = 0; k < count; ++k) {
        for (std::size_t g = 0; g < kGroups; ++g) {
            const V value = term(k, g);
            const V next = sum[g] + value;
            const V part = next - sum[g];
            const V error = (sum[g] - (next - part)) + (value - part);  // TwoSum: exact
            sum[g] = next;
            const V next_errors = errors[g] + error;
            const V error_part = next_errors - errors[g];
            const V deeper_error = (errors[g] - (next_errors - error_part)) + (error - error_part);
            errors[g] = next_errors;
            deeper[g] += deeper_error;
            deeper_magnitude[g] += magnitude(deeper_error);
        }
    }
    const double slack = static_cast<double>(4 * (count + 1));
    for (std::size_t g = 0; g < kGroups; ++g) {
        const V rounded = sum[g] + errors[g];
        const V part = rounded - sum[g];
        const V residual = (sum[g] - (rounded - part)) + (errors[g] - part);
        const V bound = deeper_magnitude[g] * (slack * 0x1p-53) + std::numeric_limits<double>::denorm_min() * slack;
        const M certified = (deeper_magnitude[g] == 0.0) |
                            (magnitude(residual) + magnitude(deeper[g]) + bound < half_gap_below(rounded));
        store(out + g * kLanes, rounded);
        for (std::size_t lane = 0; lane < kLanes; ++lane)
            if (!certified[lane]) out[g * kLanes + lane] = lane_sum(g * kLanes + lane);
    }
}

}  // namespace

void window_means(const double* values, std::size_t count, std::size_t window, double* out) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double divisor = static_cast<double>(window);
    std::size_t t = 0;
    for (; t < count && t + 1 < window; ++t) out[t] = nan;
    // Long windows: an exact running sum costs O(1) a bar, less than summing the window again.
    if (window > 64) {
        RollingWindow rolling(window);
        for (std::size_t i = t + 1 - window; i < t; ++i) rolling.push(values[i]);
        for (; t < count; ++t) {
            rolling.push(values[t]);
            out[t] = rolling.mean();
        }
        return;
    }
    const auto exact = [&](std::size_t bar) {
        ExactSum sum;
        for (std::size_t i = bar + 1 - window; i <= bar; ++i) sum.add(values[i]);
        return sum.value();
    };
    for (; t + kBlock <= count; t += kBlock) {
        const double* first = values + t + 1 - window;
        block_sums(
            window, [&](std::size_t k, std::size_t g) { return load(first + k + g * kLanes); },
            [&](std::size_t lane) { return exact(t + lane); }, out + t);
        for (std::size_t lane = 0; lane < kBlock; ++lane) out[t + lane] /= divisor;
    }
    for (; t < count; ++t) out[t] = exact(t) / divisor;
}

void window_standard_deviations(const double* values, std::size_t count, std::size_t window, const double* means,
                                double* out) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double divisor = static_cast<double>(window);
    std::size_t t = 0;
    for (; t < count && t + 1 < window; ++t) out[t] = nan;
    const auto squares = [&](std::size_t bar) {
        return exact_sum_of_nonnegatives(window, [&](std::size_t i) {
            const double deviation = values[bar + 1 - window + i] - means[bar];
            return deviation * deviation;
        });
    };
    for (; t + kBlock <= count; t += kBlock) {
        const double* first = values + t + 1 - window;
        V mean[kGroups];
        for (std::size_t g = 0; g < kGroups; ++g) mean[g] = load(means + t + g * kLanes);
        block_sums(
            window,
            [&](std::size_t k, std::size_t g) {
                const V deviation = load(first + k + g * kLanes) - mean[g];
                return deviation * deviation;
            },
            [&](std::size_t lane) { return squares(t + lane); }, out + t);
        for (std::size_t lane = 0; lane < kBlock; ++lane) out[t + lane] = std::sqrt(out[t + lane] / divisor);
    }
    for (; t < count; ++t) out[t] = std::sqrt(squares(t) / divisor);
}

}  // namespace tapegrid
