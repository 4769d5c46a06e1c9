// Metric names, directions and values.
#include "engine/core/metric_names.h"

namespace tapegrid {

std::string_view metric_name(Metric metric) {
    switch (metric) {
        case Metric::kTotalTrades:
            return "total_trades";
        case Metric::kWinningTrades:
            return "winning_trades";
        case Metric::kLosingTrades:
            return "losing_trades";
        case Metric::kWinRate:
            return "win_rate";
        case Metric::kTotalPnl:
            return "total_pnl";
        case Metric::kMaxDrawdown:
            return "max_drawdown";
        case Metric::kMaxDrawdownPct:
            return "max_drawdown_pct";
        case Metric::kSharpeRatio:
            return "sharpe_ratio";
        case Metric::kSortinoRatio:
            return "sortino_ratio";
        case Metric::kProfitFactor:
            return "profit_factor";
        case Metric::kAverageTrade:
            return "average_trade";
        case Metric::kGrossProfit:
            return "gross_profit";
        case Metric::kGrossLoss:
            return "gross_loss";
        case Metric::kExposurePct:
            return "exposure_pct";
        case Metric::kFinalEquity:
            return "final_equity";
    }
    return "unknown";
}

std::optional<Metric> parse_metric(std::string_view name) {
    for (const Metric metric : kAllMetrics)
        if (metric_name(metric) == name) return metric;
    return std::nullopt;
}

std::string list_metric_names() {
    std::string names;
    for (const Metric metric : kAllMetrics) {
        if (!names.empty()) names += ", ";
        names += metric_name(metric);
    }
    return names;
}

bool higher_is_better(Metric metric) {
    switch (metric) {
        case Metric::kLosingTrades:
        case Metric::kMaxDrawdown:
        case Metric::kMaxDrawdownPct:
        case Metric::kGrossLoss:
            return false;
        default:
            return true;
    }
}

double metric_value(const ReplayMetrics& m, Metric metric) {
    switch (metric) {
        case Metric::kTotalTrades:
            return static_cast<double>(m.total_trades);
        case Metric::kWinningTrades:
            return static_cast<double>(m.winning_trades);
        case Metric::kLosingTrades:
            return static_cast<double>(m.losing_trades);
        case Metric::kWinRate:
            return m.win_rate;
        case Metric::kTotalPnl:
            return m.total_pnl;
        case Metric::kMaxDrawdown:
            return m.max_drawdown;
        case Metric::kMaxDrawdownPct:
            return m.max_drawdown_pct;
        case Metric::kSharpeRatio:
            return m.sharpe_ratio;
        case Metric::kSortinoRatio:
            return m.sortino_ratio;
        case Metric::kProfitFactor:
            return m.profit_factor;
        case Metric::kAverageTrade:
            return m.average_trade;
        case Metric::kGrossProfit:
            return m.gross_profit;
        case Metric::kGrossLoss:
            return m.gross_loss;
        case Metric::kExposurePct:
            return m.exposure_pct;
        case Metric::kFinalEquity:
            return m.final_equity;
    }
    return 0.0;
}

void set_metric_value(ReplayMetrics& m, Metric metric, double value) {
    // clang-format off: one metric a line reads as the table it is.
    switch (metric) {
        case Metric::kTotalTrades:
            m.total_trades = static_cast<std::int64_t>(value);
            return;
        case Metric::kWinningTrades:
            m.winning_trades = static_cast<std::int64_t>(value);
            return;
        case Metric::kLosingTrades:
            m.losing_trades = static_cast<std::int64_t>(value);
            return;
        case Metric::kWinRate:
            m.win_rate = value;
            return;
        case Metric::kTotalPnl:
            m.total_pnl = value;
            return;
        case Metric::kMaxDrawdown:
            m.max_drawdown = value;
            return;
        case Metric::kMaxDrawdownPct:
            m.max_drawdown_pct = value;
            return;
        case Metric::kSharpeRatio:
            m.sharpe_ratio = value;
            return;
        case Metric::kSortinoRatio:
            m.sortino_ratio = value;
            return;
        case Metric::kProfitFactor:
            m.profit_factor = value;
            return;
        case Metric::kAverageTrade:
            m.average_trade = value;
            return;
        case Metric::kGrossProfit:
            m.gross_profit = value;
            return;
        case Metric::kGrossLoss:
            m.gross_loss = value;
            return;
        case Metric::kExposurePct:
            m.exposure_pct = value;
            return;
        case Metric::kFinalEquity:
            m.final_equity = value;
            return;
    }
    // clang-format on
}

}  // namespace tapegrid
