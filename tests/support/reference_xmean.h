// xmean(x_1 .. x_n), docs/STRATEGIES.md's mean of a window: the exact sum divided by n, rounded
// once to the nearest double, ties to even. Exact integers from GMP, the one rounding by MPFR.
#pragma once

#include <gmp.h>
#include <mpfr.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>

namespace tapegrid::reference {

// A finite double as mantissa * 2^exponent, the mantissa a signed integer below 2^53 in magnitude.
struct ScaledInteger {
    std::int64_t mantissa;
    int exponent;
};

inline ScaledInteger scaled_integer(double x) {
    const auto bits = std::bit_cast<std::uint64_t>(x);
    const auto biased_exponent = static_cast<int>((bits >> 52) & 0x7ff);
    auto mantissa = static_cast<std::int64_t>(bits & ((std::uint64_t{1} << 52) - 1));
    int exponent = -1074;  // subnormal: no hidden bit
    if (biased_exponent != 0) {
        mantissa |= std::int64_t{1} << 52;
        exponent = biased_exponent - 1075;
    }
    return {(bits >> 63) != 0 ? -mantissa : mantissa, exponent};
}

// Sums the window as one integer count of its smallest unit 2^e_min, exactly, then hands MPFR that
// integer (exactly, at as many bits as it has) and n for one correctly rounded division. The sum
// is kept in an __int128 when the window's exponents are close enough (prices always are) and in
// a GMP integer otherwise (squares of deviations span far more). The GMP and MPFR objects are
// made once and reused: a call allocates nothing once they have grown.
class ExactMean {
  public:
    ExactMean() {
        mpz_init(sum_);
        mpz_init(term_);
        mpfr_init2(exact_sum_, 64);
        mpfr_init2(mean_, 53);
    }
    ~ExactMean() {
        mpfr_clear(mean_);
        mpfr_clear(exact_sum_);
        mpz_clear(term_);
        mpz_clear(sum_);
    }
    ExactMean(const ExactMean&) = delete;
    ExactMean& operator=(const ExactMean&) = delete;

    // Finite values only; 0.0 for a window whose exact sum is 0 (Python's float(Fraction(0))).
    double operator()(std::span<const double> window) {
        int lowest = 0;
        int highest = 0;
        bool any = false;
        for (const double x : window) {
            if (x == 0.0) continue;
            const int exponent = scaled_integer(x).exponent;
            lowest = any ? std::min(lowest, exponent) : exponent;
            highest = any ? std::max(highest, exponent) : exponent;
            any = true;
        }
        if (!any) return 0.0;
        // Each term below 2^(53 + highest - lowest), and at most n of them.
        const int sum_bits = 53 + (highest - lowest) + static_cast<int>(std::bit_width(window.size()));
        if (sum_bits <= 126)
            sum_in_int128(window, lowest);
        else
            sum_in_gmp(window, lowest);
        return round_quotient(lowest, window.size());
    }

  private:
    void sum_in_int128(std::span<const double> window, int lowest) {
        __int128 sum = 0;
        for (const double x : window) {
            if (x == 0.0) continue;
            const ScaledInteger s = scaled_integer(x);
            sum += static_cast<__int128>(s.mantissa) << (s.exponent - lowest);
        }
        const bool negative = sum < 0;
        const auto magnitude = static_cast<unsigned __int128>(negative ? -sum : sum);
        const std::uint64_t words[2] = {static_cast<std::uint64_t>(magnitude),
                                        static_cast<std::uint64_t>(magnitude >> 64)};
        mpz_import(sum_, 2, -1, sizeof words[0], 0, 0, words);  // least significant word first
        if (negative) mpz_neg(sum_, sum_);
    }

    void sum_in_gmp(std::span<const double> window, int lowest) {
        mpz_set_ui(sum_, 0);
        for (const double x : window) {
            if (x == 0.0) continue;
            const ScaledInteger s = scaled_integer(x);
            mpz_set_si(term_, s.mantissa);
            mpz_mul_2exp(term_, term_, static_cast<mp_bitcnt_t>(s.exponent - lowest));
            mpz_add(sum_, sum_, term_);
        }
    }

    // (sum_ * 2^lowest) / n, rounded once to a double. MPFR's default exponent range holds the exact
    // sum (n * 1e308 is no double) and the quotient; the quotient then goes into double's range,
    // where mpfr_subnormalize uses the first rounding's direction so that a subnormal is still
    // rounded once. mpfr_get_d is then exact.
    double round_quotient(int lowest, std::size_t n) {
        if (mpz_sgn(sum_) == 0) return 0.0;
        const auto bits = static_cast<mpfr_prec_t>(mpz_sizeinbase(sum_, 2));
        mpfr_set_prec(exact_sum_, std::max<mpfr_prec_t>(bits, MPFR_PREC_MIN));
        mpfr_set_z_2exp(exact_sum_, sum_, lowest, MPFR_RNDN);  // exact: as many bits as the integer
        int direction = mpfr_div_ui(mean_, exact_sum_, static_cast<unsigned long>(n), MPFR_RNDN);
        const mpfr_exp_t saved_emin = mpfr_get_emin();
        const mpfr_exp_t saved_emax = mpfr_get_emax();
        mpfr_set_emin(-1073);  // 2^-1074 = 0.1b * 2^-1073, the least subnormal
        mpfr_set_emax(1024);
        direction = mpfr_check_range(mean_, direction, MPFR_RNDN);
        mpfr_subnormalize(mean_, direction, MPFR_RNDN);
        const double mean = mpfr_get_d(mean_, MPFR_RNDN);
        mpfr_set_emin(saved_emin);
        mpfr_set_emax(saved_emax);
        return mean;
    }

    mpz_t sum_;
    mpz_t term_;
    mpfr_t exact_sum_;
    mpfr_t mean_;
};

inline double xmean(std::span<const double> window) {
    thread_local ExactMean exact_mean;
    return exact_mean(window);
}

}  // namespace tapegrid::reference
