// JSON form of replays.
#include "io/json/replay_json.h"

#include <cmath>

#include "strategies/registry.h"

namespace tapegrid {

nlohmann::json finite_or_null(double value) {
    return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

nlohmann::json params_to_json(const StrategyInfo& strategy, const ParamSet& params) {
    nlohmann::json json = nlohmann::json::object();
    for (std::size_t i = 0; i < strategy.params.size(); ++i) {
        const ParamSpec& spec = strategy.params[i];
        const double value = params.values[i];
        switch (spec.type) {
            case ParamType::kBool:
                json[spec.name] = value != 0.0;
                break;
            case ParamType::kChoice:
                json[spec.name] = spec.format(value);
                break;
            case ParamType::kInt:
                json[spec.name] = static_cast<std::int64_t>(value);
                break;
            case ParamType::kFloat:
                json[spec.name] = value;
                break;
        }
    }
    return json;
}

nlohmann::json trade_to_json(const Trade& trade) {
    return {{"symbol", trade.symbol},
            {"direction", trade.direction_name()},
            {"entry_time", format_iso8601(trade.entry_time_ns)},
            {"exit_time", format_iso8601(trade.exit_time_ns)},
            {"entry_price", trade.entry_price},
            {"exit_price", trade.exit_price},
            {"quantity", trade.quantity},
            {"pnl", trade.pnl},
            {"pnl_pct", trade.pnl_pct},
            {"exit_reason", std::string(to_string(trade.exit_reason))},
            {"stop_loss", finite_or_null(trade.stop_loss)},
            {"take_profit", finite_or_null(trade.take_profit)},
            {"duration_bars", trade.duration_bars()},
            {"duration_seconds", static_cast<double>(trade.exit_time_ns - trade.entry_time_ns) / 1e9}};
}

namespace {

nlohmann::json comparison_to_json(const Comparison& c) {
    nlohmann::json trades = nlohmann::json::array();
    for (const auto& diff : c.trades) {
        if (diff.status == DiffStatus::kSame) continue;
        nlohmann::json item = {{"status", std::string(to_string(diff.status))},
                               {"symbol", diff.symbol},
                               {"entry_time", format_iso8601(diff.entry_time_ns)}};
        if (!diff.changed_fields.empty()) item["changed_fields"] = diff.changed_fields;
        if (diff.original) item["original"] = trade_to_json(*diff.original);
        if (diff.replay) item["replay"] = trade_to_json(*diff.replay);
        trades.push_back(std::move(item));
    }
    nlohmann::json signals = nlohmann::json::array();
    for (const auto& diff : c.signals) {
        if (diff.status == DiffStatus::kSame) continue;
        signals.push_back({{"status", std::string(to_string(diff.status))},
                           {"symbol", diff.symbol},
                           {"time", format_iso8601(diff.time_ns)},
                           {"original", diff.original_direction.empty() ? nlohmann::json(nullptr)
                                                                        : nlohmann::json(diff.original_direction)},
                           {"replay", diff.replay_direction.empty() ? nlohmann::json(nullptr)
                                                                    : nlohmann::json(diff.replay_direction)}});
    }
    return {{"original_trades", c.original_trades},
            {"replay_trades", c.replay_trades},
            {"trades_diff", c.trades_diff},
            {"original_pnl", c.original_pnl},
            {"replay_pnl", c.replay_pnl},
            {"pnl_diff", c.pnl_diff},
            {"original_win_rate", c.original_win_rate},
            {"replay_win_rate", c.replay_win_rate},
            {"win_rate_diff", c.win_rate_diff},
            {"original_events_recorded", c.original_events_recorded},
            {"trades",
             {{"same", c.count(DiffStatus::kSame)},
              {"changed", c.count(DiffStatus::kChanged)},
              {"only_original", c.count(DiffStatus::kOnlyOriginal)},
              {"only_replay", c.count(DiffStatus::kOnlyReplay)},
              {"differences", trades}}},
            {"signals",
             {{"same", c.count_signals(DiffStatus::kSame)},
              {"changed", c.count_signals(DiffStatus::kChanged)},
              {"only_original", c.count_signals(DiffStatus::kOnlyOriginal)},
              {"only_replay", c.count_signals(DiffStatus::kOnlyReplay)},
              {"differences", signals}}}};
}

}  // namespace

nlohmann::json replay_to_json(const ReplayOutcome& outcome, const RecordingInfo& recording,
                              const std::string& replay_id, const std::string& description, TimestampNs created_at_ns) {
    const ReplayResult& r = outcome.result;
    const StrategyInfo& strategy = find_strategy(r.strategy_name);
    const ReplayMetrics& m = r.metrics;
    nlohmann::json modified = nlohmann::json::object();
    const nlohmann::json all = params_to_json(strategy, r.params);
    for (const auto& [name, value] : outcome.modified_parameters) modified[name] = all[name];
    nlohmann::json positions = nlohmann::json::array();
    for (const auto& trade : r.trades) positions.push_back(trade_to_json(trade));
    return {{"replay_id", replay_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(replay_id)},
            {"recording_id", recording.recording_id},
            {"strategy_name", r.strategy_name},
            {"created_at", format_iso8601(created_at_ns)},
            {"description", description},
            {"parameters", all},
            {"original_parameters", params_to_json(strategy, outcome.original_params)},
            {"modified_parameters", modified},
            {"total_trades", m.total_trades},
            {"winning_trades", m.winning_trades},
            {"losing_trades", m.losing_trades},
            {"win_rate", m.win_rate},
            {"total_pnl", m.total_pnl},
            {"gross_profit", m.gross_profit},
            {"gross_loss", m.gross_loss},
            {"profit_factor", finite_or_null(m.profit_factor)},
            {"average_trade", m.average_trade},
            {"max_drawdown", m.max_drawdown},
            {"max_drawdown_pct", m.max_drawdown_pct},
            {"sharpe_ratio", m.sharpe_ratio},
            {"sortino_ratio", m.sortino_ratio},
            {"exposure_pct", m.exposure_pct},
            {"final_equity", m.final_equity},
            {"periods_per_year", m.periods_per_year},
            {"positions", positions},
            {"comparison", comparison_to_json(outcome.comparison)}};
}

}  // namespace tapegrid
