// JSON form of recording metadata.
#include "io/json/recording_info_json.h"

#include "engine/core/errors.h"
#include "engine/core/printable.h"
#include "engine/core/uuid.h"
#include "io/json/json_numbers.h"
#include "io/validation/name_validation.h"

namespace tapegrid {

nlohmann::json parse_json_object(const std::string& text, const std::string& where) {
    nlohmann::json value;
    try {
        value = nlohmann::json::parse(text.empty() ? std::string("{}") : text);
    } catch (const nlohmann::json::exception& error) {  // parse_error, or out_of_range: a number beyond double
        throw UserError(where + ": expected a JSON object, found text that does not parse (" + error.what() + ")");
    }
    if (!value.is_object()) throw UserError(where + ": expected a JSON object, found " + value.dump());
    return value;
}

nlohmann::json recording_info_to_json(const RecordingInfo& info) {
    nlohmann::json json;
    json["recording_id"] = info.recording_id;
    json["session_id"] = info.session_id;
    json["instance_id"] = info.instance_id;
    json["strategy_name"] = info.strategy_name;
    json["original_parameters"] = parse_json_object(info.original_parameters, "original_parameters");
    json["symbols"] = info.symbols;
    json["status"] = std::string(to_string(info.status));
    json["recording_start_time"] = info.recording_start_time_ns != 0
                                       ? nlohmann::json(format_iso8601(info.recording_start_time_ns))
                                       : nlohmann::json(nullptr);
    json["recording_end_time"] = info.recording_end_time_ns != 0
                                     ? nlohmann::json(format_iso8601(info.recording_end_time_ns))
                                     : nlohmann::json(nullptr);
    json["description"] = info.description;
    json["tags"] = info.tags;
    json["total_bars_recorded"] = info.total_bars_recorded;
    json["total_events_recorded"] = info.total_events_recorded;
    json["event_counts"] = info.event_counts;
    json["original_trades"] = info.original_trades;
    json["original_pnl"] = info.original_pnl;
    json["original_win_rate"] = info.original_win_rate;
    json["error_message"] = info.error_message;
    json["format_version"] = info.format_version;
    json["created_by"] = info.created_by;
    return json;
}

namespace {

const nlohmann::json& field(const nlohmann::json& json, const char* name, const std::string& where) {
    const auto found = json.find(name);
    if (found == json.end()) throw UserError(where + ": missing field '" + name + "'");
    return *found;
}

template <class T>
T typed(const nlohmann::json& json, const char* name, const std::string& where) {
    const nlohmann::json& value = field(json, name, where);
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>)
        return json_whole_number<T>(value, where + ": field '" + name + "'");
    try {
        return value.get<T>();
    } catch (const nlohmann::json::exception&) {
        throw UserError(where + ": field '" + name + "' has the wrong type: " + value.dump());
    }
}

TimestampNs time_field(const nlohmann::json& json, const char* name, const std::string& where) {
    const nlohmann::json& value = field(json, name, where);
    if (value.is_null()) return 0;
    if (!value.is_string()) throw UserError(where + ": field '" + name + "': expected an ISO 8601 time or null");
    return require_iso8601(value.get<std::string>(), where + ": field '" + name + "'");
}

}  // namespace

RecordingInfo recording_info_from_json(const nlohmann::json& json, const std::string& where) {
    if (!json.is_object()) throw UserError(where + ": expected a JSON object of recording metadata");
    RecordingInfo info;
    info.recording_id = typed<std::string>(json, "recording_id", where);
    // It names the recording's file in the store.
    if (!is_uuid(info.recording_id))
        throw UserError(where + ": field 'recording_id': expected a UUID like 3f2b8c1e-...-..., found '" +
                        printable(info.recording_id) + "'");
    info.session_id = typed<std::string>(json, "session_id", where);
    info.instance_id = typed<std::int64_t>(json, "instance_id", where);
    info.strategy_name = typed<std::string>(json, "strategy_name", where);
    const nlohmann::json& parameters = field(json, "original_parameters", where);
    if (!parameters.is_object()) throw UserError(where + ": field 'original_parameters': expected an object");
    info.original_parameters = parameters.dump();
    info.symbols = typed<std::vector<std::string>>(json, "symbols", where);
    for (const auto& symbol : info.symbols) require_valid_name(symbol, "symbol", where + ": field 'symbols'");
    const auto status_text = typed<std::string>(json, "status", where);
    const auto status = parse_recording_status(status_text);
    if (!status)
        throw UserError(where +
                        ": field 'status': expected recording, completed, interrupted or "
                        "failed, found '" +
                        status_text + "'");
    info.status = *status;
    info.recording_start_time_ns = time_field(json, "recording_start_time", where);
    info.recording_end_time_ns = time_field(json, "recording_end_time", where);
    info.description = typed<std::string>(json, "description", where);
    info.tags = typed<std::vector<std::string>>(json, "tags", where);
    info.total_bars_recorded = typed<std::int64_t>(json, "total_bars_recorded", where);
    info.total_events_recorded = typed<std::int64_t>(json, "total_events_recorded", where);
    info.event_counts =
        json_whole_numbers_by_key<std::int64_t>(field(json, "event_counts", where), where + ": field 'event_counts'");
    info.original_trades = typed<std::int64_t>(json, "original_trades", where);
    info.original_pnl = typed<double>(json, "original_pnl", where);
    info.original_win_rate = typed<double>(json, "original_win_rate", where);
    info.error_message = json.value("error_message", std::string());
    info.format_version = json.contains("format_version")
                              ? json_whole_number<int>(json["format_version"], where + ": field 'format_version'")
                              : 0;
    info.created_by = json.value("created_by", std::string());
    return info;
}

}  // namespace tapegrid
