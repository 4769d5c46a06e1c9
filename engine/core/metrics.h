// The outcome of one replay, with the field names of the original system (docs/METRICS.md).
#pragma once

#include <cstdint>

namespace tapegrid {

struct ReplayMetrics {
    std::int64_t total_trades = 0;
    std::int64_t winning_trades = 0;  // pnl > 0
    std::int64_t losing_trades = 0;   // pnl <= 0
    double win_rate = 0.0;            // percent
    double total_pnl = 0.0;           // money
    double gross_profit = 0.0;        // sum of winning pnl
    double gross_loss = 0.0;          // minus the sum of losing pnl (>= 0)
    double profit_factor = 0.0;       // gross_profit / gross_loss; +inf with profit and no loss
    double average_trade = 0.0;       // total_pnl / total_trades
    double max_drawdown = 0.0;        // money, on the mark-to-market equity curve
    double max_drawdown_pct = 0.0;    // percent of the running peak
    double sharpe_ratio = 0.0;        // annualised
    double sortino_ratio = 0.0;       // annualised
    double exposure_pct = 0.0;        // percent of symbol-bars with a position held at the close
    double final_equity = 0.0;
    double periods_per_year = 0.0;   // the annualisation used
    std::int64_t equity_points = 0;  // portfolio timestamps on the equity curve
};

}  // namespace tapegrid
