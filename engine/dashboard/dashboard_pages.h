// The dashboard's pages: whole, self-contained HTML documents for recordings, replays and sweeps.
//
// Every page inlines its style sheet and script (chart_script.h) and embeds its data as JSON in
// <script type="application/json" id="page-data">, with "</" written "<\/" and "<!--" written
// "<\u0021--" so that no recorded text can end the script element; every text put into the HTML
// is escaped. No page refers to anything outside itself: it opens from disk with no network.
// Long series are cut down with decimate_min_max to about kChartColumns columns, so a page of a
// million bars is small and quick to open.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/core/recording.h"
#include "engine/core/results_table.h"

namespace tapegrid {

// How many columns a chart's series is decimated to (twice as many points at most).
inline constexpr std::size_t kChartColumns = 1200;

// How pages link to each other.
struct PageLinks {
    // true: links to the server's pages (the recordings at /, /recordings/{id},
    // /recordings/{id}/replays/{replay_id}); false: a report file, no links between pages.
    bool served = false;
};

// The store's recordings as a sortable table: recording_id, instance_id, strategy_name, status,
// start, end, bars, events, original_trades, original_pnl, original_win_rate. `recordings`: an
// array of recording objects with the original API's fields (io/json/recording_info_json.h).
// `sweeps`: the server's sweeps (GET /api/v1/sweeps's "sweeps"), listed below with their state
// and progress, each linked to its page once it has results.
std::string recordings_page(const nlohmann::json& recordings, const PageLinks& links,
                            const nlohmann::json& sweeps = nlohmann::json::array());

// One recording: per symbol, the close (decimated) with its recorded signals, entries and exits
// marked at their time and price (event_data's entry_price / exit_price, else the bar's close);
// the recorded indicators per symbol; the metadata (`info_json`: the original API's recording
// object) and its replays (info_json["replays"], linked when served); and the first
// `max_events` events as a table. A symbol's chart draws at most kMaxMarkersPerChart markers
// (the page says how many it left out).
inline constexpr std::size_t kMaxMarkersPerChart = 6000;
std::string recording_page(const Recording& recording, const nlohmann::json& info_json, const PageLinks& links,
                           std::size_t max_events = 2000);

// A replay against its original: both realised equity curves (cumulative P&L stepping at each
// exit time; trades closing at the same time make one step), both drawdown curves (equity minus
// its running peak, the peak starting at 0), the trades only one side has marked on the equity
// chart (matched by symbol and entry time), the metrics side by side, the comparison, the
// modified parameters and the trade differences. `replay`: a stored replay's JSON
// (io/json/replay_json.h); `original_trades`: the recorded session's trades, as trade JSON.
// The original's metrics come from `info_json` (original_trades, original_pnl,
// original_win_rate, or original_<metric> where present); the rest are computed from
// `original_trades` on realised P&L, and the per-bar ratios (Sharpe, Sortino), which trades
// alone cannot give, are shown only when info_json has them.
std::string replay_page(const nlohmann::json& info_json, const nlohmann::json& replay,
                        const nlohmann::json& original_trades, const PageLinks& links);

// A sweep: a heatmap of any two parameters against any metric (chosen on the page; the other
// parameters best-of, "best" by the metric's direction in engine/core/metric_names.h, or fixed at
// chosen values, by default the top row's), a metric's distribution over the grid, and the top
// table (top_json["top"]). `plan_json`, `top_json`: a sweep directory's plan.json and top.json.
//
// The table is embedded column by column: each parameter as its distinct values (sorted numbers,
// or text in order of appearance) and one small code per row, each metric with 6 significant
// digits (enough to colour a cell or fill a bin; the top table keeps top.json's full values).
// At most `max_rows` rows are embedded. When the table holds more, the page says so, and the
// best-of heatmaps of every pair of parameters (up to kMaxExactHeatmapCells cells each) and each
// metric's histogram are computed here over every row, so they stay exact; only the heatmaps at
// fixed values are then drawn from the embedded rows.
inline constexpr std::size_t kMaxExactHeatmapCells = 10000;
// The rows of results.csv a sweep page is made from (about 0.5 GB for 2,000,000 rows of 28
// columns while the page is made); a bigger sweep's page is drawn from its first rows and says so.
inline constexpr std::size_t kSweepPageRowsRead = 2'000'000;
std::string sweep_page(const nlohmann::json& plan_json, const nlohmann::json& top_json, const ResultsTable& results,
                       const PageLinks& links, std::size_t max_rows = 200000);

// The API's description (/docs): every path of the OpenAPI `document`, its methods,
// parameters, request bodies and answers, as one self-contained page.
std::string api_docs_page(const nlohmann::json& document);

}  // namespace tapegrid
