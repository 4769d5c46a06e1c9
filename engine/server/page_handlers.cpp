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

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

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
    const nlohmann::json document = openapi_document(kVersion);
    std::string html = fmt::format(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>tapegrid API {}</title><style>"
        "body{{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;color:#222}}"
        "h2{{font-size:1.05em;margin:1.6em 0 .3em}}code{{font:13px ui-monospace,monospace}}"
        ".m{{display:inline-block;min-width:4.5em;font-weight:600}}.GET{{color:#0a6}}.POST{{color:#06c}}"
        ".DELETE{{color:#c33}}table{{border-collapse:collapse;margin:.3em 0}}td,th{{border:1px solid #ddd;"
        "padding:.2em .6em;text-align:left}}</style></head><body><h1>tapegrid API {}</h1><p>{}</p>"
        "<p>The machine-readable document: <a href=\"/openapi.json\"><code>/openapi.json</code></a> (OpenAPI "
        "{}). Errors are <code>{{\"success\": false, \"error\": \"...\"}}</code>.</p>",
        escape_html(kVersion), escape_html(kVersion), escape_html(document["info"]["description"].get<std::string>()),
        escape_html(document["openapi"].get<std::string>()));
    for (const auto& [path, methods] : document["paths"].items()) {
        for (const auto& [method, operation] : methods.items()) {
            std::string upper = method;
            for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            html += fmt::format("<h2 id=\"{}\"><span class=\"m {}\">{}</span><code>{}</code></h2><p>{}</p>",
                                escape_html(operation["operationId"].get<std::string>()), upper, upper,
                                escape_html(path), escape_html(operation["summary"].get<std::string>()));
            if (!operation["parameters"].empty()) {
                html += "<table><tr><th>parameter</th><th>in</th><th>type</th></tr>";
                for (const auto& parameter : operation["parameters"])
                    html += fmt::format("<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                                        escape_html(parameter["name"].get<std::string>()),
                                        escape_html(parameter["in"].get<std::string>()),
                                        escape_html(parameter["schema"]["type"].get<std::string>()));
                html += "</table>";
            }
            if (operation.contains("requestBody")) {
                std::string types;
                for (const auto& [type, schema] : operation["requestBody"]["content"].items())
                    types += (types.empty() ? "" : ", ") + escape_html(type);
                html += "<p>body: " + types + "</p>";
            }
            html += "<table><tr><th>status</th><th>meaning</th></tr>";
            for (const auto& [code, answer] : operation["responses"].items())
                html += fmt::format("<tr><td>{}</td><td>{}</td></tr>", code,
                                    escape_html(answer["description"].get<std::string>()));
            html += "</table>";
        }
    }
    html += "</body></html>\n";
    send_html(response, html);
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
    auto stored = context.index.find(id);
    if (!stored) throw HttpError(404, "no recording with id '" + printable(id) + "' in the store");
    if (!stored->info) throw HttpError(409, stored->error);
    if (stored->live)
        throw HttpError(409, "recording " + stored->info->recording_id +
                                 " is being written; its page opens once its recorder has stopped");
    try {
        const RecordingRead reading(context.locks, *stored);
        auto recording = context.cache.get(stored->path);
        return {std::move(*stored), recording, *recording};
    } catch (const UserError& error) {
        throw HttpError(409, error.what());
    }
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
    static const std::pair<std::string_view, RouteHandler> kHandlers[] = {
        {"openapi", openapi},
        {"docs_page", docs_page},
        {"recordings_page", recordings_page_route},
        {"recording_page", recording_page_route},
        {"replay_page", replay_page_route},
        {"sweep_page", sweep_page_route},
    };
    for (const auto& [name, handler] : kHandlers)
        if (name == operation) return handler;
    return nullptr;
}

}  // namespace tapegrid
