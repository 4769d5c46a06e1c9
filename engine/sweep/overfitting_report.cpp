// The report on a sweep's best row: PSR and DSR from its returns, PBO from the block matrix.
#include "engine/sweep/overfitting_report.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace tapegrid {

namespace {

// The sample variance of the combinations' whole-period per-bar Sharpe ratios: V in SR*.
double sharpe_variance(const BlockReturns& returns) {
    const std::vector<double> sharpe = whole_period_sharpe(returns);
    if (sharpe.size() < 2) return 0.0;
    double mean = 0.0;
    for (const double s : sharpe) mean += s;
    mean /= static_cast<double>(sharpe.size());
    double squares = 0.0;
    for (const double s : sharpe) squares += (s - mean) * (s - mean);
    return squares / static_cast<double>(sharpe.size() - 1);
}

}  // namespace

OverfittingReport assess_overfitting(std::uint64_t top_combination, std::span<const double> top_returns,
                                     std::uint64_t trials, const std::shared_ptr<const BlockReturns>& block_returns,
                                     const std::string& why_missing, const OverfittingSpec& spec) {
    const auto started = std::chrono::steady_clock::now();
    OverfittingReport report;
    report.combination = top_combination;
    report.moments = return_moments(top_returns);
    report.probabilistic_sharpe = probabilistic_sharpe_ratio(report.moments, 0.0);
    report.trials = trials;
    report.matrix = block_returns;
    if (!block_returns) {
        report.pbo_skipped = why_missing;
        report.deflated_sharpe = std::nan("");
    } else {
        report.sharpe_variance = sharpe_variance(*block_returns);
        report.expected_maximum_sharpe = expected_maximum_sharpe(report.sharpe_variance, static_cast<double>(trials));
        report.deflated_sharpe = probabilistic_sharpe_ratio(report.moments, report.expected_maximum_sharpe);
        if (block_returns->combinations() < 2)
            report.pbo_skipped = "one combination: nothing to choose between";
        else
            report.pbo =
                probability_of_backtest_overfitting(*block_returns, PboOptions{spec.max_split_evaluations, spec.seed});
    }
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

std::vector<std::uint64_t> logit_histogram(std::span<const double> logits, double low, double high, std::size_t bins) {
    std::vector<std::uint64_t> counts(bins, 0);
    if (bins == 0 || !(high > low)) return counts;
    for (const double l : logits) {
        const double position = (l - low) / (high - low) * static_cast<double>(bins);
        const auto bin = static_cast<std::size_t>(std::clamp(position, 0.0, static_cast<double>(bins) - 1.0));
        ++counts[bin];
    }
    return counts;
}

}  // namespace tapegrid
