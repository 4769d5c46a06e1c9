// `tapegrid serve`: the original system's recordings API over HTTP, against a real server.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <regex>
#include <thread>

#include "tests/e2e/serve_fixture.h"

namespace tapegrid::testing {
namespace {

namespace fs = std::filesystem;

class ServeApi : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        store_ = new TemporaryDirectory();
        first_ = record_into_store(store_->file("store"), 1, "morning", 7);
        second_ = record_into_store(store_->file("store"), 2, "evening", 8);
        server_ = new ServeProcess(store_->file("store"));
    }
    static void TearDownTestSuite() {
        delete server_;
        delete store_;
    }
    static std::unique_ptr<httplib::Client> client() { return server_->client(); }

    static TemporaryDirectory* store_;
    static ServeProcess* server_;
    static std::string first_, second_;
};
TemporaryDirectory* ServeApi::store_ = nullptr;
ServeProcess* ServeApi::server_ = nullptr;
std::string ServeApi::first_, ServeApi::second_;

TEST_F(ServeApi, ListsRecordingsWithTheOriginalFieldsAndFilters) {
    const auto all = answer_json(client()->Get("/api/v1/recordings/"), 200);
    EXPECT_EQ(all["success"], true);
    ASSERT_EQ(all["count"], 2);
    for (const auto& recording : all["recordings"])
        for (const char* field :
             {"recording_id", "instance_id", "strategy_name", "status", "recording_start_time", "recording_end_time",
              "total_bars_recorded", "total_events_recorded", "original_trades", "original_pnl", "original_win_rate"})
            EXPECT_TRUE(recording.contains(field)) << field;
    EXPECT_EQ(answer_json(client()->Get("/api/v1/recordings"), 200)["count"], 2);  // without the slash too

    const auto instance = answer_json(client()->Get("/api/v1/recordings/?instance_id=1"), 200);
    ASSERT_EQ(instance["count"], 1);
    EXPECT_EQ(instance["recordings"][0]["recording_id"], first_);
    EXPECT_EQ(answer_json(client()->Get("/api/v1/recordings/?status=completed"), 200)["count"], 2);
    EXPECT_EQ(answer_json(client()->Get("/api/v1/recordings/?status=failed"), 200)["count"], 0);
    EXPECT_EQ(answer_json(client()->Get("/api/v1/recordings/?strategy=mean_reversion&tag=evening"),
                          200)["recordings"][0]["recording_id"],
              second_);
    const auto page = answer_json(client()->Get("/api/v1/recordings/?limit=1&offset=1"), 200);
    EXPECT_EQ(page["count"], 1);
    EXPECT_EQ(page["total"], 2);

    for (const char* bad :
         {"/api/v1/recordings/?instance_id=one", "/api/v1/recordings/?status=done", "/api/v1/recordings/?limit=0",
          "/api/v1/recordings/?limit=-5", "/api/v1/recordings/?instanceid=1"}) {
        const auto error = answer_json(client()->Get(bad), 400);
        EXPECT_EQ(error["success"], false) << bad;
        EXPECT_FALSE(error["error"].get<std::string>().empty()) << bad;
    }
}

// A client written from the original system's API reference alone works unchanged.
TEST_F(ServeApi, AClientWrittenForTheOriginalWorksUnchanged) {
    const CommandResult client =
        run_command(fmt::format("python3 {}/tests/e2e/original_api_client.py http://127.0.0.1:{} {} 1",
                                TAPEGRID_SOURCE_DIR, server_->port(), first_));
    EXPECT_EQ(client.exit_code, 0) << client.out << client.err;
    EXPECT_NE(client.out.find("every documented request answered as documented"), std::string::npos);
}

TEST_F(ServeApi, ARecordingsDetailsHaveItsParametersEventCountsAndReplays) {
    const auto detail = answer_json(client()->Get("/api/v1/recordings/" + first_), 200);
    const auto& recording = detail["recording"];
    EXPECT_EQ(recording["recording_id"], first_);
    EXPECT_EQ(recording["instance_id"], 1);
    EXPECT_TRUE(recording["original_parameters"].is_object());
    EXPECT_TRUE(recording["original_parameters"].contains("rsi_threshold"));
    EXPECT_GT(recording["event_counts"]["SIGNAL_DETECTED"].get<int>(), 0);
    EXPECT_EQ(recording["event_counts"]["POSITION_OPENED"], recording["original_trades"]);
    EXPECT_TRUE(recording["replays"].is_array());
    // The CLI's answer is the same document (less the file's path, which the API does not show).
    const auto shown = nlohmann::json::parse(
        run_tapegrid("recordings show " + first_ + " --store " + store_->file("store") + " --json").out);
    nlohmann::json cli = shown["recording"];
    cli.erase("path");
    cli.erase("replays");
    nlohmann::json api = recording;
    api.erase("replays");
    EXPECT_EQ(api, cli);
    // A unique prefix of 8 characters or more names it as well.
    EXPECT_EQ(answer_json(client()->Get("/api/v1/recordings/" + first_.substr(0, 8)), 200)["recording"]["recording_id"],
              first_);
    EXPECT_EQ(answer_json(client()->Get("/api/v1/recordings/00000000-0000-4000-8000-000000000000"), 404)["success"],
              false);
}

TEST_F(ServeApi, EventsAndMarketDataComeInPagesWithTheirTotals) {
    const auto signals =
        answer_json(client()->Get("/api/v1/recordings/" + first_ + "/events?event_type=SIGNAL_DETECTED&limit=5"), 200);
    const auto counts = answer_json(client()->Get("/api/v1/recordings/" + first_), 200)["recording"]["event_counts"];
    EXPECT_EQ(signals["total"], counts["SIGNAL_DETECTED"]);
    ASSERT_EQ(signals["count"], 5);
    for (const auto& event : signals["events"]) {
        EXPECT_EQ(event["event_type"], "SIGNAL_DETECTED");
        EXPECT_TRUE(event["decision_metadata"].is_object());
        EXPECT_TRUE(event["event_data"].is_object());
        EXPECT_TRUE(event["market_state"].is_object());
    }
    const auto later = answer_json(
        client()->Get("/api/v1/recordings/" + first_ + "/events?event_type=SIGNAL_DETECTED&limit=5&offset=5"), 200);
    EXPECT_GT(later["events"][0]["sequence"].get<long long>(), signals["events"][4]["sequence"].get<long long>());

    const auto bars =
        answer_json(client()->Get("/api/v1/recordings/" + first_ + "/market-data?symbol=SYN00&limit=3"), 200);
    EXPECT_EQ(bars["total"], 1500);
    ASSERT_EQ(bars["count"], 3);
    for (const char* field : {"symbol", "timestamp", "open", "high", "low", "close", "volume", "indicators"})
        EXPECT_TRUE(bars["market_data"][0].contains(field)) << field;
    const std::string from = bars["market_data"][1]["timestamp"], to = bars["market_data"][2]["timestamp"];
    const auto window = answer_json(
        client()->Get("/api/v1/recordings/" + first_ + "/market-data?symbol=SYN00&from=" + from + "&to=" + to), 200);
    EXPECT_EQ(window["total"], 2);
    EXPECT_EQ(
        answer_json(client()->Get("/api/v1/recordings/" + first_ + "/market-data?from=yesterday"), 400)["success"],
        false);
    EXPECT_EQ(answer_json(client()->Get("/api/v1/recordings/" + first_ + "/events?limit=100000"), 400)["success"],
              false);
}

TEST_F(ServeApi, AReplayIsRunStoredComparedAndFoundAgain) {
    const std::string body =
        R"({"modified_parameters": {"rsi_threshold": 25, "bb_std": 2.0}, "description": "Testing lower RSI threshold"})";
    const auto replay =
        answer_json(client()->Post("/api/v1/recordings/" + second_ + "/replay", body, "application/json"), 200);
    EXPECT_EQ(replay["success"], true);
    EXPECT_EQ(replay["recording_id"], second_);
    const std::string replay_id = replay["replay_id"];
    for (const char* field :
         {"total_trades", "total_pnl", "win_rate", "winning_trades", "losing_trades", "max_drawdown",
          "max_drawdown_pct", "sharpe_ratio", "sortino_ratio", "profit_factor", "positions"})
        EXPECT_TRUE(replay.contains(field)) << field;
    for (const char* field : {"trades_diff", "pnl_diff", "win_rate_diff", "original_trades", "trades"})
        EXPECT_TRUE(replay["comparison"].contains(field)) << field;

    // The same replay from the command line gives the same figures.
    const auto cli = nlohmann::json::parse(run_tapegrid("replay " + second_ + " --store " + store_->file("store") +
                                                        " --set rsi_threshold=25 --set bb_std=2.0 --json")
                                               .out);
    for (const char* field : {"total_trades", "total_pnl", "win_rate", "sharpe_ratio", "max_drawdown"})
        EXPECT_EQ(replay[field], cli[field]) << field;
    EXPECT_EQ(replay["comparison"]["trades_diff"], cli["comparison"]["trades_diff"]);

    const auto listed = answer_json(client()->Get("/api/v1/recordings/" + second_ + "/replays"), 200);
    ASSERT_GE(listed["count"].get<int>(), 1);
    bool found = false;
    for (const auto& summary : listed["replays"]) found = found || summary["replay_id"] == replay_id;
    EXPECT_TRUE(found);
    const auto by_id = answer_json(client()->Get("/api/v1/replays/" + replay_id), 200);
    EXPECT_EQ(by_id["total_pnl"], replay["total_pnl"]);
    EXPECT_EQ(by_id["description"], "Testing lower RSI threshold");
    EXPECT_EQ(answer_json(client()->Get("/api/v1/recordings/replays/" + replay_id), 200), by_id);
    const auto detail = answer_json(client()->Get("/api/v1/recordings/" + second_), 200);
    EXPECT_FALSE(detail["recording"]["replays"].empty());
    EXPECT_EQ(answer_json(client()->Get("/api/v1/replays/not-a-replay"), 404)["success"], false);
}

TEST_F(ServeApi, AClientsMistakesAreAnsweredWithTheirCodes) {
    const std::string path = "/api/v1/recordings/" + first_ + "/replay";
    auto c = client();
    EXPECT_EQ(answer_json(c->Post(path, "{not json", "application/json"), 400)["success"], false);
    EXPECT_EQ(answer_json(c->Post(path, "[1, 2]", "application/json"), 400)["success"], false);
    EXPECT_EQ(answer_json(c->Post(path, R"({"modified_params": {}})", "application/json"), 400)["success"], false);
    const auto unknown =
        answer_json(c->Post(path, R"({"modified_parameters": {"no_such": 1}})", "application/json"), 422);
    EXPECT_NE(unknown["error"].get<std::string>().find("no_such"), std::string::npos);
    EXPECT_EQ(answer_json(c->Post(path, R"({"modified_parameters": {"rsi_threshold": -400}})", "application/json"),
                          422)["success"],
              false);
    EXPECT_EQ(answer_json(c->Post(path, R"({"modified_parameters": {"rsi_threshold": [1]}})", "application/json"),
                          422)["success"],
              false);
    // Larger than --max-body (1 MiB by default): refused before it is read.
    const std::string huge = R"({"description": ")" + std::string(2 << 20, 'x') + R"("})";
    EXPECT_EQ(answer_json(c->Post(path, huge, "application/json"), 413)["success"], false);
    // No such route, and no such method on a route.
    EXPECT_EQ(answer_json(c->Get("/api/v1/nothing"), 404)["error"], "no such route");
    EXPECT_EQ(c->Put("/api/v1/recordings/", "{}", "application/json")->status / 100, 4);
    // The server is still there.
    EXPECT_EQ(answer_json(c->Get("/api/v1/recordings/"), 200)["success"], true);
}

TEST_F(ServeApi, AnIdOnlyNamesARecordingInsideTheStore) {
    // Files outside the store that a path would reach.
    write_text(store_->file("secret.h5"), "not for clients");
    for (const std::string& id : std::vector<std::string>{
             "..%2Fsecret", "%2E%2E%2Fsecret.h5", "..", "%2Fetc%2Fpasswd", "%2Fetc", "abc%00def", "%00", "a%2Fb",
             first_ + "%00", first_ + "%2F..%2F..%2Fsecret", "....%2F....%2F", std::string(200, 'a')}) {
        for (const char* suffix : {"", "/events", "/market-data", "/replays"}) {
            const auto result = client()->Get("/api/v1/recordings/" + id + suffix);
            ASSERT_TRUE(result) << id;
            EXPECT_EQ(result->status, 404) << id << suffix << ": " << result->body;
            EXPECT_EQ(nlohmann::json::parse(result->body)["success"], false) << id;
        }
        const auto deleted = client()->Delete("/api/v1/recordings/" + id);
        EXPECT_EQ(deleted->status, 404) << id;
    }
    EXPECT_TRUE(fs::exists(store_->file("secret.h5")));
}

TEST_F(ServeApi, TheActiveRecordingIsReadWhileItsRecorderWritesIt) {
    EXPECT_EQ(answer_json(client()->Get("/api/v1/recordings/instances/7/active-recording"), 200)["recording"], nullptr);
    EXPECT_EQ(answer_json(client()->Get("/api/v1/recordings/instances/seven/active-recording"), 400)["success"], false);
    // A recorder paced slowly enough to be caught writing: a bar per millisecond of its clock.
    TemporaryDirectory logs;
    ChildProcess recorder(
        {tapegrid_binary(), "record", "--strategy", "mean_reversion", "--synthetic", "--symbols", "1", "--bars",
         "100000", "--speed", "60000", "--instance", "7", "--flush-ms", "100", "--store", store_->file("store")},
        logs.file("out"), logs.file("err"));
    nlohmann::json active;
    for (int i = 0; i < 600 && active.is_null(); ++i) {
        active = answer_json(client()->Get("/api/v1/recordings/instances/7/active-recording"), 200)["recording"];
        if (active.is_null()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_FALSE(active.is_null()) << read_text(logs.file("err"));
    EXPECT_EQ(active["instance_id"], 7);
    EXPECT_EQ(active["status"], "recording");
    EXPECT_EQ(active["pid"], recorder.pid());
    EXPECT_FALSE(active.contains("path"));
    // Listed as recording, and refused for what needs it finished.
    const std::string id = active["recording_id"];
    EXPECT_EQ(answer_json(client()->Get("/api/v1/recordings/" + id), 200)["recording"]["status"], "recording");
    EXPECT_EQ(answer_json(client()->Delete("/api/v1/recordings/" + id), 409)["success"], false);
    EXPECT_EQ(recorder.stop(SIGINT), 130) << read_text(logs.file("err"));  // stopped by Ctrl-C
    EXPECT_EQ(answer_json(client()->Get("/api/v1/recordings/instances/7/active-recording"), 200)["recording"], nullptr);
    EXPECT_EQ(answer_json(client()->Get("/api/v1/recordings/" + id), 200)["recording"]["status"], "interrupted");
    EXPECT_EQ(answer_json(client()->Delete("/api/v1/recordings/" + id), 200)["success"], true);
}

TEST_F(ServeApi, ADeleteDuringConcurrentReadsAndReplaysTearsNothing) {
    const std::string doomed = record_into_store(store_->file("store"), 3, "doomed", 9);
    std::atomic<bool> deleted{false};
    std::atomic<int> ok{0}, gone{0}, other{0};
    std::mutex seen_mutex;
    std::string seen;  // the first unexpected answers
    const auto unexpected = [&](const std::string& what) {
        ++other;
        const std::lock_guard lock(seen_mutex);
        if (seen.size() < 2000) seen += what + "\n";
    };
    std::vector<std::thread> readers;
    for (int t = 0; t < 6; ++t) {
        readers.emplace_back([&, t] {
            auto c = server_->client();
            for (int i = 0; i < 400 && !(deleted && i > 20); ++i) {
                const std::string path = t % 3 == 0   ? "/api/v1/recordings/" + doomed + "/events?limit=50"
                                         : t % 3 == 1 ? "/api/v1/recordings/" + doomed + "/market-data?limit=50"
                                                      : "/api/v1/recordings/" + doomed;
                const auto result = c->Get(path);
                if (!result) {
                    unexpected(path + ": no answer: " + httplib::to_string(result.error()));
                    continue;
                }
                const auto body = nlohmann::json::parse(result->body, nullptr, false);
                if (result->status == 200 && body["success"] == true)
                    ++ok;
                else if (result->status == 404 && body["success"] == false)
                    ++gone;
                else
                    unexpected(path + ": " + std::to_string(result->status) + " " + result->body.substr(0, 300));
            }
        });
    }
    std::thread replayer([&] {
        auto c = server_->client();
        for (int i = 0; i < 3; ++i) {
            const auto result = c->Post("/api/v1/recordings/" + doomed + "/replay",
                                        R"({"modified_parameters": {"bb_std": 1.5}})", "application/json");
            if (!result)
                unexpected("replay: no answer");
            else if (result->status != 200 && result->status != 404)
                unexpected("replay: " + std::to_string(result->status) + " " + result->body.substr(0, 300));
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(answer_json(client()->Delete("/api/v1/recordings/" + doomed), 200)["deleted"][0], doomed);
    deleted = true;
    for (auto& reader : readers) reader.join();
    replayer.join();
    EXPECT_EQ(other, 0) << "ok " << ok << ", gone " << gone << "\n" << seen;
    EXPECT_GT(ok, 0);
    EXPECT_GT(gone, 0);
    EXPECT_EQ(answer_json(client()->Get("/api/v1/recordings/" + doomed), 404)["success"], false);
    EXPECT_EQ(answer_json(client()->Get("/api/v1/recordings/" + first_), 200)["success"], true);
    EXPECT_EQ(server_->process().running(), true);
}

// Every route /openapi.json documents is served, and nothing else is.
TEST_F(ServeApi, EveryDocumentedRouteIsServedAndOnlyThose) {
    const auto document = answer_json(client()->Get("/openapi.json"), 200);
    EXPECT_EQ(document["openapi"].get<std::string>().substr(0, 4), "3.0.");
    const std::regex parameter("\\{[a-z_]+\\}");
    std::size_t operations = 0;
    for (const auto& [path, methods] : document["paths"].items()) {
        // Ids no resource has: a documented route answers for itself (its own 404 or 4xx says what
        // is missing); only an undocumented one answers "no such route".
        const std::string concrete = std::regex_replace(path, parameter, "0000000000");
        for (const auto& [method, operation] : methods.items()) {
            ++operations;
            httplib::Result result = method == "get"    ? client()->Get(concrete)
                                     : method == "post" ? client()->Post(concrete, "{}", "application/json")
                                                        : client()->Delete(concrete);
            ASSERT_TRUE(result) << method << ' ' << path;
            EXPECT_LT(result->status, 500) << method << ' ' << path;
            if (result->get_header_value("Content-Type") == "application/json") {
                EXPECT_NE(nlohmann::json::parse(result->body).value("error", ""), "no such route")
                    << method << ' ' << path;
            }
            EXPECT_TRUE(operation.contains("responses")) << path;
        }
    }
    EXPECT_GE(operations, 21u);
    for (const char* original :
         {"/api/v1/recordings/", "/api/v1/recordings/{recording_id}", "/api/v1/recordings/{recording_id}/events",
          "/api/v1/recordings/{recording_id}/market-data",
          "/api/v1/recordings/instances/{instance_id}/active-recording", "/api/v1/recordings/{recording_id}/replay",
          "/api/v1/recordings/{recording_id}/replays", "/api/v1/replays/{replay_id}",
          "/api/v1/recordings/replays/{replay_id}"})
        EXPECT_TRUE(document["paths"].contains(original)) << original;
    const auto docs = client()->Get("/docs");
    ASSERT_TRUE(docs);
    EXPECT_EQ(docs->status, 200);
    for (const auto& [path, methods] : document["paths"].items())
        EXPECT_NE(docs->body.find(path), std::string::npos) << path;
}

TEST_F(ServeApi, TheDashboardPagesAreServed) {
    const std::string replay_id =
        answer_json(client()->Post("/api/v1/recordings/" + first_ + "/replay",
                                   R"({"modified_parameters": {"stop_loss_pct": 0.5}})", "application/json"),
                    200)["replay_id"];
    for (const std::string& page :
         std::vector<std::string>{"/", "/recordings/" + first_, "/recordings/" + first_ + "/replays/" + replay_id}) {
        const auto result = client()->Get(page);
        ASSERT_TRUE(result) << page;
        EXPECT_EQ(result->status, 200) << page << ": " << result->body.substr(0, 300);
        EXPECT_EQ(result->get_header_value("Content-Type"), "text/html; charset=utf-8");
        EXPECT_NE(result->body.find("id=\"page-data\""), std::string::npos) << page;
        EXPECT_EQ(result->body.find("https://"), std::string::npos) << page;
    }
    EXPECT_NE(client()->Get("/")->body.find(first_), std::string::npos);
    // A browser offers brotli first; the answer comes gzipped (the library's brotli takes seconds
    // a page; engine/server/api_server.cpp).
    const auto compressed = client()->Get("/recordings/" + first_, {{"Accept-Encoding", "gzip, deflate, br, zstd"}});
    ASSERT_TRUE(compressed);
    EXPECT_EQ(compressed->get_header_value("Content-Encoding"), "gzip");
    EXPECT_NE(compressed->body.find("id=\"page-data\""), std::string::npos);  // decompressed by the client
    EXPECT_EQ(client()->Get("/recordings/nothing-here")->status, 404);
}

}  // namespace
}  // namespace tapegrid::testing
