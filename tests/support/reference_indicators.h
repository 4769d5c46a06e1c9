// Indicator series written straight from docs/STRATEGIES.md ("Indicator arithmetic"), sharing no
// code with engine/indicators/: the independent side of the differential tests.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include "tests/support/reference_xmean.h"

namespace tapegrid::reference {

inline constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// mean(x_1 .. x_n) = xmean(x_1 .. x_n): the exact sum divided by n, rounded once.
inline double mean(std::span<const double> window) {
    return xmean(window);
}

// Population standard deviation around the window's mean: each deviation rounded, each square
// rounded, then sqrt(xmean(squares)).
inline double population_sd(std::span<const double> window) {
    const double m = mean(window);
    thread_local std::vector<double> squares;
    squares.clear();
    for (const double x : window) {
        const double deviation = x - m;
        squares.push_back(deviation * deviation);
    }
    return std::sqrt(xmean(squares));
}

// SMA(n) of close: the mean of close[t-n+1 .. t], from t = n - 1.
inline std::vector<double> sma(const std::vector<double>& close, std::size_t n) {
    std::vector<double> out(close.size(), kNan);
    for (std::size_t t = n - 1; t < close.size(); ++t) out[t] = mean(std::span(close).subspan(t + 1 - n, n));
    return out;
}

// The Bollinger sd: population standard deviation of close[t-n+1 .. t], from t = n - 1.
inline std::vector<double> standard_deviation(const std::vector<double>& close, std::size_t n) {
    std::vector<double> out(close.size(), kNan);
    for (std::size_t t = n - 1; t < close.size(); ++t) out[t] = population_sd(std::span(close).subspan(t + 1 - n, n));
    return out;
}

// EMA(n): ema[n-1] = mean(close[0 .. n-1]), then (alpha * close[t]) + ((1 - alpha) * ema[t-1]).
inline std::vector<double> ema(const std::vector<double>& close, std::size_t n) {
    std::vector<double> out(close.size(), kNan);
    if (close.size() < n) return out;
    const double alpha = 2.0 / (static_cast<double>(n) + 1.0);
    const double keep = 1.0 - alpha;
    out[n - 1] = mean(std::span(close).first(n));
    for (std::size_t t = n; t < close.size(); ++t) {
        const double fresh = alpha * close[t];
        const double carried = keep * out[t - 1];
        out[t] = fresh + carried;
    }
    return out;
}

// The Wilder average over n of inputs x[1], x[2], ... (x[0] unused): avg at t = n is
// mean(x[1 .. n]), then ((avg * (n - 1)) + x[t]) / n.
inline std::vector<double> wilder_average(const std::vector<double>& x, std::size_t n) {
    std::vector<double> out(x.size(), kNan);
    if (x.size() <= n) return out;
    const double period = static_cast<double>(n);
    const double period_less_one = static_cast<double>(n - 1);
    out[n] = mean(std::span(x).subspan(1, n));
    for (std::size_t t = n + 1; t < x.size(); ++t) {
        const double product = out[t - 1] * period_less_one;
        const double sum = product + x[t];
        out[t] = sum / period;
    }
    return out;
}

// Wilder RSI(n) of close, from t = n; exactly 100 when the average loss is 0.
inline std::vector<double> rsi(const std::vector<double>& close, std::size_t n) {
    std::vector<double> gains(close.size(), 0.0);
    std::vector<double> losses(close.size(), 0.0);
    for (std::size_t t = 1; t < close.size(); ++t) {
        const double d = close[t] - close[t - 1];
        if (d > 0) gains[t] = d;
        if (d < 0) losses[t] = -d;
    }
    const std::vector<double> average_gain = wilder_average(gains, n);
    const std::vector<double> average_loss = wilder_average(losses, n);
    std::vector<double> out(close.size(), kNan);
    for (std::size_t t = n; t < close.size(); ++t) {
        if (average_loss[t] == 0.0) {
            out[t] = 100.0;
            continue;
        }
        const double relative_strength = average_gain[t] / average_loss[t];
        const double denominator = 1.0 + relative_strength;
        const double quotient = 100.0 / denominator;
        out[t] = 100.0 - quotient;
    }
    return out;
}

// Wilder ATR(n): TR[t] = max(high - low, |high - close[t-1]|, |low - close[t-1]|) for t >= 1,
// Wilder-averaged, from t = n.
inline std::vector<double> atr(const std::vector<double>& high, const std::vector<double>& low,
                               const std::vector<double>& close, std::size_t n) {
    std::vector<double> true_range(close.size(), 0.0);
    for (std::size_t t = 1; t < close.size(); ++t) {
        const double range = high[t] - low[t];
        const double gap_up = std::fabs(high[t] - close[t - 1]);
        const double gap_down = std::fabs(low[t] - close[t - 1]);
        true_range[t] = std::max({range, gap_up, gap_down});
    }
    return wilder_average(true_range, n);
}

// The highest of high[t-n .. t-1] (the bars before t), from t = n.
inline std::vector<double> prior_high(const std::vector<double>& high, std::size_t n) {
    std::vector<double> out(high.size(), kNan);
    for (std::size_t t = n; t < high.size(); ++t) out[t] = *std::max_element(high.begin() + (t - n), high.begin() + t);
    return out;
}

// The lowest of low[t-n .. t-1], from t = n.
inline std::vector<double> prior_low(const std::vector<double>& low, std::size_t n) {
    std::vector<double> out(low.size(), kNan);
    for (std::size_t t = n; t < low.size(); ++t) out[t] = *std::min_element(low.begin() + (t - n), low.begin() + t);
    return out;
}

// mean(volume[t-n .. t-1]), from t = n.
inline std::vector<double> prior_mean_volume(const std::vector<double>& volume, std::size_t n) {
    std::vector<double> out(volume.size(), kNan);
    for (std::size_t t = n; t < volume.size(); ++t) out[t] = mean(std::span(volume).subspan(t - n, n));
    return out;
}

}  // namespace tapegrid::reference
