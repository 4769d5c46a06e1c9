// Window means and standard deviations, 4 groups of the target's native lanes at a time (32 bars
// with AVX-512, 16 with AVX2), a lane per bar.
//
// Lane j of a group holds bar t + j, whose window is values[t + j - window + 1 ..]: the k-th term
// of all the group's lanes is one unaligned load. Each lane computes its exact mean as
// exact_mean_of_nonnegatives does (rounding errors kept two levels deep, the quotient's remainder
// bounded), which proves the once-rounded mean but for lanes within that bound of a rounding
// boundary; those (ties of equal values, mostly) are computed again with ExactSum. Four
// independent groups hide the additions' latency.
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

using V = Lanes<kNativeLanes>::Doubles;
using M = Lanes<kNativeLanes>::Mask;
constexpr std::size_t kLanes = kNativeLanes;
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

// The exact means, rounded once, of `count` terms (each >= 0) for the kBlock bars of a block:
// term(k, group) gives the k-th term of the group's lanes. Lanes the cascade cannot settle are
// recomputed with exact_lane(bar of the block).
template <class Term, class ExactLane>
void block_means(std::size_t count, Term&& term, ExactLane&& exact_lane, double* out) {
    CascadedSum<V> sums[kGroups];
    for (std::size_t k = 0; k < count; ++k)
        for (std::size_t g = 0; g < kGroups; ++g) sums[g].add(term(k, g));
    for (std::size_t g = 0; g < kGroups; ++g) {
        M settled;
        store(out + g * kLanes, settled_quotient(sums[g], static_cast<double>(count), settled));
        for (std::size_t lane = 0; lane < kLanes; ++lane)
            if (!settled[lane]) out[g * kLanes + lane] = exact_lane(g * kLanes + lane);
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
        return sum.quotient(divisor);
    };
    for (; t + kBlock <= count; t += kBlock) {
        const double* first = values + t + 1 - window;
        block_means(
            window, [&](std::size_t k, std::size_t g) { return load(first + k + g * kLanes); },
            [&](std::size_t lane) { return exact(t + lane); }, out + t);
    }
    for (; t < count; ++t) out[t] = exact(t);
}

void window_standard_deviations(const double* values, std::size_t count, std::size_t window, const double* means,
                                double* out) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::size_t t = 0;
    for (; t < count && t + 1 < window; ++t) out[t] = nan;
    const auto variance = [&](std::size_t bar) {
        return exact_mean_of_nonnegatives(window, [&](std::size_t i) {
            const double deviation = values[bar + 1 - window + i] - means[bar];
            return deviation * deviation;
        });
    };
    for (; t + kBlock <= count; t += kBlock) {
        const double* first = values + t + 1 - window;
        V mean[kGroups];
        for (std::size_t g = 0; g < kGroups; ++g) mean[g] = load(means + t + g * kLanes);
        block_means(
            window,
            [&](std::size_t k, std::size_t g) {
                const V deviation = load(first + k + g * kLanes) - mean[g];
                return deviation * deviation;
            },
            [&](std::size_t lane) { return variance(t + lane); }, out + t);
        for (std::size_t lane = 0; lane < kBlock; ++lane) out[t + lane] = std::sqrt(out[t + lane]);
    }
    for (; t < count; ++t) out[t] = std::sqrt(variance(t));
}

}  // namespace tapegrid
