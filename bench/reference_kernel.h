// A plain scalar mean_reversion sweep: the yardstick tapegrid's SIMD sweep is benchmarked against.
//
// What a competent engineer writes without tapegrid's machinery: the union timeline and each
// distinct indicator series computed once, then one combination at a time, symbol by symbol, each
// bar's change in value added up at its timestamp, with threads over the combinations. No lanes,
// no intrinsics, no vector types; the same rules (docs/STRATEGIES.md) and metrics
// (docs/METRICS.md), so its rows can be checked against the sweep's.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/core/bars.h"

namespace tapegrid::bench {

// One mean_reversion combination. The common parameters stay at their defaults (position_size
// 10, initial_capital 100000, no commission, no slippage) and shorts are off: a long-only loop.
struct ReferenceCombination {
    int bb_period = 20;
    double bb_std = 2.0;
    int rsi_period = 14;
    double rsi_threshold = 30.0;
    double stop_loss_pct = 1.0;
    double take_profit_pct = 2.0;
};

// The figures of one combination, named as in ReplayMetrics.
struct ReferenceRow {
    std::int64_t total_trades = 0;
    std::int64_t winning_trades = 0;
    std::int64_t losing_trades = 0;
    double total_pnl = 0.0;
    double gross_profit = 0.0;
    double gross_loss = 0.0;
    double final_equity = 0.0;
    double max_drawdown = 0.0;
    double max_drawdown_pct = 0.0;
    double sharpe_ratio = 0.0;
    double sortino_ratio = 0.0;
};

// Every combination over `symbols` (validated bars: each symbol's timestamps strictly
// increasing), on `threads` threads; row k is combination k's. The rows do not depend on
// `threads`.
std::vector<ReferenceRow> run_reference_sweep(const std::vector<SymbolBars>& symbols,
                                              const std::vector<ReferenceCombination>& combinations,
                                              double periods_per_year, int threads);

}  // namespace tapegrid::bench
