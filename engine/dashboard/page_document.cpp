// The parts every dashboard page shares: escaping, cells and tables, links and the whole document.
#include "engine/dashboard/page_document.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <vector>

#include "engine/dashboard/chart_script.h"

namespace tapegrid::page {

using nlohmann::json;

bool is_count(Metric metric) {
    return metric == Metric::kTotalTrades || metric == Metric::kWinningTrades || metric == Metric::kLosingTrades;
}

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
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

// JSON text safe inside a <script> element: "</" and "<!--" can only occur inside JSON strings,
// where "<\/" and "<\u0021--" mean the same characters, so the parsed data is unchanged.
void make_script_safe(std::string& text) {
    std::string out;
    out.reserve(text.size() + 64);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/') {
            out += "<\\/";
            ++i;
        } else if (text.compare(i, 4, "<!--") == 0) {
            out += "<\\u0021--";
            i += 3;
        } else {
            out += text[i];
        }
    }
    text = std::move(out);
}

// Recorded text is not always valid UTF-8; such bytes become U+FFFD rather than an exception.
std::string dump_json(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string url_segment(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~')
            out += c;
        else
            out += fmt::format("%{:02X}", byte);
    }
    return out;
}

const json& field(const json& object, const char* key) {
    static const json kNull;
    if (!object.is_object()) return kNull;
    const auto it = object.find(key);
    return it == object.end() ? kNull : *it;
}

std::optional<double> number_field(const json& object, const char* key) {
    const json& value = field(object, key);
    if (value.is_number()) return value.get<double>();
    return std::nullopt;
}

std::string string_field(const json& object, const char* key) {
    const json& value = field(object, key);
    return value.is_string() ? value.get<std::string>() : std::string();
}

std::string format_number(double value, int decimals) {
    if (std::isnan(value)) return "—";
    if (std::isinf(value)) return value > 0 ? "∞" : "-∞";
    return fmt::format("{:.{}f}", value, decimals);
}

std::string json_text(const json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_null()) return "—";
    if (value.is_array()) {
        std::string out;
        for (const auto& item : value) out += (out.empty() ? "" : ", ") + json_text(item);
        return out;
    }
    if (value.is_object()) {
        std::string out;
        for (const auto& [key, item] : value.items()) out += (out.empty() ? "" : ", ") + key + "=" + json_text(item);
        return out;
    }
    return dump_json(value);
}

std::string text_cell(std::string_view text) {
    return "<td>" + escape_html(text) + "</td>";
}

// ISO 8601 times sort as text; the class keeps them on one line.
std::string time_cell(std::string_view text) {
    return "<td class=\"time\">" + escape_html(text) + "</td>";
}

std::string number_cell(std::optional<double> value, int decimals, Tint tint) {
    if (!value) return "<td class=\"num\" data-value=\"\">—</td>";
    const double v = *value;
    const char* colour = "";
    if (tint != Tint::kNone && v != 0 && !std::isnan(v))
        colour = (v > 0) == (tint == Tint::kHigherIsBetter) ? " pos" : " neg";
    std::string sort_value;
    if (std::isfinite(v))
        sort_value = fmt::format("{}", v);
    else if (std::isinf(v))
        sort_value = v > 0 ? "1e308" : "-1e308";
    const std::string shown = decimals < 0 && std::isfinite(v) ? fmt::format("{}", v) : format_number(v, decimals);
    return fmt::format("<td class=\"num{}\" data-value=\"{}\">{}</td>", colour, sort_value, shown);
}

std::string json_number_cell(const json& value, int decimals, Tint tint) {
    if (value.is_number_integer()) return number_cell(value.get<double>(), 0, tint);
    if (value.is_number()) return number_cell(value.get<double>(), decimals, tint);
    if (value.is_null()) return number_cell(std::nullopt, decimals);
    return text_cell(json_text(value));
}

std::string header_row(std::initializer_list<std::string_view> names) {
    std::string out = "<thead><tr>";
    for (const auto name : names) out += "<th>" + escape_html(name) + "</th>";
    return out + "</tr></thead>";
}

std::string key_value_table(const json& object, std::initializer_list<std::string_view> skip) {
    if (!object.is_object()) return "<p class=\"note\">None.</p>";
    std::string out = "<table class=\"kv\"><tbody>";
    for (const auto& [key, value] : object.items()) {
        if (std::find(skip.begin(), skip.end(), key) != skip.end()) continue;
        out += "<tr><th>" + escape_html(key) + "</th>";
        if (value.is_object() && !value.empty())
            out += "<td>" + key_value_table(value) + "</td>";
        else if (value.is_number())
            out += json_number_cell(value, 6);
        else
            out += text_cell(json_text(value));
        out += "</tr>";
    }
    return out + "</tbody></table>";
}

std::int64_t epoch_ms(TimestampNs timestamp_ns) {
    const std::int64_t ms = timestamp_ns / 1'000'000;
    return timestamp_ns % 1'000'000 < 0 ? ms - 1 : ms;  // floor, for times before 1970
}

std::string recording_link(const std::string& recording_id) {
    return "/recordings/" + url_segment(recording_id);
}

std::string replay_link(const std::string& recording_id, const std::string& replay_id) {
    return recording_link(recording_id) + "/replays/" + url_segment(replay_id);
}

std::string maybe_link(const PageLinks& links, const std::string& href, std::string_view text) {
    if (!links.served) return escape_html(text);
    return "<a href=\"" + escape_html(href) + "\">" + escape_html(text) + "</a>";
}

// The whole document. The Content-Security-Policy lets the inline style and script run and
// forbids every fetch, so the page works offline and can reach nothing even if text slipped in.
std::string html_document(std::string_view title, const PageLinks& links, const std::string& body,
                          std::string data_text) {
    make_script_safe(data_text);
    const std::string_view style = dashboard_style(), script = dashboard_script();
    std::string page;
    page.reserve(body.size() + data_text.size() + style.size() + script.size() + 1024);
    page += "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    page +=
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
        "style-src 'unsafe-inline'; img-src data:\">\n";
    page += "<title>" + escape_html(title) + "</title>\n<style>";
    page += style;
    page += "</style>\n</head>\n<body>\n<header>";
    if (links.served) page += "<nav><a href=\"/\">Recordings</a></nav>";  // the server's list is its root
    page += "<h1>" + escape_html(title) + "</h1></header>\n<main>\n";
    page += body;
    page += "</main>\n<script type=\"application/json\" id=\"page-data\">";
    page += data_text;
    page += "</script>\n<script>";
    page += script;
    page += "</script>\n</body>\n</html>\n";
    return page;
}

json series_json(std::string_view name, const DecimatedSeries& series, const char* colour) {
    std::vector<std::int64_t> ms(series.x.size());
    std::transform(series.x.begin(), series.x.end(), ms.begin(), epoch_ms);
    json out = {{"name", name}, {"x", ms}, {"y", series.y}};
    if (colour) out["color"] = colour;
    return out;
}

}  // namespace tapegrid::page
