// Building the recorded events of a trade.
#include "engine/replay/trade_events.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace tapegrid {

namespace {

const char* entry_side(int direction) {
    return direction > 0 ? "BUY" : "SELL";
}
const char* exit_side(int direction) {
    return direction > 0 ? "SELL" : "BUY";
}

const char* exit_order_type(ExitReason reason) {
    switch (reason) {
        case ExitReason::kStopLoss:
            return "STOP";
        case ExitReason::kTakeProfit:
            return "LIMIT";
        case ExitReason::kSignal:
        case ExitReason::kEndOfData:
            return "MARKET_ON_CLOSE";
    }
    return "MARKET";
}

Event make_event(std::string_view type, const Trade& trade, TimestampNs time, const nlohmann::json& data,
                 const nlohmann::json& decision, const std::string& market) {
    Event event;
    event.timestamp_ns = time;
    event.type = std::string(type);
    event.symbol = trade.symbol;
    event.event_data = data.dump();
    event.decision_metadata = decision.dump();
    event.market_state = market;
    return event;
}

nlohmann::json pairs_to_json(const std::vector<std::pair<std::string, double>>& pairs) {
    nlohmann::json json = nlohmann::json::object();
    for (const auto& [name, value] : pairs) json[name] = value;
    return json;
}

}  // namespace

std::string trade_reference(const std::string& symbol, std::size_t trade_number) {
    return fmt::format("{}-{:06d}", symbol, trade_number);
}

std::string market_state_json(const BarPrices& bar) {
    return nlohmann::json{
        {"open", bar.open}, {"high", bar.high}, {"low", bar.low}, {"close", bar.close}, {"volume", bar.volume}}
        .dump();
}

std::vector<Event> entry_events(const Trade& trade, std::size_t trade_number, const BarPrices& bar,
                                const SignalExplanation& why, const std::string& strategy_name,
                                double commission_per_share) {
    const std::string market = market_state_json(bar);
    const std::string order_id = trade_reference(trade.symbol, trade_number) + "-open";
    const TimestampNs t = trade.entry_time_ns;
    nlohmann::json decision = {{"indicators", pairs_to_json(why.indicators)},
                               {"thresholds", pairs_to_json(why.thresholds)},
                               {"signal_strength", why.signal_strength},
                               {"reasoning", why.reasoning},
                               {"strategy", strategy_name}};
    return {
        make_event(event_type::kSignalDetected, trade, t,
                   {{"signal_type", trade.direction_name()},
                    {"entry_price", bar.close},
                    {"stop_loss", trade.stop_loss},
                    {"take_profit", trade.take_profit},
                    {"signal_strength", why.signal_strength}},
                   decision, market),
        make_event(event_type::kOrderPlaced, trade, t,
                   {{"order_id", order_id},
                    {"side", entry_side(trade.direction)},
                    {"quantity", trade.quantity},
                    {"order_type", "MARKET_ON_CLOSE"},
                    {"price", bar.close}},
                   nlohmann::json::object(), market),
        make_event(event_type::kOrderFilled, trade, t,
                   {{"order_id", order_id},
                    {"side", entry_side(trade.direction)},
                    {"quantity", trade.quantity},
                    {"fill_price", trade.entry_price},
                    {"commission", commission_per_share * trade.quantity}},
                   nlohmann::json::object(), market),
        make_event(event_type::kPositionOpened, trade, t,
                   {{"entry_price", trade.entry_price},
                    {"quantity", trade.quantity},
                    {"direction", trade.direction_name()},
                    {"stop_loss", trade.stop_loss},
                    {"take_profit", trade.take_profit}},
                   nlohmann::json::object(), market),
    };
}

std::vector<Event> exit_events(const Trade& trade, std::size_t trade_number, const BarPrices& bar,
                               double commission_per_share) {
    const std::string market = market_state_json(bar);
    const std::string order_id = trade_reference(trade.symbol, trade_number) + "-close";
    const TimestampNs t = trade.exit_time_ns;
    return {
        make_event(event_type::kOrderPlaced, trade, t,
                   {{"order_id", order_id},
                    {"side", exit_side(trade.direction)},
                    {"quantity", trade.quantity},
                    {"order_type", exit_order_type(trade.exit_reason)},
                    {"price", trade.exit_level}},
                   nlohmann::json::object(), market),
        make_event(event_type::kOrderFilled, trade, t,
                   {{"order_id", order_id},
                    {"side", exit_side(trade.direction)},
                    {"quantity", trade.quantity},
                    {"fill_price", trade.exit_price},
                    {"commission", commission_per_share * trade.quantity}},
                   nlohmann::json::object(), market),
        make_event(event_type::kPositionClosed, trade, t,
                   {{"entry_price", trade.entry_price},
                    {"exit_price", trade.exit_price},
                    {"quantity", trade.quantity},
                    {"direction", trade.direction_name()},
                    {"pnl", trade.pnl},
                    {"pnl_pct", trade.pnl_pct},
                    {"exit_reason", std::string(to_string(trade.exit_reason))},
                    {"entry_time", format_iso8601(trade.entry_time_ns)}},
                   nlohmann::json::object(), market),
    };
}

}  // namespace tapegrid
