// Matching a replay's trades and signals with the recorded ones.
#include "engine/replay/comparison.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

namespace tapegrid {

namespace {

std::optional<nlohmann::json> parse_object(const std::string& text) {
    try {
        auto json = nlohmann::json::parse(text);
        if (json.is_object()) return json;
    } catch (const nlohmann::json::exception&) {
    }
    return std::nullopt;
}

double number_or(const nlohmann::json& json, const char* key, double fallback) {
    const auto found = json.find(key);
    return found != json.end() && found->is_number() ? found->get<double>() : fallback;
}

int direction_of(const nlohmann::json& json) {
    const auto found = json.find("direction");
    if (found == json.end() || !found->is_string()) return 1;
    const std::string text = found->get<std::string>();
    return text == "SHORT" || text == "short" || text == "SELL" ? -1 : 1;
}

using Key = std::pair<std::string, TimestampNs>;

}  // namespace

std::string_view to_string(DiffStatus status) {
    switch (status) {
        case DiffStatus::kSame:
            return "same";
        case DiffStatus::kChanged:
            return "changed";
        case DiffStatus::kOnlyOriginal:
            return "only_original";
        case DiffStatus::kOnlyReplay:
            return "only_replay";
    }
    return "unknown";
}

std::vector<Trade> trades_from_events(const std::vector<Event>& events) {
    std::map<std::string, Trade> open;
    std::vector<Trade> trades;
    for (const auto& event : events) {
        if (event.type != event_type::kPositionOpened && event.type != event_type::kPositionClosed) continue;
        const auto data = parse_object(event.event_data);
        if (!data) continue;
        if (event.type == event_type::kPositionOpened) {
            Trade trade;
            trade.symbol = event.symbol;
            trade.direction = direction_of(*data);
            trade.entry_time_ns = event.timestamp_ns;
            trade.entry_price = number_or(*data, "entry_price", 0.0);
            trade.quantity = number_or(*data, "quantity", 0.0);
            trade.stop_loss = number_or(*data, "stop_loss", 0.0);
            trade.take_profit = number_or(*data, "take_profit", 0.0);
            open[event.symbol] = trade;
            continue;
        }
        auto found = open.find(event.symbol);
        Trade trade = found != open.end() ? found->second : Trade{};
        if (found != open.end()) open.erase(found);
        trade.symbol = event.symbol;
        if (trade.entry_time_ns == 0) {
            trade.direction = direction_of(*data);
            trade.entry_price = number_or(*data, "entry_price", 0.0);
            trade.quantity = number_or(*data, "quantity", 0.0);
        }
        trade.exit_time_ns = event.timestamp_ns;
        trade.exit_price = number_or(*data, "exit_price", 0.0);
        trade.pnl = number_or(*data, "pnl", 0.0);
        trade.pnl_pct = number_or(*data, "pnl_pct", 0.0);
        const auto reason = data->find("exit_reason");
        if (reason != data->end() && reason->is_string())
            trade.exit_reason = parse_exit_reason(reason->get<std::string>()).value_or(ExitReason::kSignal);
        trades.push_back(std::move(trade));
    }
    return trades;
}

std::size_t Comparison::count(DiffStatus status) const {
    return static_cast<std::size_t>(
        std::count_if(trades.begin(), trades.end(), [&](const TradeDiff& diff) { return diff.status == status; }));
}

std::size_t Comparison::count_signals(DiffStatus status) const {
    return static_cast<std::size_t>(
        std::count_if(signals.begin(), signals.end(), [&](const SignalDiff& diff) { return diff.status == status; }));
}

Comparison compare_with_original(const RecordingInfo& info, const std::vector<Event>& events,
                                 const ReplayResult& replay) {
    Comparison comparison;
    comparison.original_trades = info.original_trades;
    comparison.original_pnl = info.original_pnl;
    comparison.original_win_rate = info.original_win_rate;
    comparison.replay_trades = replay.metrics.total_trades;
    comparison.replay_pnl = replay.metrics.total_pnl;
    comparison.replay_win_rate = replay.metrics.win_rate;
    comparison.trades_diff = comparison.replay_trades - comparison.original_trades;
    comparison.pnl_diff = comparison.replay_pnl - comparison.original_pnl;
    comparison.win_rate_diff = comparison.replay_win_rate - comparison.original_win_rate;

    // Trades, matched by (symbol, entry time).
    std::map<Key, TradeDiff> trades;
    const std::vector<Trade> original = trades_from_events(events);
    comparison.original_events_recorded = !original.empty();
    for (const auto& trade : original) {
        TradeDiff& diff = trades[{trade.symbol, trade.entry_time_ns}];
        diff.symbol = trade.symbol;
        diff.entry_time_ns = trade.entry_time_ns;
        diff.original = trade;
        diff.status = DiffStatus::kOnlyOriginal;
    }
    for (const auto& trade : replay.trades) {
        TradeDiff& diff = trades[{trade.symbol, trade.entry_time_ns}];
        diff.symbol = trade.symbol;
        diff.entry_time_ns = trade.entry_time_ns;
        diff.replay = trade;
        if (!diff.original) {
            diff.status = DiffStatus::kOnlyReplay;
            continue;
        }
        const Trade& o = *diff.original;
        const auto check = [&](bool same, const char* field) {
            if (!same) diff.changed_fields.emplace_back(field);
        };
        check(o.direction == trade.direction, "direction");
        check(o.entry_price == trade.entry_price, "entry_price");
        check(o.exit_time_ns == trade.exit_time_ns, "exit_time");
        check(o.exit_price == trade.exit_price, "exit_price");
        check(o.quantity == trade.quantity, "quantity");
        check(o.pnl == trade.pnl, "pnl");
        check(o.exit_reason == trade.exit_reason, "exit_reason");
        diff.status = diff.changed_fields.empty() ? DiffStatus::kSame : DiffStatus::kChanged;
    }
    for (auto& [key, diff] : trades) comparison.trades.push_back(std::move(diff));

    // Entry signals, matched by (symbol, time).
    std::map<Key, SignalDiff> signals;
    for (const auto& event : events) {
        if (event.type != event_type::kSignalDetected) continue;
        SignalDiff& diff = signals[{event.symbol, event.timestamp_ns}];
        diff.symbol = event.symbol;
        diff.time_ns = event.timestamp_ns;
        const auto data = parse_object(event.event_data);
        diff.original_direction = data && data->contains("signal_type") && (*data)["signal_type"].is_string()
                                      ? (*data)["signal_type"].get<std::string>()
                                      : "signal";
        diff.status = DiffStatus::kOnlyOriginal;
    }
    for (const auto& trade : replay.trades) {
        SignalDiff& diff = signals[{trade.symbol, trade.entry_time_ns}];
        diff.symbol = trade.symbol;
        diff.time_ns = trade.entry_time_ns;
        diff.replay_direction = trade.direction_name();
        if (diff.original_direction.empty()) {
            diff.status = DiffStatus::kOnlyReplay;
        } else {
            diff.status = diff.original_direction == diff.replay_direction ? DiffStatus::kSame : DiffStatus::kChanged;
        }
    }
    for (auto& [key, diff] : signals) comparison.signals.push_back(std::move(diff));
    const auto by_time = [](const auto& a, const auto& b) { return a.entry_time_ns < b.entry_time_ns; };
    std::stable_sort(comparison.trades.begin(), comparison.trades.end(), by_time);
    std::stable_sort(comparison.signals.begin(), comparison.signals.end(),
                     [](const SignalDiff& a, const SignalDiff& b) { return a.time_ns < b.time_ns; });
    return comparison;
}

}  // namespace tapegrid
