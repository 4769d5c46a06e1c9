// The route table and the OpenAPI document generated from it.
#include "engine/server/api_routes.h"

#include <sstream>
#include <vector>

namespace tapegrid {

namespace {

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kHtml = "text/html";

constexpr ApiRoute kRoutes[] = {
    // The original system's API (../docs: the API reference), same paths and shapes.
    {"GET", "/api/v1/recordings/instances/{instance_id}/active-recording", "get_active_recording",
     "The recording an instance is writing right now (null when none), read from its recorder's live sidecar", "",
     "200 400", "", kJson},
    {"GET", "/api/v1/recordings/replays/{replay_id}", "get_replay_by_recordings_path",
     "One stored replay (the path the original's code served it at)", "", "200 404", "", kJson},
    {"GET", "/api/v1/recordings/", "list_recordings", "The store's recordings, newest first, filtered and paged",
     "instance_id status strategy tag limit offset", "200 400", "", kJson},
    {"GET", "/api/v1/recordings/{recording_id}", "get_recording",
     "A recording's metadata, original_parameters, event_counts and replays", "", "200 404", "", kJson},
    {"DELETE", "/api/v1/recordings/{recording_id}", "delete_recording",
     "Deletes a recording (refused while its recorder writes it)", "", "200 404 409", "", kJson},
    {"GET", "/api/v1/recordings/{recording_id}/events", "list_events",
     "A page of a recording's events in recorded order, with the total that match", "event_type symbol limit offset",
     "200 400 404", "", kJson},
    {"GET", "/api/v1/recordings/{recording_id}/market-data", "list_market_data",
     "A page of a recording's bars in recorded order, with the total that match", "symbol from to limit offset",
     "200 400 404", "", kJson},
    {"POST", "/api/v1/recordings/{recording_id}/replay", "replay_recording",
     "Replays a recording with modified parameters, stores the replay, and compares it with the original", "",
     "200 400 404 409 413 422", "application/json", kJson},
    {"GET", "/api/v1/recordings/{recording_id}/replays", "list_replays", "The replays stored in a recording", "",
     "200 404", "", kJson},
    {"GET", "/api/v1/replays/{replay_id}", "get_replay", "One stored replay: metrics, positions, comparison", "",
     "200 404", "", kJson},
    // Beyond the original: sweeps as jobs.
    {"POST", "/api/v1/sweeps", "submit_sweep",
     "Checks a sweep config (TOML, or JSON shaped like it) and queues it; one sweep runs at a time", "",
     "202 400 413 422", "application/toml application/json", kJson},
    {"GET", "/api/v1/sweeps", "list_sweeps", "Every sweep the server knows, newest first", "", "200", "", kJson},
    {"GET", "/api/v1/sweeps/{sweep_id}", "get_sweep",
     "A sweep's state, progress, bar-evaluations per second, ETA and plan", "", "200 404", "", kJson},
    {"DELETE", "/api/v1/sweeps/{sweep_id}", "cancel_sweep",
     "Cancels a queued or running sweep; what ran is kept with its checkpoint", "", "200 404 409", "", kJson},
    {"POST", "/api/v1/sweeps/{sweep_id}/resume", "resume_sweep",
     "Queues a cancelled, interrupted or failed sweep again; it carries on from its checkpoint", "", "202 404 409", "",
     kJson},
    {"GET", "/api/v1/sweeps/{sweep_id}/results", "list_sweep_results", "A page of a sweep's result rows, sorted",
     "sort order limit offset", "200 400 404 409", "", kJson},
    // The API's own description.
    {"GET", "/openapi.json", "openapi", "This document", "", "200", "", kJson},
    {"GET", "/docs", "docs_page", "This document, rendered as a page", "", "200", "", kHtml},
    // The dashboard.
    {"GET", "/", "recordings_page", "The dashboard: the store's recordings", "", "200", "", kHtml},
    {"GET", "/recordings/{recording_id}", "recording_page",
     "The dashboard: a recording's prices, signals, entries and exits, indicators and events", "", "200 404", "",
     kHtml},
    {"GET", "/recordings/{recording_id}/replays/{replay_id}", "replay_page",
     "The dashboard: a replay against its original", "", "200 404", "", kHtml},
    {"GET", "/sweeps/{sweep_id}", "sweep_page", "The dashboard: a sweep's heatmaps, distributions and top rows", "",
     "200 404 409", "", kHtml},
};

std::vector<std::string_view> words(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        const auto space = text.find(' ');
        if (space != 0) out.push_back(text.substr(0, space));
        if (space == std::string_view::npos) break;
        text.remove_prefix(space + 1);
    }
    return out;
}

std::vector<std::string> path_parameters(std::string_view path) {
    std::vector<std::string> names;
    for (auto open = path.find('{'); open != std::string_view::npos; open = path.find('{', open + 1))
        names.emplace_back(path.substr(open + 1, path.find('}', open) - open - 1));
    return names;
}

// Integer-valued parameters; the others are strings.
bool is_integer_parameter(std::string_view name) {
    return name == "instance_id" || name == "limit" || name == "offset";
}

nlohmann::json parameter(std::string_view name, const char* in) {
    nlohmann::json schema = {{"type", is_integer_parameter(name) ? "integer" : "string"}};
    if (name == "limit") schema["minimum"] = 1;
    if (name == "offset") schema["minimum"] = 0;
    if (name == "order") schema["enum"] = {"asc", "desc"};
    if (name == "from" || name == "to") schema["format"] = "date-time";
    if (name == "status") schema["enum"] = {"recording", "completed", "interrupted", "failed"};
    return {{"name", name}, {"in", in}, {"required", std::string_view(in) == "path"}, {"schema", schema}};
}

std::string_view reason(std::string_view code) {
    if (code == "200") return "OK";
    if (code == "202") return "Accepted: queued";
    if (code == "400") return "The request is malformed (a bad query value, body or id)";
    if (code == "401") return "A bearer token is required and was missing or wrong";
    if (code == "404") return "No such recording, replay, sweep or route";
    if (code == "409") return "Conflicts with the resource's state (being written, not finished, already ended)";
    if (code == "413") return "The request body is larger than the server accepts";
    if (code == "422") return "Well-formed but invalid (an unknown parameter, a bad value, a bad config)";
    return "";
}

}  // namespace

std::span<const ApiRoute> api_routes() {
    return kRoutes;
}

std::string route_pattern(std::string_view path) {
    std::string pattern;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '{') {
            pattern += "([^/]+)";
            i = path.find('}', i);
        } else if (std::string_view(".+*?()[]^$|\\").find(path[i]) != std::string_view::npos) {
            pattern += '\\';
            pattern += path[i];
        } else {
            pattern += path[i];
        }
    }
    if (pattern.size() > 1 && pattern.back() == '/') pattern.pop_back();
    if (pattern.size() > 1) pattern += "/?";
    return pattern;
}

nlohmann::json openapi_document(std::string_view version) {
    nlohmann::json paths = nlohmann::json::object();
    for (const ApiRoute& route : kRoutes) {
        nlohmann::json parameters = nlohmann::json::array();
        for (const auto& name : path_parameters(route.path)) parameters.push_back(parameter(name, "path"));
        for (const auto& name : words(route.query)) parameters.push_back(parameter(name, "query"));
        nlohmann::json responses = nlohmann::json::object();
        for (const auto& code : words(route.responses)) {
            const bool ok = code.front() == '2';
            const std::string schema = ok ? "Answer" : "Error";
            nlohmann::json response = {{"description", reason(code)}};
            if (ok && route.produces == kHtml)
                response["content"] = {{std::string(kHtml), {{"schema", {{"type", "string"}}}}}};
            else
                response["content"] = {
                    {std::string(kJson), {{"schema", {{"$ref", "#/components/schemas/" + schema}}}}}};
            responses[std::string(code)] = response;
        }
        responses["401"] = {
            {"description", reason("401")},
            {"content", {{std::string(kJson), {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
        nlohmann::json operation = {{"operationId", route.operation},
                                    {"summary", route.summary},
                                    {"parameters", parameters},
                                    {"responses", responses}};
        if (!route.body.empty()) {
            nlohmann::json content = nlohmann::json::object();
            for (const auto& type : words(route.body)) content[std::string(type)] = {{"schema", {{"type", "object"}}}};
            operation["requestBody"] = {{"required", true}, {"content", content}};
        }
        std::string method(route.method);
        for (auto& c : method) c = static_cast<char>(c - 'A' + 'a');
        paths[std::string(route.path)][method] = operation;
    }
    return {{"openapi", "3.0.3"},
            {"info",
             {{"title", "tapegrid"},
              {"version", version},
              {"description",
               "Recordings, replays and sweeps over HTTP: the original system's recordings API at the same paths "
               "with the same shapes, sweeps as jobs, and the dashboard."}}},
            {"paths", paths},
            {"components",
             {{"schemas",
               {{"Answer",
                 {{"type", "object"},
                  {"required", {"success"}},
                  {"properties", {{"success", {{"type", "boolean"}, {"enum", {true}}}}}},
                  {"additionalProperties", true}}},
                {"Error",
                 {{"type", "object"},
                  {"required", {"success", "error"}},
                  {"properties",
                   {{"success", {{"type", "boolean"}, {"enum", {false}}}}, {"error", {{"type", "string"}}}}}}}}},
              {"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
            {"security", nlohmann::json::array({{{"bearer", nlohmann::json::array()}}, nlohmann::json::object()})}};
}

}  // namespace tapegrid
