// Sums rounded once: the exact sum of doubles, correctly rounded to the nearest double (ties to
// even). What Python's math.fsum returns, and what docs/STRATEGIES.md defines every window sum as.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
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

    // The exact sum divided by `divisor`, rounded once to the nearest double, ties to even.
    // `divisor` is a whole number in [1, 2^26] (a window's length). The first guess, the rounded
    // sum divided, is off by an ulp at most; the exact remainder sum - divisor * q, compared with
    // divisor times half the gap to each neighbour of q, settles it.
    double quotient(double divisor) const;

  private:
    double quotient_by_remainders(double divisor) const {
        double q = value() / divisor;
        if (!(std::fabs(q) >= 0x1p-1000)) return q;  // 0, or so tiny that gaps are not powers of two
        for (;;) {
            const double up = std::nextafter(q, std::numeric_limits<double>::infinity());
            const double down = std::nextafter(q, -std::numeric_limits<double>::infinity());
            const int above_upper = remainder_sign(q, divisor, (up - q) * 0.5);
            if (above_upper > 0) {
                q = up;
                continue;
            }
            if (above_upper == 0) return even_of(q, up);
            const int above_lower = remainder_sign(q, divisor, -(q - down) * 0.5);
            if (above_lower < 0) {
                q = down;
                continue;
            }
            if (above_lower == 0) return even_of(q, down);
            return q;
        }
    }

  public:
    void clear() { size_ = 0; }
    std::size_t size() const { return size_; }
    double partial(std::size_t i) const { return partials_[i]; }

  private:
    // The sign of sum - divisor * (q + offset), exactly: q is split into two halves of at most
    // 27 significant bits (Veltkamp), so each product with a divisor below 2^26 is exact, and so
    // is divisor * offset (offset is half a gap: a power of two).
    int remainder_sign(double q, double divisor, double offset) const {
        const double scaled = 134217729.0 * q;  // 2^27 + 1
        const double high = scaled - (scaled - q);
        const double low = q - high;
        ExactSum remainder;
        remainder.size_ = size_;
        std::copy(partials_.begin(), partials_.begin() + static_cast<std::ptrdiff_t>(size_),
                  remainder.partials_.begin());
        remainder.add(-(high * divisor));
        remainder.add(-(low * divisor));
        remainder.add(-(offset * divisor));
        const double difference = remainder.value();  // rounded, but with the exact sign
        return (difference > 0.0) - (difference < 0.0);
    }

    static double even_of(double a, double b) {
        std::uint64_t bits;
        std::memcpy(&bits, &a, sizeof bits);
        return (bits & 1) == 0 ? a : b;
    }

    static constexpr std::size_t kCapacity = 64;
    std::array<double, kCapacity> partials_{};
    std::size_t size_ = 0;
};

// A sum kept with its rounding errors, and theirs: a two-level cascade of error-free additions
// (after Ogita, Rump and Oishi 2005) over terms >= 0. The exact sum of the terms is
// rounded() + residual() + (the exact sum of the deeper errors, which `deeper` holds to within
// deeper_bound()). T is double, or a lane vector (one sum per lane).
template <class T>
struct CascadedSum {
    T sum{}, errors{}, deeper{}, deeper_magnitude{};
    std::size_t count = 0;

    void add(T value) {
        const T next = sum + value;
        const T part = next - sum;
        const T error = (sum - (next - part)) + (value - part);  // TwoSum: exact
        sum = next;
        const T next_errors = errors + error;
        const T error_part = next_errors - errors;
        const T deeper_error = (errors - (next_errors - error_part)) + (error - error_part);
        errors = next_errors;
        deeper += deeper_error;
        deeper_magnitude += deeper_error < 0.0 ? -deeper_error : deeper_error;
        ++count;
    }
    T rounded() const { return sum + errors; }
    T residual() const {  // rounded() + residual() == sum + errors, exactly
        const T total = rounded();
        const T part = total - sum;
        return (sum - (total - part)) + (errors - part);
    }
    T deeper_bound() const {  // (count - 1) * 2^-53 * deeper_magnitude, generously
        const double slack = static_cast<double>(4 * (count + 1));
        return deeper_magnitude * (slack * 0x1p-53) + std::numeric_limits<double>::denorm_min() * slack;
    }
};

namespace detail {
inline double with_bits_offset(double value, std::int64_t offset) {
    std::int64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    bits += offset;
    std::memcpy(&value, &bits, sizeof bits);
    return value;
}
template <class V>
V with_bits_offset(V value, std::int64_t offset) {
    using Bits = decltype(value < value);  // the lanes' integer vector
    Bits bits;
    std::memcpy(&bits, &value, sizeof bits);
    bits += offset;
    std::memcpy(&value, &bits, sizeof bits);
    return value;
}
inline bool low_bit_clear(double value) {
    std::uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return (bits & 1) == 0;
}
template <class V>
auto low_bit_clear(V value) {
    using Bits = decltype(value < value);
    Bits bits;
    std::memcpy(&bits, &value, sizeof bits);
    return (bits & 1) == 0;
}
}  // namespace detail

// The exact sum held by `sum` divided by `divisor` (a whole number in [1, 2^26]), rounded once,
// when the parts settle it: `settled` says so (per lane). The first guess q is the rounded sum
// divided; the remainder sum - divisor * q (its parts exact but for the deeper errors) says
// whether the exact quotient lies within half a gap of q, or of one of its neighbours.
template <class T, class Mask>
T settled_quotient(const CascadedSum<T>& sum, double divisor, Mask& settled) {
    const auto magnitude = [](T v) { return v < 0.0 ? -v : v; };
    const T rounded = sum.rounded();
    const T q = rounded / divisor;
    // rounded - divisor * q, exactly: q in Veltkamp halves, each product with divisor exact, the
    // first difference exact by Sterbenz's lemma (high * divisor is within 2^-26 of rounded).
    const T scaled = q * 134217729.0;
    const T high = scaled - (scaled - q);
    const T low = q - high;
    const T first = rounded - high * divisor;
    const T low_product = -(low * divisor);
    const T remainder = first + low_product;
    const T remainder_part = remainder - first;
    const T remainder_error = (first - (remainder - remainder_part)) + (low_product - remainder_part);
    const T residual = sum.residual();
    // The exact remainder: approximate + two exact errors + the deeper sum (within its bound).
    const T partial = remainder + residual;
    const T partial_part = partial - remainder;
    const T partial_error = (remainder - (partial - partial_part)) + (residual - partial_part);
    const T approximate = partial + remainder_error;
    const T approximate_part = approximate - partial;
    const T approximate_error = (partial - (approximate - approximate_part)) + (remainder_error - approximate_part);
    // Zero when `approximate` is the remainder exactly: then ties are decided, to even.
    const T doubt = (magnitude(partial_error) + magnitude(approximate_error) + magnitude(sum.deeper)) * 2.0 +
                    (sum.deeper_magnitude == 0.0 ? T{} : sum.deeper_bound());
    const T up = detail::with_bits_offset(q, 1), down = detail::with_bits_offset(q, -1);  // q > 0
    const T gap_up = (up - q) * divisor, gap_down = (q - down) * divisor;
    // q itself: within half the smaller gap. Its neighbours: the gap beyond them can halve at a
    // power of two only below (down), so a quarter of gap_down bounds down's lower half-gap.
    const auto stays = magnitude(approximate) + doubt < gap_down * 0.5;
    const auto goes_up = (approximate - doubt > gap_up * 0.5) & (approximate + doubt < gap_up * 1.5);
    const auto goes_down = (approximate + doubt < -(gap_down * 0.5)) & (approximate - doubt > -(gap_down * 1.25));
    const auto exact = doubt == 0.0;
    const auto tie_up = exact & (approximate == gap_up * 0.5);
    const auto tie_down = exact & (approximate == -(gap_down * 0.5));
    const auto positive = (rounded >= 0x1p-1000) & (rounded < 0x1p1000);
    settled = (rounded == 0.0) | (positive & (stays | goes_up | goes_down | tie_up | tie_down));
    const auto q_is_even = detail::low_bit_clear(q);
    const T chosen = goes_up     ? up
                     : goes_down ? down
                     : tie_up    ? (q_is_even ? q : up)
                     : tie_down  ? (q_is_even ? q : down)
                                 : q;
    return rounded == 0.0 ? T{} : chosen;
}

// The partials summed with their errors usually settle the quotient at once; otherwise the
// exact remainders decide.
inline double ExactSum::quotient(double divisor) const {
    CascadedSum<double> cascade;
    for (std::size_t i = 0; i < size_; ++i) cascade.add(partials_[i]);
    bool settled = false;
    const double q = settled_quotient(cascade, divisor, settled);
    return settled ? q : quotient_by_remainders(divisor);
}

// The exact mean of the `count` values term(0) .. term(count - 1), each >= 0: their exact sum
// divided by count, rounded once. O(count), no allocation; `term` may be called twice per index.
// The cascade settles it but within a tiny bound of a rounding boundary (a tie of equal values,
// mostly), where ExactSum decides.
template <class Term>
double exact_mean_of_nonnegatives(std::size_t count, Term&& term) {
    CascadedSum<double> sum;
    for (std::size_t i = 0; i < count; ++i) sum.add(term(i));
    bool settled = false;
    const double mean = settled_quotient(sum, static_cast<double>(count), settled);
    if (settled) return mean;
    ExactSum exact;
    for (std::size_t i = 0; i < count; ++i) exact.add(term(i));
    return exact.quotient(static_cast<double>(count));
}

}  // namespace tapegrid
