// The probabilistic and deflated Sharpe ratios.
#include "engine/sweep/overfitting_statistics.h"

#include <cmath>
#include <limits>
#include <numbers>

namespace tapegrid {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Wichura's rational approximations (Applied Statistics 37, 1988, algorithm AS 241, PPND16).
double central_quantile(double q) {
    const double r = 0.180625 - q * q;
    return q *
           (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
                45921.953931549871457) *
                   r +
               13731.693765509461125) *
                  r +
              1971.5909503065514427) *
                 r +
             133.14166789178437745) *
                r +
            3.387132872796366608) /
           (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
                21213.794301586595867) *
                   r +
               5394.1960214247511077) *
                  r +
              687.1870074920579083) *
                 r +
             42.313330701600911252) *
                r +
            1.0);
}

double tail_quantile(double r) {
    if (r <= 5.0) {
        r -= 1.6;
        return (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
                    1.27045825245236838258) *
                       r +
                   3.64784832476320460504) *
                      r +
                  5.7694972214606914055) *
                     r +
                 4.6303378461565452959) *
                    r +
                1.42343711074968357734) /
               (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
                    0.14810397642748007459) *
                       r +
                   0.68976733498510000455) *
                      r +
                  1.6763848301838038494) *
                     r +
                 2.05319162663775882187) *
                    r +
                1.0);
    }
    r -= 5.0;
    return (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
                0.026532189526576123093) *
                   r +
               0.29656057182850489123) *
                  r +
              1.7848265399172913358) *
                 r +
             5.4637849111641143699) *
                r +
            6.6579046435011037772) /
           (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
                7.868691311456132591e-4) *
                   r +
               0.0148753612908506148525) *
                  r +
              0.13692988092273580531) *
                 r +
             0.59983220655588793769) *
                r +
            1.0);
}

}  // namespace

double normal_cdf(double x) {
    return 0.5 * std::erfc(-x / std::numbers::sqrt2);
}

double normal_quantile(double p) {
    if (!(p > 0.0 && p < 1.0)) return kNaN;
    const double q = p - 0.5;
    if (std::abs(q) <= 0.425) return central_quantile(q);
    const double r = std::sqrt(-std::log(q < 0 ? p : 1.0 - p));
    const double value = tail_quantile(r);
    return q < 0 ? -value : value;
}

ReturnMoments return_moments(std::span<const double> returns) {
    ReturnMoments moments;
    moments.count = returns.size();
    if (returns.size() < 2) return moments;
    const double n = static_cast<double>(returns.size());
    double mean = 0.0;
    for (const double r : returns) mean += r;
    mean /= n;
    double m2 = 0.0, m3 = 0.0, m4 = 0.0;
    for (const double r : returns) {
        const double d = r - mean, d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
    }
    m2 /= n;
    m3 /= n;
    m4 /= n;
    if (m2 <= 0.0) return moments;  // a flat series: no Sharpe ratio, the normal shape assumed
    const double sample_std = std::sqrt(m2 * n / (n - 1.0));
    moments.sharpe = mean / sample_std;
    moments.skewness = m3 / std::pow(m2, 1.5);
    moments.kurtosis = m4 / (m2 * m2);
    return moments;
}

double probabilistic_sharpe_ratio(const ReturnMoments& moments, double benchmark) {
    if (moments.count < 2) return kNaN;
    const double sr = moments.sharpe;
    const double spread = 1.0 - moments.skewness * sr + (moments.kurtosis - 1.0) / 4.0 * sr * sr;
    if (!(spread > 0.0)) return kNaN;
    return normal_cdf((sr - benchmark) * std::sqrt(static_cast<double>(moments.count) - 1.0) / std::sqrt(spread));
}

double expected_maximum_sharpe(double variance, double trials) {
    if (!(trials > 1.0) || !(variance > 0.0)) return 0.0;
    constexpr double kGamma = std::numbers::egamma;
    return std::sqrt(variance) * ((1.0 - kGamma) * normal_quantile(1.0 - 1.0 / trials) +
                                  kGamma * normal_quantile(1.0 - 1.0 / (trials * std::numbers::e)));
}

double deflated_sharpe_ratio(const ReturnMoments& moments, double variance, double trials) {
    return probabilistic_sharpe_ratio(moments, expected_maximum_sharpe(variance, trials));
}

}  // namespace tapegrid
