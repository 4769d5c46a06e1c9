// What a sweep reports about its best row after it ran: its probabilistic and deflated Sharpe
// ratios and the sweep's probability of backtest overfitting (docs/METRICS.md, "Is the winner real").
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/sweep/backtest_overfitting.h"
#include "engine/sweep/overfitting_statistics.h"

namespace tapegrid {

// The config's [overfitting] table.
struct OverfittingSpec {
    bool enabled = true;
    std::size_t blocks = 16;                            // S: even, at least 2
    std::uint64_t max_split_evaluations = 100'000'000;  // combinations x splits; above, splits are sampled
    std::uint64_t seed = 0;                             // of the sampled splits
};

struct OverfittingReport {
    std::uint64_t combination = 0;      // the top row's
    ReturnMoments moments;              // of its per-bar returns
    double probabilistic_sharpe = 0.0;  // PSR(0)
    // The deflated Sharpe ratio: PSR(SR*), SR* the expected maximum per-bar Sharpe ratio of
    // `trials` combinations whose per-bar Sharpe ratios vary with `sharpe_variance`.
    std::uint64_t trials = 0;
    double sharpe_variance = 0.0;
    double expected_maximum_sharpe = 0.0;
    double deflated_sharpe = 0.0;
    std::shared_ptr<const BlockReturns> matrix;  // every combination's block returns, when kept
    std::optional<PboResult> pbo;
    std::string pbo_skipped;  // why there is no PBO, when there is none
    double seconds = 0.0;     // what working all this out took
};

// `top_returns`: the top row's per-bar returns; `block_returns`: every combination's (the
// sweep's rows, in order), or nothing when they were not all kept (`why_missing` says why).
OverfittingReport assess_overfitting(std::uint64_t top_combination, std::span<const double> top_returns,
                                     std::uint64_t trials, const std::shared_ptr<const BlockReturns>& block_returns,
                                     const std::string& why_missing, const OverfittingSpec& spec);

// The distribution of the logits as counts in `bins` equal bins over [low, high] (values outside
// go to the end bins): what plan.json and the table print.
std::vector<std::uint64_t> logit_histogram(std::span<const double> logits, double low, double high, std::size_t bins);

}  // namespace tapegrid
