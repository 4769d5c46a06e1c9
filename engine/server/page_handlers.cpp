// The API's description (/openapi.json and /docs) and the dashboard's pages.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "engine/core/errors.h"
#include "engine/core/printable.h"
#include "engine/core/version.h"
#include "engine/dashboard/dashboard_pages.h"
#include "engine/replay/comparison.h"
#include "engine/server/api_routes.h"
#include "engine/server/http_error.h"
#include "engine/server/request_reading.h"
#include "engine/server/server_context.h"
#include "io/hdf5/recording_reader.h"
#include "io/hdf5/replay_store.h"
#include "io/json/recording_info_json.h"
#include "io/json/replay_json.h"
#include "io/results/results_table.h"
#include "io/store/store_json.h"

namespace tapegrid {

namespace {

constexpr PageLinks kServed{true};

void send_html(httplib::Response& response, const std::string& html) {
    response.status = 200;
    response.set_content(html, "text/html; charset=utf-8");
}

void openapi(ServerContext&, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {});
    send_json(response, 200, openapi_document(kVersion));
}

// The OpenAPI document as a page: every path, its methods, parameters and answers.
void docs_page(ServerContext&, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {});
    send_html(response, api_docs_page(openapi_document(kVersion)));
}

void recordings_page_route(ServerContext& context, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {});
    nlohmann::json recordings = nlohmann::json::array();
    for (const auto& stored : context.index.recordings())
        if (stored.info) recordings.push_back(recording_info_to_json(*stored.info));
    send_html(response, recordings_page(recordings, kServed, context.sweeps.list()));
}

struct LoadedRecording {
    StoredRecording stored;
    std::shared_ptr<const Recording> loaded;
    const Recording& recording;
};

LoadedRecording load_named(ServerContext& context, const std::string& id) {
    StoredRecording stored = find_recording(context, id);
    if (stored.live)
        throw HttpError(409, "recording " + stored.info->recording_id +
                                 " is being written; its page opens once its recorder has stopped");
    const RecordingRead reading(context.locks, stored);
    auto recording = loaded_recording(context, stored);
    return {std::move(stored), recording, *recording};
}

void recording_page_route(ServerContext& context, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {});
    const LoadedRecording loaded = load_named(context, path_parameter(request, 1));
    nlohmann::json info = recording_info_to_json(loaded.recording.info);
    {
        const RecordingRead reading(context.locks, loaded.stored);
        info["replays"] = replay_summaries_json(context.index.replays(loaded.stored.path));
    }
    send_html(response, recording_page(loaded.recording, info, kServed));
}

void replay_page_route(ServerContext& context, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {});
    const LoadedRecording loaded = load_named(context, path_parameter(request, 1));
    const std::string replay_id = path_parameter(request, 2);
    nlohmann::json replay;
    try {
        const RecordingRead reading(context.locks, loaded.stored);
        replay = read_replay(loaded.stored.path, replay_id);
    } catch (const UserError& error) {
        throw HttpError(404, error.what());
    }
    nlohmann::json original = nlohmann::json::array();
    for (const Trade& trade : trades_from_events(loaded.recording.events)) original.push_back(trade_to_json(trade));
    send_html(response, replay_page(recording_info_to_json(loaded.recording.info), replay, original, kServed));
}

nlohmann::json read_json_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) return nullptr;
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error&) {
        return nullptr;
    }
}

void sweep_page_route(ServerContext& context, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {});
    const std::filesystem::path out = context.sweeps.results_directory(path_parameter(request, 1));
    const ResultsTable table = read_results_table((out / "results.csv").string(), kSweepPageRowsRead);
    send_html(response,
              sweep_page(read_json_file(out / "plan.json"), read_json_file(out / "top.json"), table, kServed));
}

}  // namespace

RouteHandler page_handler(std::string_view operation) {
    static const NamedHandler kHandlers[] = {
        {"openapi", openapi},
        {"docs_page", docs_page},
        {"recordings_page", recordings_page_route},
        {"recording_page", recording_page_route},
        {"replay_page", replay_page_route},
        {"sweep_page", sweep_page_route},
    };
    return find_handler(kHandlers, operation);
}

}  // namespace tapegrid
