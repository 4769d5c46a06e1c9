// The store's answers as JSON.
#include "io/store/store_json.h"

#include <cmath>

#include "engine/core/timestamp.h"
#include "io/json/recording_info_json.h"

namespace tapegrid {

nlohmann::json stored_recording_json(const StoredRecording& stored) {
    if (!stored.info) return {{"path", stored.path}, {"error", stored.error}};
    nlohmann::json json = recording_info_to_json(*stored.info);
    json["path"] = stored.path;
    return json;
}

nlohmann::json replay_summaries_json(const std::vector<ReplaySummary>& replays) {
    nlohmann::json json = nlohmann::json::array();
    for (const auto& r : replays)
        json.push_back({{"replay_id", r.replay_id},
                        {"strategy_name", r.strategy_name},
                        {"created_at", format_iso8601(r.created_at_ns)},
                        {"description", r.description},
                        {"modified_parameters", parse_json_object(r.modified_parameters, "modified_parameters")},
                        {"total_trades", r.total_trades},
                        {"total_pnl", r.total_pnl},
                        {"win_rate", r.win_rate},
                        {"max_drawdown", r.max_drawdown},
                        {"sharpe_ratio", r.sharpe_ratio},
                        {"trades_diff", r.trades_diff},
                        {"pnl_diff", r.pnl_diff}});
    return json;
}

nlohmann::json event_json(const Event& e, const std::string& where) {
    return {{"sequence", e.sequence},
            {"timestamp", format_iso8601(e.timestamp_ns)},
            {"event_type", e.type},
            {"symbol", e.symbol},
            {"event_data", parse_json_object(e.event_data, where + ": event_data")},
            {"decision_metadata", parse_json_object(e.decision_metadata, where + ": decision_metadata")},
            {"market_state", parse_json_object(e.market_state, where + ": market_state")}};
}

nlohmann::json event_page_json(const EventPage& page, const EventQuery& query, const std::string& where) {
    nlohmann::json events = nlohmann::json::array();
    for (const auto& e : page.events) events.push_back(event_json(e, where));
    return {{"success", true},        {"total", page.total},  {"count", page.events.size()},
            {"offset", query.offset}, {"limit", query.limit}, {"events", events}};
}

nlohmann::json bar_page_json(const BarPage& page, const BarQuery& query) {
    nlohmann::json bars = nlohmann::json::array();
    for (const auto& bar : page.bars) {
        nlohmann::json indicators = nlohmann::json::object();
        for (const auto& [name, value] : bar.indicators)
            indicators[name] = std::isnan(value) ? nlohmann::json(nullptr) : nlohmann::json(value);
        bars.push_back({{"symbol", bar.symbol},
                        {"timestamp", format_iso8601(bar.timestamp_ns)},
                        {"open", bar.open},
                        {"high", bar.high},
                        {"low", bar.low},
                        {"close", bar.close},
                        {"volume", bar.volume},
                        {"sequence", bar.sequence},
                        {"indicators", indicators}});
    }
    return {{"success", true},        {"total", page.total},  {"count", page.bars.size()},
            {"offset", query.offset}, {"limit", query.limit}, {"market_data", bars}};
}

nlohmann::json active_recording_json(const ActiveRecording& active) {
    nlohmann::json json = recording_info_to_json(active.live.info);
    json["path"] = active.path;
    json["pid"] = active.live.pid;
    json["hostname"] = active.live.hostname;
    json["last_flush"] = format_iso8601(active.live.heartbeat_ns);
    return json;
}

}  // namespace tapegrid
