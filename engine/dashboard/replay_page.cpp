// The replay page: a replay against its original, as equity and drawdown curves, metrics side by
// side, the comparison, the modified parameters and the trades that differ.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/metric_names.h"
#include "engine/core/timestamp.h"
#include "engine/dashboard/dashboard_pages.h"
#include "engine/dashboard/decimate.h"
#include "engine/dashboard/page_document.h"

namespace tapegrid {

using nlohmann::json;
using namespace page;  // the parts every page shares (page_document.h), used throughout

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

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

}  // namespace tapegrid
