// Pins the dashboard's pages (engine/dashboard/dashboard_pages.h): each is one self-contained
// document whose embedded data holds the expected values and that recorded text cannot break out of.
#include "engine/dashboard/dashboard_pages.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/core/event.h"
#include "engine/core/timestamp.h"

namespace tapegrid {
namespace {

using nlohmann::json;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kHostile = "</script><script>alert(1)</script><!--";

// The page's embedded data, parsed back.
json page_data(const std::string& html) {
    const std::string open = "<script type=\"application/json\" id=\"page-data\">";
    const std::size_t begin = html.find(open);
    EXPECT_NE(begin, std::string::npos);
    const std::size_t end = html.find("</script>", begin);
    std::string text = html.substr(begin + open.size(), end - begin - open.size());
    for (std::size_t at = 0; (at = text.find("<\\/", at)) != std::string::npos;) text.replace(at, 3, "</");
    return json::parse(text);
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
    std::size_t count = 0;
    for (std::size_t at = 0; (at = text.find(needle, at)) != std::string::npos; at += needle.size()) ++count;
    return count;
}

// One whole document, nothing fetched from anywhere, and only the page's own two scripts.
void expect_self_contained(const std::string& html) {
    EXPECT_EQ(html.rfind("<!doctype html>", 0), 0u);
    EXPECT_EQ(occurrences(html, "<html"), 1u);
    EXPECT_EQ(occurrences(html, "</html>"), 1u);
    EXPECT_EQ(occurrences(html, "<meta charset=\"utf-8\">"), 1u);
    EXPECT_EQ(occurrences(html, "<title>"), 1u);
    EXPECT_EQ(occurrences(html, "http://"), 0u);
    EXPECT_EQ(occurrences(html, "https://"), 0u);
    EXPECT_EQ(occurrences(html, "//cdn"), 0u);
    EXPECT_EQ(occurrences(html, "</script>"), 2u);
    EXPECT_EQ(occurrences(html, "<!--"), 0u);
    EXPECT_EQ(occurrences(html, "</script><script>alert"), 0u);
}

constexpr TimestampNs kDay0 = 1'704'153'600'000'000'000;  // 2024-01-02T00:00:00Z
constexpr std::int64_t kDay0Ms = 1'704'153'600'000;
constexpr TimestampNs kMinute = kNsPerMinute;

json recording_json(const std::string& id, const std::string& strategy) {
    return {{"recording_id", id},
            {"instance_id", 7},
            {"strategy_name", strategy},
            {"status", "completed"},
            {"recording_start_time", "2024-01-02T00:00:00Z"},
            {"recording_end_time", nullptr},
            {"total_bars_recorded", 5},
            {"total_events_recorded", 4},
            {"original_trades", 3},
            {"original_pnl", -20.0},
            {"original_win_rate", 66.67},
            {"tags", {"demo"}},
            {"symbols", {"AAPL"}}};
}

TEST(RecordingsPage, ListsTheServersSweepsLinkingThoseWithResults) {
    const json sweeps = {{{"sweep_id", "aaaa-finished"},
                          {"state", "finished"},
                          {"plan", {{"strategy", "breakout"}, {"combinations", 48}}},
                          {"progress", {{"fraction", 1.0}}}},
                         {{"sweep_id", "bbbb-running"},
                          {"state", "running"},
                          {"plan", {{"strategy", "breakout"}, {"combinations", 96}}},
                          {"progress", {{"fraction", 0.25}}}}};
    const std::string html = recordings_page(json::array(), PageLinks{.served = true}, sweeps);
    EXPECT_NE(html.find("<h2>Sweeps</h2>"), std::string::npos);
    EXPECT_NE(html.find("href=\"/sweeps/aaaa-finished\""), std::string::npos);
    EXPECT_EQ(html.find("href=\"/sweeps/bbbb-running\""), std::string::npos);  // no results yet
    EXPECT_NE(html.find("bbbb-running"), std::string::npos);
    EXPECT_NE(html.find(">25.0<"), std::string::npos);  // its progress, in percent
    EXPECT_EQ(recordings_page(json::array(), PageLinks{}).find("<h2>Sweeps</h2>"), std::string::npos);
}

TEST(RecordingsPage, ListsEveryRecordingAndLinksOnlyWhenServed) {
    const json recordings = {recording_json("11111111-1111-4111-8111-111111111111", "mean_reversion"),
                             recording_json("22222222-2222-4222-8222-222222222222", kHostile)};
    const std::string served = recordings_page(recordings, PageLinks{.served = true});
    expect_self_contained(served);
    EXPECT_NE(served.find("<a href=\"/recordings/11111111-1111-4111-8111-111111111111\">"), std::string::npos);
    EXPECT_NE(served.find("<nav><a href=\"/\">Recordings</a></nav>"), std::string::npos);  // the server's root
    EXPECT_NE(served.find("&lt;/script&gt;&lt;script&gt;alert(1)"), std::string::npos);
    EXPECT_NE(served.find("<table class=\"sortable\">"), std::string::npos);
    const json data = page_data(served);
    EXPECT_EQ(data["count"], 2);
    EXPECT_EQ(data["recordings"][1]["strategy_name"], kHostile);

    const std::string report = recordings_page(recordings, PageLinks{});
    expect_self_contained(report);
    EXPECT_EQ(occurrences(report, "<a href"), 0u);
}

// One symbol of 5 one-minute bars (closes 100..104) with an indicator, an all-NaN indicator
// and the events of one trade; the last POSITION_OPENED has no price in its event_data.
Recording small_recording(const std::string& symbol) {
    Recording recording;
    recording.info.recording_id = "33333333-3333-4333-8333-333333333333";
    recording.info.strategy_name = "mean_reversion";
    recording.info.symbols = {symbol};
    SymbolBars bars;
    bars.symbol = symbol;
    for (int i = 0; i < 5; ++i) {
        bars.timestamp_ns.push_back(kDay0 + i * kMinute);
        for (auto* column : {&bars.open, &bars.high, &bars.low, &bars.close}) column->push_back(100.0 + i);
        bars.volume.push_back(1000);
        bars.sequence.push_back(i);
    }
    bars.indicators.push_back({"sma_3", {kNaN, kNaN, 101, 102, 103}});
    bars.indicators.push_back({"rsi_2", {kNaN, 20, 25, 30, 35}});
    bars.indicators.push_back({"empty", {kNaN, kNaN, kNaN, kNaN, kNaN}});
    recording.bars.push_back(bars);
    const auto event = [&](std::int64_t sequence, TimestampNs time, std::string_view type, std::string data) {
        recording.events.push_back({sequence, time, std::string(type), symbol, std::move(data), "{}", "{}"});
    };
    event(10, kDay0 + 1 * kMinute, event_type::kSignalDetected, R"({"signal_type":"LONG","entry_price":101.0})");
    event(11, kDay0 + 1 * kMinute, event_type::kPositionOpened, R"({"entry_price":101.25,"direction":"LONG"})");
    event(12, kDay0 + 3 * kMinute, event_type::kPositionClosed, R"({"exit_price":103.5,"pnl":22.5})");
    event(13, kDay0 + 4 * kMinute + 30 * kNsPerSecond, event_type::kPositionOpened, "{}");
    event(14, kDay0 + 4 * kMinute, "SCAN_CYCLE", std::string(R"({"note":")") + "</script><script>alert(1)" + "\"}");
    return recording;
}

TEST(RecordingPage, MarksSignalsEntriesAndExitsAtTheirPrice) {
    const Recording recording = small_recording("AAPL");
    json info = recording_json(recording.info.recording_id, "mean_reversion");
    info["replays"] = {{{"replay_id", "44444444-4444-4444-8444-444444444444"},
                        {"created_at", "2024-01-03T00:00:00Z"},
                        {"description", "wider bands"},
                        {"modified_parameters", {{"bb_std", 2.5}}},
                        {"total_trades", 2},
                        {"total_pnl", 60.0},
                        {"win_rate", 50.0},
                        {"trades_diff", -1},
                        {"pnl_diff", 80.0}}};
    const std::string html = recording_page(recording, info, PageLinks{.served = true}, 3);
    expect_self_contained(html);
    const json data = page_data(html);
    // The close with the indicator on its scale (sma_3: its median ratio to the close is about 1),
    // and rsi_2 (a ratio of about 0.25) on a chart of its own; the empty one is left out.
    ASSERT_EQ(data["charts"].size(), 2u);
    const json& price = data["charts"][0];
    EXPECT_EQ(price["target"], "price-0");
    EXPECT_EQ(price["series"][0]["x"], (std::vector<std::int64_t>{kDay0Ms, kDay0Ms + 60'000, kDay0Ms + 120'000,
                                                                  kDay0Ms + 180'000, kDay0Ms + 240'000}));
    EXPECT_EQ(price["series"][0]["y"], (std::vector<double>{100, 101, 102, 103, 104}));
    const json& markers = price["markers"];
    ASSERT_EQ(markers.size(), 4u);
    EXPECT_EQ(markers[0]["kind"], "signal");
    EXPECT_EQ(markers[0]["y"], 101.0);
    EXPECT_EQ(markers[1]["kind"], "entry");
    EXPECT_EQ(markers[1]["y"], 101.25);
    EXPECT_EQ(markers[2]["kind"], "exit");
    EXPECT_EQ(markers[2]["x"], kDay0Ms + 180'000);
    EXPECT_EQ(markers[2]["y"], 103.5);
    // No price recorded: the close of the last bar at or before 00:04:30, the 00:04 bar's.
    EXPECT_EQ(markers[3]["y"], 104.0);
    ASSERT_EQ(price["series"].size(), 2u);
    EXPECT_EQ(price["series"][1]["name"], "sma_3");
    EXPECT_EQ(price["series"][1]["y"], (std::vector<double>{101, 102, 103}));
    ASSERT_EQ(data["charts"][1]["series"].size(), 1u);
    EXPECT_EQ(data["charts"][1]["series"][0]["name"], "rsi_2");
    EXPECT_EQ(data["charts"][1]["series"][0]["y"], (std::vector<double>{20, 25, 30, 35}));
    EXPECT_EQ(data["events_shown"], 3);
    EXPECT_NE(html.find("the first 3 shown, 2 left out"), std::string::npos);
    EXPECT_NE(html.find("href=\"/recordings/33333333-3333-4333-8333-333333333333/replays/"
                        "44444444-4444-4444-8444-444444444444\""),
              std::string::npos);
}

TEST(RecordingPage, RecordedTextCannotEndTheScript) {
    const Recording recording = small_recording(kHostile);
    json info = recording_json(recording.info.recording_id, "mean_reversion");
    info["description"] = kHostile;
    info["tags"] = {kHostile};
    const std::string html = recording_page(recording, info, PageLinks{});
    expect_self_contained(html);
    const json data = page_data(html);
    EXPECT_EQ(data["symbols"][0], kHostile);  // the text survives, escaped, in the data
    EXPECT_NE(html.find("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--"), std::string::npos);
}

TEST(RecordingPage, MillionBarsOpenQuicklyAndSmall) {
    Recording recording;
    recording.info.recording_id = "55555555-5555-4555-8555-555555555555";
    SymbolBars bars;
    bars.symbol = "SPY";
    const std::size_t n = 1'000'000;
    bars.reserve(n);
    IndicatorColumn sma{"sma_20", std::vector<double>(n)}, rsi{"rsi_14", std::vector<double>(n)};
    for (std::size_t i = 0; i < n; ++i) {
        const double close = 100.0 + 10.0 * std::sin(static_cast<double>(i) * 1e-4) + static_cast<double>(i % 7) * 0.01;
        bars.timestamp_ns.push_back(kDay0 + static_cast<TimestampNs>(i) * kMinute);
        bars.open.push_back(close);
        bars.high.push_back(close + 0.1);
        bars.low.push_back(close - 0.1);
        bars.close.push_back(close);
        bars.volume.push_back(100);
        bars.sequence.push_back(static_cast<std::int64_t>(i));
        sma.values[i] = close - 0.5;
        rsi.values[i] = 50.0 + 20.0 * std::cos(static_cast<double>(i) * 1e-3);
    }
    bars.indicators = {sma, rsi};
    recording.bars.push_back(std::move(bars));
    for (std::size_t t = 0; t < 2000; ++t) {
        const TimestampNs time = kDay0 + static_cast<TimestampNs>(t * 400) * kMinute;
        recording.events.push_back({static_cast<std::int64_t>(2 * t), time, std::string(event_type::kPositionOpened),
                                    "SPY", R"({"entry_price":100.5})", "{}", "{}"});
        recording.events.push_back({static_cast<std::int64_t>(2 * t + 1), time + 200 * kMinute,
                                    std::string(event_type::kPositionClosed), "SPY", R"({"exit_price":101.5})", "{}",
                                    "{}"});
    }
    const json info = recording_json(recording.info.recording_id, "mean_reversion");
    const auto start = std::chrono::steady_clock::now();
    const std::string html = recording_page(recording, info, PageLinks{});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
#ifdef TAPEGRID_SANITIZED
    EXPECT_LT(seconds, 10.0);
#else
    EXPECT_LT(seconds, 1.0);
#endif
    EXPECT_LT(html.size(), 3'000'000u);
    const json data = page_data(html);
    EXPECT_LE(data["charts"][0]["series"][0]["x"].size(), 2 * kChartColumns + 2);
    EXPECT_EQ(data["charts"][0]["markers"].size(), 4000u);
    EXPECT_EQ(data["charts"][0]["series"].size(), 2u);  // the close and sma_20, over it
    EXPECT_EQ(data["charts"][1]["series"].size(), 1u);  // rsi_14 alone
}

// ---------------------------------------------------------------------------------------------

json trade(const std::string& symbol, const std::string& entry, const std::string& exit, double pnl) {
    return {{"symbol", symbol},     {"direction", "LONG"},    {"entry_time", entry}, {"exit_time", exit},
            {"entry_price", 100.0}, {"exit_price", 101.0},    {"quantity", 10.0},    {"pnl", pnl},
            {"pnl_pct", 1.0},       {"exit_reason", "signal"}};
}

// The original: +100 (exits 10:00), -150 (11:00), +30 (12:00). The replay keeps the first
// trade and adds one of -40 exiting at 13:00.
struct ReplayFixture {
    json info = recording_json("66666666-6666-4666-8666-666666666666", "mean_reversion");
    json original = json::array({trade("AAPL", "2024-01-02T09:30:00Z", "2024-01-02T10:00:00Z", 100.0),
                                 trade("AAPL", "2024-01-02T10:30:00Z", "2024-01-02T11:00:00Z", -150.0),
                                 trade("MSFT", "2024-01-02T11:30:00Z", "2024-01-02T12:00:00Z", 30.0)});
    json replay;

    ReplayFixture() {
        info["original_parameters"] = {{"initial_capital", 10000.0}, {"bb_std", 2.0}};
        replay = {{"replay_id", "77777777-7777-4777-8777-777777777777"},
                  {"recording_id", "66666666-6666-4666-8666-666666666666"},
                  {"strategy_name", "mean_reversion"},
                  {"created_at", "2024-01-03T00:00:00Z"},
                  {"description", kHostile},
                  {"original_parameters", {{"bb_std", 2.0}}},
                  {"modified_parameters", {{"bb_std", 2.5}}},
                  {"total_trades", 2},
                  {"winning_trades", 1},
                  {"losing_trades", 1},
                  {"win_rate", 50.0},
                  {"total_pnl", 60.0},
                  {"max_drawdown", 45.0},
                  {"max_drawdown_pct", 0.44},
                  {"sharpe_ratio", 1.2},
                  {"sortino_ratio", 1.8},
                  {"profit_factor", 2.5},
                  {"positions",
                   {trade("AAPL", "2024-01-02T09:30:00Z", "2024-01-02T10:00:00Z", 100.0),
                    trade(kHostile, "2024-01-02T12:30:00Z", "2024-01-02T13:00:00Z", -40.0)}},
                  {"comparison",
                   {{"trades_diff", -1},
                    {"pnl_diff", 80.0},
                    {"win_rate_diff", -16.67},
                    {"trades",
                     {{"same", 1},
                      {"changed", 0},
                      {"only_original", 2},
                      {"only_replay", 1},
                      {"differences",
                       {{{"status", "only_replay"},
                         {"symbol", kHostile},
                         {"entry_time", "2024-01-02T12:30:00Z"},
                         {"replay", trade(kHostile, "2024-01-02T12:30:00Z", "2024-01-02T13:00:00Z", -40.0)}}}}}}}}};
    }
};

constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kNineThirtyMs = kDay0Ms + 9 * kHourMs + kHourMs / 2;

TEST(ReplayPage, EquityAndDrawdownStepAtEachExit) {
    const ReplayFixture fixture;
    const std::string html = replay_page(fixture.info, fixture.replay, fixture.original, PageLinks{.served = true});
    expect_self_contained(html);
    const json data = page_data(html);
    const json& equity = data["charts"][0];
    // Both curves start at 0 at the first entry of either side (09:30).
    EXPECT_EQ(equity["series"][0]["name"], "original");
    EXPECT_EQ(equity["series"][0]["x"], (std::vector<std::int64_t>{kNineThirtyMs, kDay0Ms + 10 * kHourMs,
                                                                   kDay0Ms + 11 * kHourMs, kDay0Ms + 12 * kHourMs}));
    EXPECT_EQ(equity["series"][0]["y"], (std::vector<double>{0, 100, -50, -20}));
    EXPECT_EQ(equity["series"][1]["x"],
              (std::vector<std::int64_t>{kNineThirtyMs, kDay0Ms + 10 * kHourMs, kDay0Ms + 13 * kHourMs}));
    EXPECT_EQ(equity["series"][1]["y"], (std::vector<double>{0, 100, 60}));
    // Drawdown: equity minus its running peak (100 after the first trade).
    const json& drawdown = data["charts"][1];
    EXPECT_EQ(drawdown["series"][0]["y"], (std::vector<double>{0, 0, -150, -120}));
    EXPECT_EQ(drawdown["series"][1]["y"], (std::vector<double>{0, 0, -40}));

    // The original's 11:00 and 12:00 trades are not in the replay; the replay's 13:00 one is new.
    const json& markers = equity["markers"];
    ASSERT_EQ(markers.size(), 3u);
    EXPECT_EQ(markers[0]["kind"], "only-original");
    EXPECT_EQ(markers[0]["x"], kDay0Ms + 11 * kHourMs);
    EXPECT_EQ(markers[0]["y"], -50.0);
    EXPECT_EQ(markers[1]["y"], -20.0);
    EXPECT_EQ(markers[2]["kind"], "only-replay");
    EXPECT_EQ(markers[2]["y"], 60.0);
    EXPECT_NE(html.find("href=\"/recordings/66666666-6666-4666-8666-666666666666\""), std::string::npos);
}

TEST(ReplayPage, OriginalMetricsComeFromTheRecordingThenItsTrades) {
    const ReplayFixture fixture;
    const json data = page_data(replay_page(fixture.info, fixture.replay, fixture.original, PageLinks{}));
    const json& original = data["metrics"]["original"];
    EXPECT_EQ(original["total_trades"], 3.0);  // original_trades
    EXPECT_EQ(original["total_pnl"], -20.0);   // original_pnl
    EXPECT_EQ(original["win_rate"], 66.67);    // original_win_rate
    EXPECT_EQ(original["winning_trades"], 2.0);
    EXPECT_EQ(original["losing_trades"], 1.0);
    EXPECT_EQ(original["max_drawdown"], 150.0);
    // 150 below a peak equity of 10,000 + 100.
    EXPECT_NEAR(original["max_drawdown_pct"].get<double>(), 150.0 / 10100.0 * 100.0, 1e-12);
    EXPECT_NEAR(original["profit_factor"].get<double>(), 130.0 / 150.0, 1e-12);
    EXPECT_TRUE(original["sharpe_ratio"].is_null());
    EXPECT_EQ(data["metrics"]["replay"]["total_pnl"], 60.0);
    EXPECT_EQ(data["metrics"]["replay"]["sharpe_ratio"], 1.2);
}

TEST(ReplayPage, NoTradesDrawsEmptyCurves) {
    json replay = ReplayFixture().replay;
    replay["positions"] = json::array();
    const std::string html = replay_page(json::object(), replay, json::array(), PageLinks{});
    expect_self_contained(html);
    const json data = page_data(html);
    EXPECT_TRUE(data["charts"][0]["series"][0]["x"].empty());
}

// ---------------------------------------------------------------------------------------------

// 6 rows: a in {1, 2}, mode in {x, y, hostile text}, fixed always 5; total_pnl = 10a + row,
// max_drawdown = row.
ResultsTable small_results() {
    ResultsTable table;
    table.names = {"combination", "a", "mode", "fixed", "total_pnl", "max_drawdown"};
    table.is_parameter = {false, true, true, true, false, false};
    table.rows = 6;
    table.numeric = {{0, 1, 2, 3, 4, 5}, {1, 2, 1, 2, 1, 2},       {},
                     {5, 5, 5, 5, 5, 5}, {10, 21, 12, 23, 14, 25}, {0, 1, 2, 3, 4, 5}};
    table.text = {{}, {}, {"x", "x", "y", "y", kHostile, kHostile}, {}, {}, {}};
    return table;
}

const json* column(const json& sweep, const std::string& name) {
    for (const json& c : sweep["columns"])
        if (c["name"] == name) return &c;
    return nullptr;
}

TEST(SweepPage, EmbedsColumnsAsLevelsAndCodes) {
    const json plan = {{"name", "demo"}, {"strategy", "mean_reversion"}, {"combinations", 6}};
    const json top = {{"rank_by", {{{"by", "total_pnl"}, {"order", "descending"}}}},
                      {"top",
                       {{{"rank", 1},
                         {"combination", 5},
                         {"parameters", {{"a", 2}, {"mode", kHostile}, {"fixed", 5}}},
                         {"total_pnl", 25.0},
                         {"max_drawdown", 5.0}}}}};
    const std::string html = sweep_page(plan, top, small_results(), PageLinks{});
    expect_self_contained(html);
    const json sweep = page_data(html)["sweep"];
    EXPECT_EQ(sweep["rows_embedded"], 6);
    EXPECT_FALSE(sweep["rows_cut"].get<bool>());
    EXPECT_EQ((*column(sweep, "a"))["levels"], (std::vector<double>{1, 2}));
    EXPECT_EQ((*column(sweep, "a"))["codes"], (std::vector<int>{0, 1, 0, 1, 0, 1}));
    EXPECT_EQ((*column(sweep, "mode"))["levels"], (std::vector<std::string>{"x", "y", kHostile}));
    EXPECT_EQ((*column(sweep, "mode"))["codes"], (std::vector<int>{0, 0, 1, 1, 2, 2}));
    EXPECT_EQ((*column(sweep, "total_pnl"))["role"], "metric");
    EXPECT_EQ((*column(sweep, "total_pnl"))["values"], (std::vector<double>{10, 21, 12, 23, 14, 25}));
    EXPECT_EQ(sweep["default_x"], "a");
    EXPECT_EQ(sweep["default_y"], "mode");
    EXPECT_EQ(sweep["default_metric"], "total_pnl");
    // The top row's values: a = 2 (level 1), mode = the hostile text (level 2), columns 1 and 2.
    EXPECT_EQ(sweep["default_fixed"]["1"], 1);
    EXPECT_EQ(sweep["default_fixed"]["2"], 2);
    EXPECT_TRUE(sweep["exact_best"].is_null());
    EXPECT_NE(html.find("<table class=\"sortable\">"), std::string::npos);
}

TEST(SweepPage, CutTableKeepsBestOfHeatmapsAndHistogramsExact) {
    const std::string html = sweep_page(json::object(), json::object(), small_results(), PageLinks{}, 2);
    expect_self_contained(html);
    const json sweep = page_data(html)["sweep"];
    EXPECT_TRUE(sweep["rows_cut"].get<bool>());
    EXPECT_EQ((*column(sweep, "a"))["codes"].size(), 2u);
    EXPECT_NE(html.find("embeds the first 2 of the 6 rows"), std::string::npos);
    // The pair (a, mode) of columns 1 and 2: rows [mode x, y, z] by columns [a = 1, 2], over all six rows.
    // "fixed" takes one value, so it pairs with nothing.
    ASSERT_EQ(sweep["exact_best"].size(), 1u);
    const json& pair = sweep["exact_best"]["1,2"];
    EXPECT_EQ(pair["total_pnl"], (std::vector<std::vector<double>>{{10, 21}, {12, 23}, {14, 25}}));
    EXPECT_EQ(pair["max_drawdown"], (std::vector<std::vector<double>>{{0, 1}, {2, 3}, {4, 5}}));
    const json& histogram = sweep["exact_histograms"]["total_pnl"];
    EXPECT_EQ(histogram["min"], 10.0);
    EXPECT_EQ(histogram["max"], 25.0);
    std::size_t total = 0;
    for (const auto& count : histogram["counts"]) total += count.get<std::size_t>();
    EXPECT_EQ(total, 6u);
}

}  // namespace
}  // namespace tapegrid
