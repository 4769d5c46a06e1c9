// Sums rounded once: the exact sum of doubles, correctly rounded to the nearest double (ties to
// even). What Python's math.fsum returns, and what docs/STRATEGIES.md defines every window sum as.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>

#include "engine/core/errors.h"

namespace tapegrid {

// The exact sum of every value added so far, held as non-overlapping partials of increasing
// magnitude (Shewchuk's expansion, as CPython's fsum keeps it). Adding -x undoes adding x
// exactly, so a rolling window's sum never drifts. No allocation: finite doubles need at most
// ~40 partials (their bits span 2^-1074 .. 2^1024, 53 at a time).
class ExactSum {
  public:
    void add(double x) {
        std::size_t kept = 0;
        for (std::size_t j = 0; j < size_; ++j) {
            double y = partials_[j];
            if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
            const double hi = x + y;
            const double lo = y - (hi - x);  // exact: |x| >= |y|
            if (lo != 0.0) partials_[kept++] = lo;
            x = hi;
        }
        if (kept == kCapacity) throw InternalError("ExactSum: more partials than finite doubles need");
        partials_[kept] = x;
        size_ = kept + 1;
    }

    // The exact sum rounded to the nearest double, ties to even (CPython's fsum, finite case).
    double value() const {
        std::size_t n = size_;
        if (n == 0) return 0.0;
        double hi = partials_[--n];
        double lo = 0.0;
        while (n > 0) {  // add from the top until a partial no longer fits exactly
            const double x = hi;
            const double y = partials_[--n];
            hi = x + y;
            lo = y - (hi - x);
            if (lo != 0.0) break;
        }
        // hi + lo is exact, with lo exactly half an ulp when hi was rounded to even on a tie; the
        // partials below say which way the true sum leans, so round that way instead.
        if (n > 0 && ((lo < 0.0 && partials_[n - 1] < 0.0) || (lo > 0.0 && partials_[n - 1] > 0.0))) {
            const double y = lo * 2.0;
            const double x = hi + y;
            if (y == x - hi) hi = x;
        }
        return hi;
    }

    void clear() { size_ = 0; }

  private:
    static constexpr std::size_t kCapacity = 64;
    std::array<double, kCapacity> partials_{};
    std::size_t size_ = 0;
};

// The exact sum of the `count` values term(0) .. term(count - 1), each >= 0, correctly rounded,
// in O(count) with no allocation; `term` may be called twice per index. The terms are summed
// with their rounding errors kept, and those errors summed with theirs (a two-level cascade of
// error-free additions, after Ogita, Rump and Oishi 2005). When the second level is exact (the
// usual case for prices: it makes ties come out right), one rounding of sum + errors is the
// answer; otherwise the bound on the second level's error certifies it, unless the sum lies
// within that bound of a rounding boundary, where ExactSum's partials decide.
template <class Term>
double exact_sum_of_nonnegatives(std::size_t count, Term&& term) {
    double sum = 0.0, errors = 0.0, deeper = 0.0, deeper_magnitude = 0.0;
    for (std::size_t i = 0; i < count; ++i) {
        const double value = term(i);
        const double next = sum + value;
        const double part = next - sum;
        const double error = (sum - (next - part)) + (value - part);  // TwoSum: exact
        sum = next;
        const double next_errors = errors + error;
        const double error_part = next_errors - errors;
        const double deeper_error = (errors - (next_errors - error_part)) + (error - error_part);
        errors = next_errors;
        deeper += deeper_error;
        deeper_magnitude += std::fabs(deeper_error);
    }
    // The exact sum is sum + errors + (the exact sum of the deeper errors).
    const double rounded = sum + errors;
    if (deeper_magnitude == 0.0) return rounded;  // sum + errors is exact: one rounding of it
    const double part = rounded - sum;
    const double residual = (sum - (rounded - part)) + (errors - part);  // rounded + residual == sum + errors
    const double slack = static_cast<double>(4 * (count + 1));
    const double bound = deeper_magnitude * slack * 0x1p-53 + std::numeric_limits<double>::denorm_min() * slack;
    const double half_gap = (rounded - std::nextafter(rounded, 0.0)) * 0.5;  // the smaller gap: below
    if (std::fabs(residual) + std::fabs(deeper) + bound < half_gap) return rounded;
    ExactSum exact;
    for (std::size_t i = 0; i < count; ++i) exact.add(term(i));
    return exact.value();
}

}  // namespace tapegrid
