// The recording page: each symbol's close with its signals, entries and exits, its indicators,
// the recording's metadata and replays, and its first events.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/core/bars.h"
#include "engine/core/event.h"
#include "engine/core/recording.h"
#include "engine/core/timestamp.h"
#include "engine/dashboard/dashboard_pages.h"
#include "engine/dashboard/decimate.h"
#include "engine/dashboard/page_document.h"

namespace tapegrid {

using nlohmann::json;
using namespace page;  // the parts every page shares (page_document.h), used throughout

namespace {

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
// Whether an indicator lives on the price's scale (moving averages, bands, stops): its median
// ratio to the close lies within [0.8, 1.25]. Those are drawn over the price; the others (RSI,
// ATR, z-scores) on a chart of their own, where the price's scale would flatten them. (An RSI
// of a stock priced near 50 would pass for a price; the chart is still right, only shared.)
bool on_price_scale(const std::vector<double>& values, const std::vector<double>& close) {
    std::vector<double> ratios;
    for (std::size_t i = 0; i < values.size() && i < close.size(); ++i)
        if (!std::isnan(values[i]) && close[i] > 0) ratios.push_back(values[i] / close[i]);
    if (ratios.empty()) return false;
    const auto middle = ratios.begin() + static_cast<std::ptrdiff_t>(ratios.size() / 2);
    std::nth_element(ratios.begin(), middle, ratios.end());
    return *middle >= 0.8 && *middle <= 1.25;
}

std::string symbol_charts(const Recording& recording, json& charts) {
    const std::vector<SymbolMarkers> markers = recording_markers(recording);
    std::string body;
    for (std::size_t s = 0; s < recording.bars.size(); ++s) {
        const SymbolBars& bars = recording.bars[s];
        const std::span<const std::int64_t> time(bars.timestamp_ns);
        const std::string price_id = fmt::format("price-{}", s), indicators_id = fmt::format("indicators-{}", s);
        body += "<section><h2>" + escape_html(bars.symbol) + "</h2>";
        body += fmt::format(
            "<p class=\"note\">{} bars; the close (and the indicators on its scale) drawn with the lowest and highest "
            "point per column",
            bars.size());
        if (markers[s].left_out > 0)
            body += fmt::format("; the first {} signals, entries and exits marked, {} more left out",
                                markers[s].markers.size(), markers[s].left_out);
        body += ".</p><div class=\"chart-box\" id=\"" + price_id + "\"></div>";
        json price_series = json::array({series_json("close", decimate_min_max(time, bars.close, kChartColumns))});
        json indicator_series = json::array();
        for (const IndicatorColumn& column : bars.indicators) {
            if (all_nan(column.values)) continue;
            json series = series_json(column.name, decimate_min_max(time, column.values, kChartColumns));
            (on_price_scale(column.values, bars.close) ? price_series : indicator_series).push_back(std::move(series));
        }
        charts.push_back({{"type", "line"},
                          {"target", price_id},
                          {"title", bars.symbol + " close"},
                          {"yLabel", "price"},
                          {"series", std::move(price_series)},
                          {"markers", markers[s].markers}});
        if (indicator_series.empty()) {
            body += "<p class=\"note\">No indicators off the price's scale recorded.</p>";
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

}  // namespace tapegrid
