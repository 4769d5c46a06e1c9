// The sweep page: the sweep's summary, an explorer of its grid (heatmaps of two parameters against
// a metric, a metric's histogram) drawn from the embedded results table, and its top rows.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <span>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "engine/core/metric_names.h"
#include "engine/core/results_table.h"
#include "engine/dashboard/dashboard_pages.h"
#include "engine/dashboard/page_document.h"

namespace tapegrid {

using nlohmann::json;
using namespace page;  // the parts every page shares (page_document.h), used throughout

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A parameter column as its distinct values and one code per row (-1: an empty cell).
struct ParameterLevels {
    std::size_t column = 0;
    json levels = json::array();
    std::vector<std::int32_t> codes;
};

ParameterLevels parameter_levels(const ResultsTable& table, std::size_t column) {
    ParameterLevels out;
    out.column = column;
    out.codes.assign(table.rows, -1);
    if (table.is_text(column)) {
        std::unordered_map<std::string, std::int32_t> index;
        const auto& cells = table.text[column];
        for (std::size_t r = 0; r < table.rows; ++r) {
            if (cells[r].empty()) continue;
            const auto [it, added] = index.try_emplace(cells[r], static_cast<std::int32_t>(index.size()));
            if (added) out.levels.push_back(cells[r]);
            out.codes[r] = it->second;
        }
        return out;
    }
    const auto& values = table.numeric[column];
    std::vector<double> distinct;
    for (const double v : values)
        if (!std::isnan(v)) distinct.push_back(v);
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    for (std::size_t r = 0; r < table.rows; ++r)
        if (!std::isnan(values[r]))
            out.codes[r] = static_cast<std::int32_t>(std::lower_bound(distinct.begin(), distinct.end(), values[r]) -
                                                     distinct.begin());
    for (const double v : distinct) out.levels.push_back(v);
    return out;
}

// Integers exactly (combinations, trade counts), other numbers with 6 significant digits, and
// null for NaN and infinities (JSON has neither).
void append_number(std::string& out, double value) {
    if (!std::isfinite(value))
        out += "null";
    else if (value == std::floor(value) && std::fabs(value) < 1e15)
        fmt::format_to(std::back_inserter(out), "{}", static_cast<std::int64_t>(value));
    else
        fmt::format_to(std::back_inserter(out), "{:.6g}", value);
}

template <typename Values>
void append_array(std::string& out, const Values& values, std::size_t count) {
    out += '[';
    for (std::size_t i = 0; i < count; ++i) {
        if (i) out += ',';
        if constexpr (std::is_same_v<typename Values::value_type, double>)
            append_number(out, values[i]);
        else
            fmt::format_to(std::back_inserter(out), "{}", values[i]);
    }
    out += ']';
}

struct MetricColumn {
    std::size_t column = 0;
    std::string name;
    bool higher_is_better = true;
};

// Best value of each metric per (x level, y level) cell over every row: NaN where no row is.
std::string exact_best_json(const ResultsTable& table, const ParameterLevels& x, const ParameterLevels& y,
                            const std::vector<MetricColumn>& metrics) {
    const std::size_t nx = x.levels.size(), ny = y.levels.size();
    std::vector<std::vector<double>> best(metrics.size(), std::vector<double>(nx * ny, kNaN));
    for (std::size_t r = 0; r < table.rows; ++r) {
        if (x.codes[r] < 0 || y.codes[r] < 0) continue;
        const std::size_t cell = static_cast<std::size_t>(y.codes[r]) * nx + static_cast<std::size_t>(x.codes[r]);
        for (std::size_t m = 0; m < metrics.size(); ++m) {
            const double v = table.numeric[metrics[m].column][r];
            double& current = best[m][cell];
            if (!std::isnan(v) && (std::isnan(current) || (metrics[m].higher_is_better ? v > current : v < current)))
                current = v;
        }
    }
    std::string out = "{";
    for (std::size_t m = 0; m < metrics.size(); ++m) {
        out += (m ? ",\"" : "\"") + metrics[m].name + "\":[";
        for (std::size_t row = 0; row < ny; ++row) {
            if (row) out += ',';
            append_array(out, std::span<const double>(best[m]).subspan(row * nx, nx), nx);
        }
        out += ']';
    }
    return out + "}";
}

// Equal-width bins from the smallest to the largest finite value, as the page's histogram bins.
json exact_histogram(const std::vector<double>& values, std::size_t bins) {
    double lo = kInfinity, hi = -kInfinity;
    for (const double v : values)
        if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    if (lo > hi) return {{"min", 0}, {"max", 0}, {"counts", json::array()}};
    if (lo == hi) bins = 1;
    std::vector<std::size_t> counts(bins, 0);
    const double width = (hi - lo) / static_cast<double>(bins);
    for (const double v : values) {
        if (!std::isfinite(v)) continue;
        const auto bin = width > 0 ? static_cast<std::size_t>(std::floor((v - lo) / width)) : 0;
        ++counts[std::min(bins - 1, bin)];
    }
    return {{"min", lo}, {"max", hi}, {"counts", counts}};
}

// The code of the top row's value of each parameter, so the fixed heatmaps start around the best.
json default_fixed(const json& top_json, const ResultsTable& table, const std::vector<ParameterLevels>& parameters) {
    json out = json::object();
    const json& top = field(top_json, "top");
    const json& best = top.is_array() && !top.empty() ? field(top.front(), "parameters") : json();
    for (const ParameterLevels& p : parameters) {
        const json& value = field(best, table.names[p.column].c_str());
        const json wanted = value.is_boolean() ? json(value.get<bool>() ? "true" : "false") : value;
        for (std::size_t l = 0; l < p.levels.size(); ++l)
            if (p.levels[l] == wanted) out[std::to_string(p.column)] = l;
    }
    return out;
}

// The page-data "sweep" object, written as text: its columns are too long for a JSON tree.
std::string sweep_data(const json& top_json, const ResultsTable& table, std::size_t embedded) {
    std::vector<ParameterLevels> parameters;
    std::vector<MetricColumn> metrics;
    std::string columns = "[";
    for (std::size_t c = 0; c < table.names.size(); ++c) {
        if (c) columns += ',';
        columns += "{\"name\":" + dump_json(table.names[c]);
        if (table.is_parameter[c]) {
            parameters.push_back(parameter_levels(table, c));
            columns += ",\"role\":\"parameter\",\"levels\":" + dump_json(parameters.back().levels) + ",\"codes\":";
            append_array(columns, parameters.back().codes, embedded);
        } else {
            const auto metric = parse_metric(table.names[c]);
            if (metric && !table.is_text(c)) metrics.push_back({c, table.names[c], higher_is_better(*metric)});
            columns += metric ? ",\"role\":\"metric\",\"values\":" : ",\"role\":\"combination\",\"values\":";
            if (table.is_text(c))
                columns += "[]";
            else
                append_array(columns, table.numeric[c], embedded);
        }
        columns += '}';
    }
    columns += ']';

    json head = {{"rows_read", table.rows},           {"rows_embedded", embedded},
                 {"rows_cut", embedded < table.rows}, {"file_truncated", table.truncated},
                 {"metrics", json::array()},          {"default_fixed", default_fixed(top_json, table, parameters)}};
    for (const MetricColumn& m : metrics)
        head["metrics"].push_back({{"name", m.name}, {"higher_is_better", m.higher_is_better}});
    std::vector<const ParameterLevels*> varying;
    for (const ParameterLevels& p : parameters)
        if (p.levels.size() >= 2) varying.push_back(&p);
    if (varying.size() >= 2) {
        head["default_x"] = table.names[varying[0]->column];
        head["default_y"] = table.names[varying[1]->column];
    }
    const json& rank_by = field(top_json, "rank_by");
    const std::string ranked = rank_by.is_array() && !rank_by.empty() ? string_field(rank_by.front(), "by") : "";
    head["default_metric"] = ranked.empty() ? "total_pnl" : ranked;

    std::string exact = "null", histograms = "null";
    if (embedded < table.rows) {
        exact = "{";
        for (std::size_t i = 0; i < varying.size(); ++i)
            for (std::size_t j = i + 1; j < varying.size(); ++j) {
                if (varying[i]->levels.size() * varying[j]->levels.size() > kMaxExactHeatmapCells) continue;
                exact +=
                    fmt::format("{}\"{},{}\":", exact.size() > 1 ? "," : "", varying[i]->column, varying[j]->column);
                exact += exact_best_json(table, *varying[i], *varying[j], metrics);
            }
        exact += "}";
        json bins = json::object();
        for (const MetricColumn& m : metrics) bins[m.name] = exact_histogram(table.numeric[m.column], 40);
        histograms = dump_json(bins);
    }
    std::string out = dump_json(head);
    out.pop_back();  // the closing brace: the long members follow
    out += ",\"columns\":" + columns + ",\"exact_best\":" + exact + ",\"exact_histograms\":" + histograms + "}";
    return out;
}

std::string top_table(const json& top_json) {
    const json& top = field(top_json, "top");
    if (!top.is_array() || top.empty()) return "<p class=\"note\">top.json holds no rows.</p>";
    std::vector<std::string> parameters;
    for (const auto& [name, value] : field(top.front(), "parameters").items()) parameters.push_back(name);
    std::string out = "<div class=\"scroll\"><table class=\"sortable\"><thead><tr><th>rank</th><th>combination</th>";
    for (const auto& name : parameters) out += "<th>" + escape_html(name) + "</th>";
    for (const Metric metric : kAllMetrics) out += "<th>" + std::string(metric_name(metric)) + "</th>";
    out += "</tr></thead><tbody>";
    for (const json& row : top) {
        out += "<tr>" + json_number_cell(field(row, "rank"), 0) + json_number_cell(field(row, "combination"), 0);
        const json& values = field(row, "parameters");
        for (const auto& name : parameters) {
            const json& value = field(values, name.c_str());
            out += value.is_number() ? json_number_cell(value, -1) : text_cell(json_text(value));
        }
        for (const Metric metric : kAllMetrics) {
            out += json_number_cell(field(row, std::string(metric_name(metric)).c_str()), is_count(metric) ? 0 : 4,
                                    metric == Metric::kTotalPnl ? Tint::kHigherIsBetter : Tint::kNone);
        }
        out += "</tr>";
    }
    return out + "</tbody></table></div>";
}

std::string sweep_summary(const json& plan_json, const json& top_json, const ResultsTable& results,
                          std::size_t embedded) {
    std::string out = "<table class=\"kv\"><tbody>";
    const auto row = [&](std::string_view name, const std::string& value) {
        out += "<tr><th>" + escape_html(name) + "</th>" + text_cell(value) + "</tr>";
    };
    row("strategy", string_field(plan_json, "strategy"));
    row("recordings", json_text(field(plan_json, "recordings")));
    for (const char* key : {"grid_size", "combinations", "bars", "bar_evaluations"})
        if (!field(plan_json, key).is_null()) row(key, json_text(field(plan_json, key)));
    const json& run = field(plan_json, "run");
    if (const auto seconds = number_field(run, "wall_seconds")) row("wall time", format_number(*seconds, 1) + " s");
    std::string ranking;
    static const json kNone = json::array();
    const json& rank_by = field(top_json, "rank_by");
    for (const json& key : rank_by.is_array() ? rank_by : kNone)
        ranking += (ranking.empty() ? "" : ", ") + string_field(key, "by") + " " + string_field(key, "order");
    if (!ranking.empty()) row("ranked by", ranking);
    row("rows read", std::to_string(results.rows));
    out += "</tbody></table>";
    if (results.truncated)
        out += fmt::format("<p class=\"note\">results.csv holds more rows than the {} read; the charts show those.</p>",
                           results.rows);
    if (embedded < results.rows)
        out += fmt::format(
            "<p class=\"note\">This page embeds the first {} of the {} rows: the best-of heatmaps and the "
            "histograms were computed over all {} rows; the heatmaps at fixed values use the embedded rows.</p>",
            embedded, results.rows, results.rows);
    return out;
}

}  // namespace

std::string sweep_page(const json& plan_json, const json& top_json, const ResultsTable& results, const PageLinks& links,
                       std::size_t max_rows) {
    const std::size_t embedded = std::min(max_rows, results.rows);
    std::string body = "<section>" + sweep_summary(plan_json, top_json, results, embedded) + "</section>\n";
    body += "<section><h2>Explore the grid</h2><div id=\"sweep-explorer\"></div></section>\n";
    body += "<section><h2>Top rows</h2>" + top_table(top_json) + "</section>\n";
    const std::string name = string_field(plan_json, "name");
    const json data = {{"page", "sweep"}, {"name", name}, {"strategy", string_field(plan_json, "strategy")}};
    // The sweep object is spliced in as text (see sweep_data); html_document escapes it all the same.
    std::string data_text = dump_json(data);
    data_text.pop_back();
    data_text += ",\"sweep\":" + sweep_data(top_json, results, embedded) + "}";
    return html_document(
        fmt::format("Sweep {} ({})", name.empty() ? "results" : name, string_field(plan_json, "strategy")), links, body,
        std::move(data_text));
}

}  // namespace tapegrid
