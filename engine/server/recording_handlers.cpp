// The original system's recordings API: the same paths, query parameters and answer shapes
// (docs/SERVER.md lists them), over the store's HDF5 files.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>

#include "engine/core/errors.h"
#include "engine/core/printable.h"
#include "engine/replay/session_replayer.h"
#include "engine/server/http_error.h"
#include "engine/server/request_reading.h"
#include "engine/server/server_context.h"
#include "io/hdf5/recording_reader.h"
#include "io/hdf5/replay_store.h"
#include "io/json/recording_info_json.h"
#include "io/json/replay_json.h"
#include "io/store/recording_pages.h"
#include "io/store/store_json.h"

namespace tapegrid {

StoredRecording find_recording(ServerContext& context, const std::string& recording_id) {
    auto stored = context.index.find(recording_id);
    if (!stored) throw HttpError(404, "no recording with id '" + printable(recording_id) + "' in the store");
    if (!stored->info) throw HttpError(409, stored->error);
    return std::move(*stored);
}

std::shared_ptr<const Recording> loaded_recording(ServerContext& context, const StoredRecording& stored) {
    try {
        return context.cache.get(stored.path);
    } catch (const UserError& error) {
        throw HttpError(409, error.what());
    }
}

namespace {

// The recording the path's first parameter names.
StoredRecording recording_named(ServerContext& context, const httplib::Request& request) {
    return find_recording(context, path_parameter(request, 1));
}

void list_recordings(ServerContext& context, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {"instance_id", "status", "strategy", "tag", "limit", "offset"});
    const auto instance = query_integer(request, "instance_id");
    const auto status = query_text(request, "status");
    if (status && !parse_recording_status(*status))
        throw HttpError(
            400, "status: expected recording, completed, interrupted or failed, found '" + printable(*status) + "'");
    const auto strategy = query_text(request, "strategy");
    const auto tag = query_text(request, "tag");
    const std::uint64_t limit = query_count(request, "limit", 1000, 1, 100000);
    const std::uint64_t offset = query_count(request, "offset", 0, 0, UINT64_MAX);
    nlohmann::json recordings = nlohmann::json::array();
    std::uint64_t total = 0;
    for (const auto& stored : context.index.recordings()) {
        if (!stored.info) continue;
        const RecordingInfo& info = *stored.info;
        if (instance && info.instance_id != *instance) continue;
        if (status && to_string(info.status) != *status) continue;
        if (strategy && info.strategy_name != *strategy) continue;
        if (tag && std::find(info.tags.begin(), info.tags.end(), *tag) == info.tags.end()) continue;
        if (total++ < offset || recordings.size() >= limit) continue;
        recordings.push_back(recording_info_to_json(info));
    }
    send_json(response, 200,
              {{"success", true},
               {"count", recordings.size()},
               {"total", total},
               {"offset", offset},
               {"limit", limit},
               {"recordings", recordings}});
}

void get_recording(ServerContext& context, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {});
    const StoredRecording stored = recording_named(context, request);
    const RecordingRead reading(context.locks, stored);
    nlohmann::json recording = recording_info_to_json(*stored.info);
    recording["replays"] =
        stored.live ? nlohmann::json::array() : replay_summaries_json(context.index.replays(stored.path));
    send_json(response, 200, {{"success", true}, {"recording", recording}});
}

void delete_recording_route(ServerContext& context, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {});
    const StoredRecording stored = recording_named(context, request);
    if (stored.live)
        throw HttpError(409, "recording " + stored.info->recording_id + " is being written by a live recorder");
    const RecordingDelete deleting(context.locks, stored);
    try {
        delete_recording(stored.path);
    } catch (const UserError& refused) {
        throw HttpError(409, refused.what());
    }
    send_json(
        response, 200,
        {{"success", true}, {"recording_id", stored.info->recording_id}, {"deleted", {stored.info->recording_id}}});
}

void list_events(ServerContext& context, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {"event_type", "symbol", "limit", "offset"});
    const StoredRecording stored = recording_named(context, request);
    EventQuery query;
    query.type = query_text(request, "event_type");
    query.symbol = query_text(request, "symbol");
    query.limit = query_count(request, "limit", 100, 1, 10000);
    query.offset = query_count(request, "offset", 0, 0, UINT64_MAX);
    const RecordingRead reading(context.locks, stored);
    const auto recording = loaded_recording(context, stored);
    nlohmann::json page = event_page_json(page_events(*recording, query), query, stored.info->recording_id);
    page["recording_id"] = stored.info->recording_id;
    send_json(response, 200, page);
}

std::optional<TimestampNs> query_time(const httplib::Request& request, const char* name) {
    const auto text = query_text(request, name);
    if (!text) return std::nullopt;
    const auto time = parse_iso8601(*text);
    if (!time)
        throw HttpError(400, std::string(name) + ": expected an ISO 8601 time like 2024-01-02T09:30:00Z, found '" +
                                 printable(*text) + "'");
    return time;
}

void list_market_data(ServerContext& context, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {"symbol", "from", "to", "limit", "offset"});
    const StoredRecording stored = recording_named(context, request);
    BarQuery query;
    query.symbol = query_text(request, "symbol");
    query.from_ns = query_time(request, "from");
    query.to_ns = query_time(request, "to");
    query.limit = query_count(request, "limit", 100, 1, 10000);
    query.offset = query_count(request, "offset", 0, 0, UINT64_MAX);
    const RecordingRead reading(context.locks, stored);
    const auto recording = loaded_recording(context, stored);
    nlohmann::json page = bar_page_json(page_bars(*recording, query, stored.info->recording_id), query);
    page["recording_id"] = stored.info->recording_id;
    send_json(response, 200, page);
}

void get_active_recording(ServerContext& context, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {});
    const std::string text = path_parameter(request, 1);
    std::int64_t instance = 0;
    const auto [stop, error] = std::from_chars(text.data(), text.data() + text.size(), instance);
    if (error != std::errc() || stop != text.data() + text.size())
        throw HttpError(400, "instance_id: expected a whole number, found '" + printable(text) + "'");
    nlohmann::json recordings = nlohmann::json::array();
    for (const auto& active : active_recordings(context.index.directory(), instance))
        recordings.push_back(active_recording_json(active));
    for (auto& recording : recordings) recording.erase("path");
    send_json(response, 200,
              {{"success", true},
               {"instance_id", instance},
               {"recording", recordings.empty() ? nlohmann::json(nullptr) : recordings.front()},
               {"recordings", recordings}});
}

// A parameter value from JSON as the text `tapegrid replay --set` would take.
std::string parameter_text(const std::string& name, const nlohmann::json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    if (value.is_number()) return value.dump();
    throw HttpError(
        422, "modified_parameters." + name + ": expected a number, a boolean or a choice name, found " + value.dump());
}

void replay_recording(ServerContext& context, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {});
    const StoredRecording stored = recording_named(context, request);
    const nlohmann::json body = json_body(request);
    for (const auto& [key, value] : body.items())
        if (key != "modified_parameters" && key != "description" && key != "strategy")
            throw HttpError(
                400, "unknown field '" + printable(key) + "'; expected modified_parameters, description and strategy");
    const nlohmann::json modified = body.value("modified_parameters", nlohmann::json::object());
    if (!modified.is_object()) throw HttpError(400, "modified_parameters: expected an object");
    if (body.contains("description") && !body["description"].is_string())
        throw HttpError(400, "description: expected a string");
    if (body.contains("strategy") && !body["strategy"].is_string()) throw HttpError(400, "strategy: expected a string");
    const std::string description = body.value("description", "");
    const std::string strategy = body.value("strategy", "");
    if (stored.live)
        throw HttpError(409, "recording " + stored.info->recording_id +
                                 " is being written by a live recorder; replay it once it has stopped");

    std::shared_ptr<const Recording> recording;
    {
        const RecordingRead reading(context.locks, stored);
        recording = loaded_recording(context, stored);
    }
    SessionReplayer replayer(*recording);
    ReplayOutcome outcome;
    try {
        for (const auto& [name, value] : modified.items()) replayer.set_parameter(name, parameter_text(name, value));
        outcome = replayer.replay(strategy);
    } catch (const UserError& error) {
        throw HttpError(422, error.what());
    }
    std::string replay_id;
    {
        const RecordingSave saving(context.locks, stored);
        try {
            replay_id = save_replay(stored.path, outcome, description);
        } catch (const UserError& refused) {
            throw HttpError(409, refused.what());
        }
    }
    nlohmann::json json = replay_to_json(outcome, replayer.recording().info, replay_id, description, now_ns());
    json["success"] = true;
    send_json(response, 200, json);
}

void list_replays_route(ServerContext& context, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {});
    const StoredRecording stored = recording_named(context, request);
    const RecordingRead reading(context.locks, stored);
    const auto replays = stored.live ? std::vector<ReplaySummary>{} : context.index.replays(stored.path);
    send_json(response, 200,
              {{"success", true},
               {"recording_id", stored.info->recording_id},
               {"count", replays.size()},
               {"replays", replay_summaries_json(replays)}});
}

void get_replay(ServerContext& context, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {});
    const std::string replay_id = path_parameter(request, 1);
    const auto stored = context.index.find_replay(replay_id);
    if (!stored) throw HttpError(404, "no replay with id '" + printable(replay_id) + "' in the store");
    nlohmann::json replay;
    try {
        const RecordingRead reading(context.locks, *stored);
        replay = read_replay(stored->path, replay_id);
    } catch (const UserError& error) {
        throw HttpError(404, error.what());  // its recording was deleted or replaced meanwhile
    }
    replay["success"] = true;
    send_json(response, 200, replay);
}

}  // namespace

RouteHandler recording_handler(std::string_view operation) {
    static const NamedHandler kHandlers[] = {
        {"list_recordings", list_recordings},
        {"get_recording", get_recording},
        {"delete_recording", delete_recording_route},
        {"list_events", list_events},
        {"list_market_data", list_market_data},
        {"get_active_recording", get_active_recording},
        {"replay_recording", replay_recording},
        {"list_replays", list_replays_route},
        {"get_replay", get_replay},
        {"get_replay_by_recordings_path", get_replay},
    };
    return find_handler(kHandlers, operation);
}

}  // namespace tapegrid
