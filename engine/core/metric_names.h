// The metrics by name: how sweep tables, rankings and filters refer to ReplayMetrics fields.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/metrics.h"

namespace tapegrid {

enum class Metric {
    kTotalTrades,
    kWinningTrades,
    kLosingTrades,
    kWinRate,
    kTotalPnl,
    kMaxDrawdown,
    kMaxDrawdownPct,
    kSharpeRatio,
    kSortinoRatio,
    kProfitFactor,
    kAverageTrade,
    kGrossProfit,
    kGrossLoss,
    kExposurePct,
    kFinalEquity
};

inline constexpr std::array<Metric, 15> kAllMetrics = {
    Metric::kTotalTrades,  Metric::kWinningTrades,  Metric::kLosingTrades, Metric::kWinRate,      Metric::kTotalPnl,
    Metric::kMaxDrawdown,  Metric::kMaxDrawdownPct, Metric::kSharpeRatio,  Metric::kSortinoRatio, Metric::kProfitFactor,
    Metric::kAverageTrade, Metric::kGrossProfit,    Metric::kGrossLoss,    Metric::kExposurePct,  Metric::kFinalEquity};

// The original system's field names: total_trades, winning_trades, ..., sharpe_ratio.
std::string_view metric_name(Metric metric);
std::optional<Metric> parse_metric(std::string_view name);
std::string list_metric_names();

// Whether a larger value is the better one (false for drawdowns, losses and losing trades).
bool higher_is_better(Metric metric);

double metric_value(const ReplayMetrics& metrics, Metric metric);
// The inverse (counts are rounded to integers): reading a results table back.
void set_metric_value(ReplayMetrics& metrics, Metric metric, double value);

}  // namespace tapegrid
