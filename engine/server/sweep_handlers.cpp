// Sweeps as jobs over HTTP: submit, watch, cancel, and page through the results.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>

#include "engine/core/printable.h"
#include "engine/server/http_error.h"
#include "engine/server/request_reading.h"
#include "engine/server/server_context.h"
#include "io/results/results_table.h"

namespace tapegrid {

namespace {

void submit_sweep(ServerContext& context, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {});
    const std::string type = request.get_header_value("Content-Type");
    const bool is_json = type.rfind("application/json", 0) == 0;
    if (request.body.empty()) throw HttpError(400, "expected a sweep config (TOML, or JSON) as the body");
    const std::string id = context.sweeps.submit(request.body, is_json);
    nlohmann::json answer = {{"success", true}, {"sweep_id", id}};
    answer["sweep"] = context.sweeps.describe(id).value_or(nullptr);
    response.set_header("Location", "/api/v1/sweeps/" + id);
    send_json(response, 202, answer);
}

void list_sweeps(ServerContext& context, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {});
    const nlohmann::json sweeps = context.sweeps.list();
    send_json(response, 200, {{"success", true}, {"count", sweeps.size()}, {"sweeps", sweeps}});
}

void get_sweep(ServerContext& context, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {});
    const std::string id = path_parameter(request, 1);
    const auto sweep = context.sweeps.describe(id);
    if (!sweep) throw HttpError(404, "no sweep with id '" + printable(id) + "'");
    send_json(response, 200, {{"success", true}, {"sweep", *sweep}});
}

void cancel_sweep(ServerContext& context, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {});
    send_json(response, 200, {{"success", true}, {"sweep", context.sweeps.cancel(path_parameter(request, 1))}});
}

void resume_sweep(ServerContext& context, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {});
    const std::string id = path_parameter(request, 1);
    send_json(response, 202, {{"success", true}, {"sweep_id", id}, {"sweep", context.sweeps.resume(id)}});
}

nlohmann::json cell(const ResultsTable& table, std::size_t column, std::size_t row) {
    if (!table.text[column].empty()) return table.text[column][row];
    const double value = table.numeric[column][row];
    if (std::isnan(value)) return nullptr;
    if (value == std::floor(value) && std::abs(value) < 9e15) return static_cast<std::int64_t>(value);
    return value;
}

void list_sweep_results(ServerContext& context, const httplib::Request& request, httplib::Response& response) {
    refuse_unknown_query(request, {"sort", "order", "limit", "offset"});
    const std::filesystem::path out = context.sweeps.results_directory(path_parameter(request, 1));
    const std::uint64_t limit = query_count(request, "limit", 100, 1, 10000);
    const std::uint64_t offset = query_count(request, "offset", 0, 0, UINT64_MAX);
    const auto sort = query_text(request, "sort");
    const std::string order = query_text(request, "order").value_or(sort ? "desc" : "asc");
    if (order != "asc" && order != "desc")
        throw HttpError(400, "order: expected asc or desc, found '" + printable(order) + "'");
    const std::shared_ptr<const ResultsTable> kept = context.results.get(out / "results.csv");
    const ResultsTable& table = *kept;
    std::size_t column = 0;  // the combination index
    if (sort) {
        const auto found = std::find(table.names.begin(), table.names.end(), *sort);
        if (found == table.names.end())
            throw HttpError(400, "sort: no column '" + printable(*sort) + "' in the results");
        column = static_cast<std::size_t>(found - table.names.begin());
    }
    std::vector<std::size_t> rows(table.rows);
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    const bool descending = order == "desc";
    // Ties keep the grid's order; NaN (a metric with no value) sorts last either way.
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
        if (!table.text[column].empty())
            return descending ? table.text[column][a] > table.text[column][b]
                              : table.text[column][a] < table.text[column][b];
        const double x = table.numeric[column][a], y = table.numeric[column][b];
        if (std::isnan(x) || std::isnan(y)) return !std::isnan(x) && std::isnan(y);
        return descending ? x > y : x < y;
    });
    nlohmann::json page = nlohmann::json::array();
    for (std::uint64_t k = offset; k < rows.size() && page.size() < limit; ++k) {
        nlohmann::json row = nlohmann::json::object();
        for (std::size_t c = 0; c < table.names.size(); ++c) row[table.names[c]] = cell(table, c, rows[k]);
        page.push_back(std::move(row));
    }
    send_json(response, 200,
              {{"success", true},
               {"sweep_id", path_parameter(request, 1)},
               {"total", table.rows},
               {"count", page.size()},
               {"offset", offset},
               {"limit", limit},
               {"sort", table.names.empty() ? "" : table.names[column]},
               {"order", order},
               {"results", page}});
}

}  // namespace

RouteHandler sweep_handler(std::string_view operation) {
    static const NamedHandler kHandlers[] = {
        {"submit_sweep", submit_sweep}, {"list_sweeps", list_sweeps},   {"get_sweep", get_sweep},
        {"cancel_sweep", cancel_sweep}, {"resume_sweep", resume_sweep}, {"list_sweep_results", list_sweep_results},
    };
    return find_handler(kHandlers, operation);
}

}  // namespace tapegrid
