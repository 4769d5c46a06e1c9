// Whether a sweep's best row is skill or luck: the probabilistic and deflated Sharpe ratios
// (Bailey and Lopez de Prado, 2014), and the normal distribution they need. docs/METRICS.md,
// "Is the winner real", gives every formula; these are their one implementation.
#pragma once

#include <cstdint>
#include <span>

namespace tapegrid {

// The standard normal distribution: Phi and its inverse. normal_quantile(p) for p in (0, 1),
// to double precision (Wichura's algorithm AS 241); NaN outside.
double normal_cdf(double x);
double normal_quantile(double p);

// The moments of a return series the ratios need: its count, the per-bar Sharpe ratio
// mean / sample standard deviation, the skewness g3 = m3 / m2^1.5 and the kurtosis
// g4 = m4 / m2^2 (3 for a normal distribution), m_k the central moments with divisor T.
struct ReturnMoments {
    std::uint64_t count = 0;
    double sharpe = 0.0;  // per bar, not annualised
    double skewness = 0.0;
    double kurtosis = 3.0;
};
ReturnMoments return_moments(std::span<const double> returns);

// PSR(SR*) = Phi((SR - SR*) * sqrt(T - 1) / sqrt(1 - g3 * SR + (g4 - 1) / 4 * SR^2)): the
// probability that the true per-bar Sharpe ratio exceeds `benchmark`. NaN when T < 2 or the
// denominator is not positive.
double probabilistic_sharpe_ratio(const ReturnMoments& moments, double benchmark);

// SR* = sqrt(V) * ((1 - gamma) * Phi^-1(1 - 1/N) + gamma * Phi^-1(1 - 1/(N e))): the Sharpe
// ratio the best of N trials reaches by luck alone when their Sharpe ratios vary with variance V
// (gamma the Euler-Mascheroni constant). 0 for N <= 1.
double expected_maximum_sharpe(double variance, double trials);

// DSR = PSR(SR*), SR* the expected maximum of `trials` trials whose per-bar Sharpe ratios have
// variance `variance`.
double deflated_sharpe_ratio(const ReturnMoments& moments, double variance, double trials);

}  // namespace tapegrid
