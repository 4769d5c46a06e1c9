// Walk-forward validation: on each fold, the sweep (grid or search) on the train window picks the
// best combination, which is then replayed on the test window that follows; the test windows'
// returns are stitched into one out-of-sample record.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/core/metrics.h"
#include "engine/core/trade.h"
#include "engine/sweep/sweep_runner.h"
#include "engine/sweep/walk_forward_folds.h"

namespace tapegrid {

struct WalkForwardFoldResult {
    std::size_t index = 0;  // from 1
    Fold fold;
    TimestampNs train_from_ns = 0, train_to_ns = 0;  // the windows' first and last timestamps
    TimestampNs test_from_ns = 0, test_to_ns = 0;
    std::uint64_t combinations = 0;  // rows the train window's sweep ranked among
    bool chosen = false;             // false: no row passed the ranking's filters in sample
    std::uint64_t combination = 0;   // the grid index chosen
    ParamSet params;
    ReplayMetrics in_sample;
    ReplayMetrics out_of_sample;
    std::vector<Trade> trades;  // out of sample
};

// The stitched out-of-sample record and how it compares with the in-sample one.
struct WalkForwardSummary {
    std::size_t folds_chosen = 0;
    std::int64_t total_trades = 0, winning_trades = 0, losing_trades = 0;
    double win_rate = 0.0;          // percent
    double total_pnl = 0.0;         // the folds' pnl added up
    double total_return_pct = 0.0;  // the test windows' returns compounded
    double max_drawdown_pct = 0.0;  // on the compounded curve
    double sharpe_ratio = 0.0;      // annualised, over every test bar's return
    double oos_annual_return_pct = 0.0;
    double is_annual_return_pct = 0.0;  // the mean of the folds' annualised in-sample returns
    double efficiency = 0.0;            // walk-forward efficiency: oos / is annualised return (NaN when is <= 0)
    double periods_per_year = 0.0;
    std::uint64_t returns = 0;  // test bars' returns stitched
};

struct WalkForwardOutcome {
    std::vector<WalkForwardFoldResult> folds;
    std::vector<TimestampNs> stitched_time_ns;  // the stitched curve: each test bar's timestamp
    std::vector<double> stitched_equity;        // and the equity there, compounded from 1
    WalkForwardSummary summary;
    bool interrupted = false;
    double wall_seconds = 0.0;
};

// Cuts the recordings' union timeline into folds and checks them before any work: UserError
// (naming walk_forward's line) when no fold fits in the data, or when a train window holds fewer
// bars than the grid's longest warm-up.
std::vector<Fold> plan_walk_forward(const SweepSpec& spec, const SweepInput& input);

// Runs every fold. `spec` must hold a walk_forward; its overfitting report is switched off for
// the folds' sweeps. `on_fold` is called after each fold (progress). `stop` ends it after the
// running fold.
WalkForwardOutcome run_walk_forward(SweepSpec& spec, const SweepInput& input, const std::vector<Fold>& folds,
                                    const SweepRequest& request, const std::atomic<bool>* stop,
                                    const std::function<void(const WalkForwardFoldResult&)>& on_fold);

}  // namespace tapegrid
