// The dashboard's pages as whole HTML documents: the shared document and its escaping first, then
// one section per page (recordings, a recording, a replay, a sweep).
#include "engine/dashboard/dashboard_pages.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <unordered_map>

#include "engine/core/event.h"
#include "engine/core/metric_names.h"
#include "engine/core/timestamp.h"
#include "engine/dashboard/chart_script.h"
#include "engine/dashboard/decimate.h"

namespace tapegrid {

namespace {

using nlohmann::json;

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool is_count(Metric metric) {
    return metric == Metric::kTotalTrades || metric == Metric::kWinningTrades || metric == Metric::kLosingTrades;
}

// ---------------------------------------------------------------------------------------------
// Text that goes into a page.

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

// A path segment of a served link: every byte but the unreserved ones percent-encoded.
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

// A JSON value as a cell's text: strings as they are, numbers as written, lists joined.
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

// How a number is coloured: by whether it is good news (a gain, a better metric) or bad.
enum class Tint { kNone, kHigherIsBetter, kLowerIsBetter };

// A numeric cell: shown with `decimals` (-1: as written), sorted by its full value (data-value);
// blank sorts last.
std::string number_cell(std::optional<double> value, int decimals, Tint tint = Tint::kNone) {
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

std::string json_number_cell(const json& value, int decimals, Tint tint = Tint::kNone) {
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

// A key/value table of a JSON object, nested objects as tables of their own.
std::string key_value_table(const json& object, std::initializer_list<std::string_view> skip = {}) {
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

// `text`, a link to `href` when the pages are served.
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

json series_json(std::string_view name, const DecimatedSeries& series, const char* colour = nullptr) {
    std::vector<std::int64_t> ms(series.x.size());
    std::transform(series.x.begin(), series.x.end(), ms.begin(), epoch_ms);
    json out = {{"name", name}, {"x", ms}, {"y", series.y}};
    if (colour) out["color"] = colour;
    return out;
}

// ---------------------------------------------------------------------------------------------
// The recordings.

std::string iso_field(const json& object, const char* key) {
    const json& value = field(object, key);
    return value.is_string() ? value.get<std::string>() : "";
}

}  // namespace

std::string recordings_page(const json& recordings, const PageLinks& links) {
    std::string body = "<section><table class=\"sortable\">";
    body += header_row({"recording_id", "instance_id", "strategy_name", "status", "start", "end", "bars", "events",
                        "original_trades", "original_pnl", "original_win_rate"});
    body += "<tbody>";
    std::size_t count = 0;
    static const json kNone = json::array();
    for (const json& r : recordings.is_array() ? recordings : kNone) {
        const std::string id = string_field(r, "recording_id");
        body += "<tr><td class=\"mono\">" + maybe_link(links, recording_link(id), id) + "</td>";
        body += json_number_cell(field(r, "instance_id"), 0);
        body += text_cell(string_field(r, "strategy_name"));
        body += text_cell(string_field(r, "status"));
        body += time_cell(iso_field(r, "recording_start_time"));
        body += time_cell(iso_field(r, "recording_end_time"));
        body += json_number_cell(field(r, "total_bars_recorded"), 0);
        body += json_number_cell(field(r, "total_events_recorded"), 0);
        body += json_number_cell(field(r, "original_trades"), 0);
        body += json_number_cell(field(r, "original_pnl"), 2, Tint::kHigherIsBetter);
        body += json_number_cell(field(r, "original_win_rate"), 2);
        body += "</tr>";
        ++count;
    }
    body += "</tbody></table>";
    if (count == 0) body += "<p class=\"note\">The store holds no recordings.</p>";
    body += "</section>\n";
    json data = {{"page", "recordings"}, {"count", count}, {"recordings", recordings}};
    return html_document(fmt::format("Recordings ({})", count), links, body, dump_json(data));
}

namespace {

// ---------------------------------------------------------------------------------------------
// A recording.

struct MarkerRule {
    std::string_view event_type;
    const char* kind;
    const char* price_key;  // where the recorder writes the price (engine/replay/trade_events.cpp)
};

constexpr MarkerRule kMarkerRules[] = {{event_type::kSignalDetected, "signal", "entry_price"},
                                       {event_type::kPositionOpened, "entry", "entry_price"},
                                       {event_type::kPositionClosed, "exit", "exit_price"}};

// The close of the last bar at or before `time`, else the first bar's.
std::optional<double> close_at(const SymbolBars& bars, TimestampNs time) {
    if (bars.size() == 0) return std::nullopt;
    const auto it = std::upper_bound(bars.timestamp_ns.begin(), bars.timestamp_ns.end(), time);
    const std::size_t row =
        it == bars.timestamp_ns.begin() ? 0 : static_cast<std::size_t>(it - bars.timestamp_ns.begin()) - 1;
    return bars.close[row];
}

std::string marker_label(const Event& event, double price, const json& data) {
    std::string label = fmt::format("{} {} at {}, price {}", event.type, event.symbol,
                                    format_iso8601(event.timestamp_ns), format_number(price, 4));
    for (const char* key : {"signal_type", "direction", "exit_reason"})
        if (field(data, key).is_string()) label += fmt::format(", {} {}", key, field(data, key).get<std::string>());
    if (const auto pnl = number_field(data, "pnl")) label += ", pnl " + format_number(*pnl, 2);
    return label;
}

struct SymbolMarkers {
    json markers = json::array();
    std::size_t left_out = 0;
};

std::vector<SymbolMarkers> recording_markers(const Recording& recording) {
    std::vector<SymbolMarkers> out(recording.bars.size());
    std::unordered_map<std::string, std::size_t> symbol_index;
    for (std::size_t s = 0; s < recording.bars.size(); ++s) symbol_index.emplace(recording.bars[s].symbol, s);
    for (const Event& event : recording.events) {
        const MarkerRule* rule = nullptr;
        for (const MarkerRule& candidate : kMarkerRules)
            if (candidate.event_type == event.type) rule = &candidate;
        const auto symbol = symbol_index.find(event.symbol);
        if (!rule || symbol == symbol_index.end()) continue;
        SymbolMarkers& markers = out[symbol->second];
        if (markers.markers.size() >= kMaxMarkersPerChart) {
            ++markers.left_out;
            continue;
        }
        const json data = json::parse(event.event_data, nullptr, false);
        std::optional<double> price = number_field(data, rule->price_key);
        if (!price || !std::isfinite(*price)) price = close_at(recording.bars[symbol->second], event.timestamp_ns);
        if (!price) continue;
        markers.markers.push_back({{"x", epoch_ms(event.timestamp_ns)},
                                   {"y", *price},
                                   {"kind", rule->kind},
                                   {"label", marker_label(event, *price, data)}});
    }
    return out;
}

bool all_nan(const std::vector<double>& values) {
    return std::all_of(values.begin(), values.end(), [](double v) { return std::isnan(v); });
}

// The price and indicator charts of each symbol, and the sections that hold them.
std::string symbol_charts(const Recording& recording, json& charts) {
    const std::vector<SymbolMarkers> markers = recording_markers(recording);
    std::string body;
    for (std::size_t s = 0; s < recording.bars.size(); ++s) {
        const SymbolBars& bars = recording.bars[s];
        const std::span<const std::int64_t> time(bars.timestamp_ns);
        const std::string price_id = fmt::format("price-{}", s), indicators_id = fmt::format("indicators-{}", s);
        body += "<section><h2>" + escape_html(bars.symbol) + "</h2>";
        body += fmt::format("<p class=\"note\">{} bars; the close drawn with its lowest and highest point per column",
                            bars.size());
        if (markers[s].left_out > 0)
            body += fmt::format("; the first {} signals, entries and exits marked, {} more left out",
                                markers[s].markers.size(), markers[s].left_out);
        body += ".</p><div class=\"chart-box\" id=\"" + price_id + "\"></div>";
        charts.push_back(
            {{"type", "line"},
             {"target", price_id},
             {"title", bars.symbol + " close"},
             {"yLabel", "price"},
             {"series", json::array({series_json("close", decimate_min_max(time, bars.close, kChartColumns))})},
             {"markers", markers[s].markers}});
        json indicator_series = json::array();
        for (const IndicatorColumn& column : bars.indicators)
            if (!all_nan(column.values))
                indicator_series.push_back(
                    series_json(column.name, decimate_min_max(time, column.values, kChartColumns)));
        if (indicator_series.empty()) {
            body += "<p class=\"note\">No indicators recorded.</p>";
        } else {
            body += "<h3>Indicators</h3><div class=\"chart-box\" id=\"" + indicators_id + "\"></div>";
            charts.push_back({{"type", "line"},
                              {"target", indicators_id},
                              {"title", bars.symbol + " indicators"},
                              {"yLabel", "value"},
                              {"series", std::move(indicator_series)}});
        }
        body += "</section>\n";
    }
    return body;
}

std::string replays_table(const json& replays, const std::string& recording_id, const PageLinks& links) {
    if (!replays.is_array() || replays.empty()) return "<p class=\"note\">No replays saved.</p>";
    std::string out = "<table class=\"sortable\">";
    out += header_row({"replay_id", "created_at", "description", "modified_parameters", "total_trades", "total_pnl",
                       "win_rate", "trades_diff", "pnl_diff"});
    out += "<tbody>";
    for (const json& replay : replays) {
        const std::string id = string_field(replay, "replay_id");
        out += "<tr><td class=\"mono\">" + maybe_link(links, replay_link(recording_id, id), id) + "</td>";
        out += time_cell(string_field(replay, "created_at"));
        out += text_cell(string_field(replay, "description"));
        out += text_cell(json_text(field(replay, "modified_parameters")));
        out += json_number_cell(field(replay, "total_trades"), 0);
        out += json_number_cell(field(replay, "total_pnl"), 2, Tint::kHigherIsBetter);
        out += json_number_cell(field(replay, "win_rate"), 2);
        out += json_number_cell(field(replay, "trades_diff"), 0);
        out += json_number_cell(field(replay, "pnl_diff"), 2, Tint::kHigherIsBetter);
        out += "</tr>";
    }
    return out + "</tbody></table>";
}

std::string event_table(const std::vector<Event>& events, std::size_t max_events) {
    const std::size_t shown = std::min(max_events, events.size());
    std::string out = fmt::format("<p class=\"note\">{} events", events.size());
    if (shown < events.size()) out += fmt::format("; the first {} shown, {} left out", shown, events.size() - shown);
    out += ".</p><div class=\"scroll\"><table class=\"sortable\">";
    out += header_row({"sequence", "time", "type", "symbol", "event_data"});
    out += "<tbody>";
    for (std::size_t i = 0; i < shown; ++i) {
        const Event& event = events[i];
        out += "<tr>" + number_cell(static_cast<double>(event.sequence), 0);
        out += time_cell(format_iso8601(event.timestamp_ns));
        out += text_cell(event.type);
        out += text_cell(event.symbol);
        out += "<td><code>" + escape_html(event.event_data) + "</code></td></tr>";
    }
    return out + "</tbody></table></div>";
}

}  // namespace

std::string recording_page(const Recording& recording, const json& info_json, const PageLinks& links,
                           std::size_t max_events) {
    const RecordingInfo& info = recording.info;
    json charts = json::array();
    std::string body = symbol_charts(recording, charts);
    body += "<section><h2>Metadata</h2>" + key_value_table(info_json, {"replays"}) + "</section>\n";
    body += "<section><h2>Replays</h2>" + replays_table(field(info_json, "replays"), info.recording_id, links) +
            "</section>\n";
    body += "<section><h2>Events</h2>" + event_table(recording.events, max_events) + "</section>\n";
    json data = {{"page", "recording"},
                 {"recording_id", info.recording_id},
                 {"symbols", info.symbols},
                 {"events_total", recording.events.size()},
                 {"events_shown", std::min(max_events, recording.events.size())},
                 {"charts", std::move(charts)}};
    return html_document(fmt::format("Recording {} ({})", info.recording_id, info.strategy_name), links, body,
                         dump_json(data));
}

namespace {

// ---------------------------------------------------------------------------------------------
// A replay against its original.

struct TradeTimes {
    std::string symbol;
    TimestampNs entry_ns = 0;
    TimestampNs exit_ns = 0;
    double pnl = 0.0;
    const json* trade = nullptr;
};

std::vector<TradeTimes> trade_times(const json& trades) {
    std::vector<TradeTimes> out;
    if (!trades.is_array()) return out;
    for (const json& trade : trades) {
        const auto entry = parse_iso8601(string_field(trade, "entry_time"));
        const auto exit = parse_iso8601(string_field(trade, "exit_time"));
        const auto pnl = number_field(trade, "pnl");
        if (!entry || !exit || !pnl) continue;  // an open or malformed trade has no place on the curve
        out.push_back({string_field(trade, "symbol"), *entry, *exit, *pnl, &trade});
    }
    return out;
}

struct Curve {
    std::vector<TimestampNs> time;
    std::vector<double> equity;
    std::vector<double> drawdown;

    // The realised equity just after `time` (0 before the first exit).
    double at(TimestampNs when) const {
        const auto it = std::upper_bound(time.begin(), time.end(), when);
        return it == time.begin() ? 0.0 : equity[static_cast<std::size_t>(it - time.begin()) - 1];
    }
};

// Cumulative realised P&L from 0 at `start`, one step per distinct exit time; drawdown is equity
// minus its running peak, the peak starting at 0 (no gain yet).
Curve realised_curve(std::vector<TradeTimes> trades, TimestampNs start) {
    std::stable_sort(trades.begin(), trades.end(),
                     [](const TradeTimes& a, const TradeTimes& b) { return a.exit_ns < b.exit_ns; });
    Curve curve;
    if (trades.empty()) return curve;
    curve.time.push_back(std::min(start, trades.front().exit_ns));
    curve.equity.push_back(0.0);
    double equity = 0.0;
    for (const TradeTimes& trade : trades) {
        equity += trade.pnl;
        if (curve.time.back() == trade.exit_ns && curve.time.size() > 1) {
            curve.equity.back() = equity;
        } else {
            curve.time.push_back(trade.exit_ns);
            curve.equity.push_back(equity);
        }
    }
    double peak = 0.0;
    for (const double value : curve.equity) {
        peak = std::max(peak, value);
        curve.drawdown.push_back(value - peak);
    }
    return curve;
}

// A curve of many trades is decimated like any long series (its steps' extremes all stay).
json curve_series(const char* name, const Curve& curve, const std::vector<double>& values, const char* colour) {
    json series = series_json(name, decimate_min_max(curve.time, values, kChartColumns), colour);
    series["step"] = true;
    return series;
}

// Trades one side has and the other lacks, matched by symbol and entry time (each match used once).
std::vector<const TradeTimes*> unmatched(const std::vector<TradeTimes>& mine, const std::vector<TradeTimes>& theirs) {
    std::map<std::pair<std::string, TimestampNs>, int> available;
    for (const TradeTimes& trade : theirs) ++available[{trade.symbol, trade.entry_ns}];
    std::vector<const TradeTimes*> out;
    for (const TradeTimes& trade : mine) {
        int& count = available[{trade.symbol, trade.entry_ns}];
        if (count > 0)
            --count;
        else
            out.push_back(&trade);
    }
    return out;
}

// Returns how many were left out to keep the chart within kMaxMarkersPerChart markers.
std::size_t add_markers(json& markers, const std::vector<const TradeTimes*>& trades, const Curve& curve,
                        const char* kind, const char* side) {
    std::size_t left_out = 0;
    for (const TradeTimes* trade : trades) {
        if (markers.size() >= kMaxMarkersPerChart) {
            ++left_out;
            continue;
        }
        markers.push_back(
            {{"x", epoch_ms(trade->exit_ns)},
             {"y", curve.at(trade->exit_ns)},
             {"kind", kind},
             {"label", fmt::format("only in the {}: {} {} entered {}, exited {}, pnl {}", side, trade->symbol,
                                   string_field(*trade->trade, "direction"), format_iso8601(trade->entry_ns),
                                   format_iso8601(trade->exit_ns), format_number(trade->pnl, 2))}});
    }
    return left_out;
}

// The metrics the page compares, in the order the table lists them.
constexpr Metric kComparedMetrics[] = {
    Metric::kTotalTrades, Metric::kWinningTrades,  Metric::kLosingTrades, Metric::kWinRate,      Metric::kTotalPnl,
    Metric::kMaxDrawdown, Metric::kMaxDrawdownPct, Metric::kSharpeRatio,  Metric::kSortinoRatio, Metric::kProfitFactor};

// The original's metrics from its realised trades (winning: pnl > 0, as the engine counts).
std::map<std::string, double> metrics_from_trades(const std::vector<TradeTimes>& trades, const Curve& curve,
                                                  std::optional<double> initial_capital) {
    double wins = 0, gross_profit = 0, gross_loss = 0, total = 0;
    for (const TradeTimes& trade : trades) {
        total += trade.pnl;
        if (trade.pnl > 0) {
            ++wins;
            gross_profit += trade.pnl;
        } else {
            gross_loss -= trade.pnl;
        }
    }
    const double count = static_cast<double>(trades.size());
    std::map<std::string, double> out = {
        {"total_trades", count},
        {"winning_trades", wins},
        {"losing_trades", count - wins},
        {"win_rate", count > 0 ? wins / count * 100.0 : 0.0},
        {"total_pnl", total},
        {"profit_factor", gross_loss > 0     ? gross_profit / gross_loss
                          : gross_profit > 0 ? kInfinity
                                             : 0.0},
    };
    double max_drawdown = 0.0, max_drawdown_pct = 0.0, peak = 0.0;
    for (std::size_t i = 0; i < curve.equity.size(); ++i) {
        peak = std::max(peak, curve.equity[i]);
        max_drawdown = std::max(max_drawdown, -curve.drawdown[i]);
        if (initial_capital && *initial_capital + peak > 0)
            max_drawdown_pct = std::max(max_drawdown_pct, -curve.drawdown[i] / (*initial_capital + peak) * 100.0);
    }
    out["max_drawdown"] = max_drawdown;
    if (initial_capital) out["max_drawdown_pct"] = max_drawdown_pct;
    return out;
}

// profit_factor is written null when there was no loss (JSON has no infinity).
std::optional<double> replay_metric(const json& replay, Metric metric) {
    const json& value = field(replay, std::string(metric_name(metric)).c_str());
    if (value.is_number()) return value.get<double>();
    if (value.is_null() && metric == Metric::kProfitFactor && number_field(replay, "gross_profit").value_or(0) > 0)
        return kInfinity;
    return std::nullopt;
}

struct MetricValue {
    std::optional<double> value;
    bool from_trades = false;
};

MetricValue original_metric(const json& info, Metric metric, const std::map<std::string, double>& computed) {
    const std::string name(metric_name(metric));
    // The recording's own figures first: they are the session's, not a reconstruction.
    const char* info_key = metric == Metric::kTotalTrades ? "original_trades"
                           : metric == Metric::kTotalPnl  ? "original_pnl"
                           : metric == Metric::kWinRate   ? "original_win_rate"
                                                          : nullptr;
    if (info_key && number_field(info, info_key)) return {number_field(info, info_key), false};
    if (const auto value = number_field(info, ("original_" + name).c_str())) return {value, false};
    const auto it = computed.find(name);
    if (it != computed.end()) return {it->second, true};
    return {};
}

std::string metrics_table(const json& info, const json& replay, const std::map<std::string, double>& computed,
                          json& data) {
    std::string out =
        "<table>" + std::string(header_row({"metric", "original", "replay", "replay − original"})) + "<tbody>";
    for (const Metric metric : kComparedMetrics) {
        const std::string name(metric_name(metric));
        const int decimals = is_count(metric) ? 0 : 2;
        const MetricValue original = original_metric(info, metric, computed);
        const std::optional<double> replayed = replay_metric(replay, metric);
        out +=
            "<tr><th>" + escape_html(name) + (original.from_trades ? " <span class=\"muted\">†</span>" : "") + "</th>";
        out += number_cell(original.value, decimals) + number_cell(replayed, decimals);
        std::optional<double> difference;
        if (original.value && replayed && std::isfinite(*original.value) && std::isfinite(*replayed))
            difference = *replayed - *original.value;
        // More trades is neither good nor bad; every other difference is coloured by the metric's direction.
        const Tint tint = metric == Metric::kTotalTrades ? Tint::kNone
                          : higher_is_better(metric)     ? Tint::kHigherIsBetter
                                                         : Tint::kLowerIsBetter;
        out += number_cell(difference, decimals, tint) + "</tr>";
        data["original"][name] = original.value && std::isfinite(*original.value) ? json(*original.value) : json();
        data["replay"][name] = replayed && std::isfinite(*replayed) ? json(*replayed) : json();
    }
    out +=
        "</tbody></table><p class=\"note\">† computed from the recorded trades (realised P&amp;L; the replay's "
        "drawdowns follow the equity bar by bar, so they can be deeper). Sharpe and Sortino ratios need the "
        "bar-by-bar equity, which the recording does not keep.</p>";
    return out;
}

std::string comparison_table(const json& comparison) {
    if (!comparison.is_object()) return "<p class=\"note\">The replay holds no comparison.</p>";
    std::string out = "<table class=\"kv\"><tbody>";
    for (const char* key : {"trades_diff", "pnl_diff", "win_rate_diff", "original_trades", "replay_trades",
                            "original_pnl", "replay_pnl", "original_win_rate", "replay_win_rate"}) {
        out += "<tr><th>" + std::string(key) + "</th>" +
               json_number_cell(field(comparison, key), 2,
                                std::string_view(key) == "pnl_diff" || std::string_view(key) == "win_rate_diff"
                                    ? Tint::kHigherIsBetter
                                    : Tint::kNone) +
               "</tr>";
    }
    for (const char* group : {"trades", "signals"}) {
        const json& counts = field(comparison, group);
        out += fmt::format(
            "<tr><th>{}</th>{}</tr>", group,
            text_cell(fmt::format("same {}, changed {}, only in the original {}, only in the replay {}",
                                  json_text(field(counts, "same")), json_text(field(counts, "changed")),
                                  json_text(field(counts, "only_original")), json_text(field(counts, "only_replay")))));
    }
    return out + "</tbody></table>";
}

std::string parameters_table(const json& replay) {
    const json& modified = field(replay, "modified_parameters");
    if (!modified.is_object() || modified.empty()) return "<p class=\"note\">No parameter was modified.</p>";
    std::string out = "<table>" + std::string(header_row({"parameter", "original", "replay"})) + "<tbody>";
    const json& original = field(replay, "original_parameters");
    for (const auto& [name, value] : modified.items())
        out += "<tr>" + text_cell(name) + text_cell(json_text(field(original, name.c_str()))) +
               text_cell(json_text(value)) + "</tr>";
    return out + "</tbody></table>";
}

constexpr std::size_t kMaxDifferenceRows = 5000;

std::string differences_table(const json& differences) {
    if (!differences.is_array() || differences.empty()) return "<p class=\"note\">No trade differs.</p>";
    std::string out = "<div class=\"scroll\"><table class=\"sortable\">";
    out += header_row({"status", "symbol", "entry_time", "changed_fields", "original direction", "original exit_time",
                       "original pnl", "replay direction", "replay exit_time", "replay pnl"});
    out += "<tbody>";
    std::size_t shown = 0;
    for (const json& difference : differences) {
        if (shown++ == kMaxDifferenceRows) break;
        out += "<tr>" + text_cell(string_field(difference, "status")) + text_cell(string_field(difference, "symbol")) +
               text_cell(string_field(difference, "entry_time"));
        const json& changed = field(difference, "changed_fields");
        out += text_cell(changed.is_null() ? "" : json_text(changed));
        for (const char* side : {"original", "replay"}) {
            const json& trade = field(difference, side);
            out += text_cell(string_field(trade, "direction")) + text_cell(string_field(trade, "exit_time")) +
                   json_number_cell(field(trade, "pnl"), 2, Tint::kHigherIsBetter);
        }
        out += "</tr>";
    }
    out += "</tbody></table></div>";
    if (differences.size() > kMaxDifferenceRows)
        out += fmt::format("<p class=\"note\">The first {} of {} differences shown.</p>", kMaxDifferenceRows,
                           differences.size());
    return out;
}

}  // namespace

std::string replay_page(const json& info_json, const json& replay, const json& original_trades,
                        const PageLinks& links) {
    const std::vector<TradeTimes> original = trade_times(original_trades);
    const std::vector<TradeTimes> replayed = trade_times(field(replay, "positions"));
    // Both curves start together, at the first entry of either side.
    TimestampNs start = std::numeric_limits<TimestampNs>::max();
    for (const auto* trades : {&original, &replayed})
        for (const TradeTimes& trade : *trades) start = std::min(start, trade.entry_ns);
    const Curve original_curve = realised_curve(original, start);
    const Curve replay_curve = realised_curve(replayed, start);

    json markers = json::array();
    std::size_t markers_left_out =
        add_markers(markers, unmatched(original, replayed), original_curve, "only-original", "original");
    markers_left_out += add_markers(markers, unmatched(replayed, original), replay_curve, "only-replay", "replay");
    json charts = json::array();
    charts.push_back({{"type", "line"},
                      {"target", "equity"},
                      {"title", "realised equity"},
                      {"yLabel", "cumulative P&L"},
                      {"series",
                       {curve_series("original", original_curve, original_curve.equity, "#7f7f7f"),
                        curve_series("replay", replay_curve, replay_curve.equity, "#1f77b4")}},
                      {"markers", std::move(markers)}});
    charts.push_back({{"type", "line"},
                      {"target", "drawdown"},
                      {"title", "drawdown"},
                      {"yLabel", "drawdown"},
                      {"series",
                       {curve_series("original", original_curve, original_curve.drawdown, "#7f7f7f"),
                        curve_series("replay", replay_curve, replay_curve.drawdown, "#d62728")}}});

    // The initial capital turns the drawdown into a percentage of the peak equity.
    std::optional<double> capital = number_field(field(info_json, "original_parameters"), "initial_capital");
    if (!capital) capital = number_field(field(replay, "original_parameters"), "initial_capital");
    json metrics = {{"original", json::object()}, {"replay", json::object()}};
    const std::string table =
        metrics_table(info_json, replay, metrics_from_trades(original, original_curve, capital), metrics);

    const std::string recording_id = string_field(replay, "recording_id");
    const std::string replay_id = string_field(replay, "replay_id");
    std::string body = "<section><p>Recording " + maybe_link(links, recording_link(recording_id), recording_id) +
                       ", strategy " + escape_html(string_field(replay, "strategy_name")) + ", created " +
                       escape_html(string_field(replay, "created_at")) + ".</p>";
    if (!string_field(replay, "description").empty())
        body += "<p>" + escape_html(string_field(replay, "description")) + "</p>";
    body +=
        "</section>\n<section><h2>Equity</h2><p class=\"note\">Cumulative realised P&amp;L, stepping at each "
        "exit; trades only one side has are marked at their exit";
    if (markers_left_out > 0)
        body += fmt::format(" (the first {}; {} more left out)", kMaxMarkersPerChart, markers_left_out);
    body +=
        ".</p><div class=\"chart-box\" id=\"equity\"></div><h2>Drawdown</h2><div class=\"chart-box\" "
        "id=\"drawdown\"></div></section>\n";
    body += "<section><h2>Metrics</h2>" + table + "</section>\n";
    body += "<section><h2>Comparison</h2>" + comparison_table(field(replay, "comparison")) + "</section>\n";
    body += "<section><h2>Modified parameters</h2>" + parameters_table(replay) + "</section>\n";
    body += "<section><h2>Trade differences</h2>" +
            differences_table(field(field(field(replay, "comparison"), "trades"), "differences")) + "</section>\n";
    json data = {{"page", "replay"},
                 {"replay_id", replay_id},
                 {"recording_id", recording_id},
                 {"charts", std::move(charts)},
                 {"metrics", std::move(metrics)}};
    return html_document(fmt::format("Replay {} of {}", replay_id.empty() ? "(unsaved)" : replay_id, recording_id),
                         links, body, dump_json(data));
}

namespace {

// ---------------------------------------------------------------------------------------------
// A sweep.

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
