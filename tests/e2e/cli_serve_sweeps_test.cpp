// `tapegrid serve`: sweeps as jobs over HTTP, against a real server: submit, watch, page through the
// results, cancel, queue, and a server stopped mid-sweep whose successor resumes it.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "tests/e2e/serve_fixture.h"

namespace tapegrid::testing {
namespace {

namespace fs = std::filesystem;

#if TAPEGRID_SANITIZED
constexpr int kLongBars = 6000;  // the sanitizers' slowdown makes a short sweep long enough
#else
constexpr int kLongBars = 400000;  // about 3 s of sweep on 2 cores: long enough to stop mid-way on a faster machine
#endif

// A market of `bars` bars per symbol written into the store; its recording id.
std::string generate_into_store(const std::string& store, int symbols, int bars, int seed) {
    fs::create_directories(store);
    const CommandResult generated = run_tapegrid(
        fmt::format("generate --symbols {} --bars {} --seed {} --store {} --json", symbols, bars, seed, store));
    EXPECT_EQ(generated.exit_code, 0) << generated.err;
    return nlohmann::json::parse(generated.out).at("recording_id").get<std::string>();
}

std::string small_config(const std::string& recording) {
    return fmt::format(R"([sweep]
name = "small"
recordings = ["{}"]
strategy = "mean_reversion"

[grid]
bb_period = [10, 20]
bb_std = [1.5, 2.0, 2.5]
rsi_threshold = [25, 35]

[rank]
by = "sharpe_ratio"
top = 5
)",
                       recording);
}

// 5 x 2 x 4 x 4 x 3 x 4 = 1,920 combinations over kLongBars bars per symbol.
std::string long_config(const std::string& recording) {
    return fmt::format(R"([sweep]
name = "long"
recordings = ["{}"]
strategy = "mean_reversion"

[grid]
bb_period = [10, 15, 20, 25, 30]
rsi_period = [7, 14]
bb_std = [1.5, 2.0, 2.5, 3.0]
rsi_threshold = [20, 25, 30, 35]
stop_loss_pct = [0.5, 1, 2]
take_profit_pct = [0.5, 1, 2, 4]

[rank]
by = "sharpe_ratio"
)",
                       recording);
}

// Polls the sweep until its state is one of `states`; its last description.
nlohmann::json wait_for(httplib::Client& client, const std::string& id, std::initializer_list<const char*> states,
                        int seconds = 300) {
    nlohmann::json sweep;
    for (int i = 0; i < seconds * 20; ++i) {
        sweep = answer_json(client.Get("/api/v1/sweeps/" + id), 200)["sweep"];
        for (const char* state : states)
            if (sweep["state"] == state) return sweep;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "sweep " << id << " stayed " << sweep.dump();
    return sweep;
}

// The same config run by `tapegrid sweep` into `out`; its results.csv.
std::string cli_results(const std::string& config_text, const std::string& store, const TemporaryDirectory& scratch) {
    write_text(scratch.file("config.toml"), config_text);
    const CommandResult run = run_tapegrid("sweep " + scratch.file("config.toml") + " --store " + store +
                                           " --threads 2 --quiet --out " + scratch.file("cli-out"));
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return read_text(scratch.file("cli-out/results.csv"));
}

TEST(ServeSweeps, ASweepRunsAsAJobAndItsResultsComeSorted) {
    TemporaryDirectory scratch;
    const std::string store = scratch.file("store");
    const std::string recording = generate_into_store(store, 2, 3000, 5);
    ServeProcess server(store);
    auto client = server.client();
    const auto submitted =
        answer_json(client->Post("/api/v1/sweeps", small_config(recording), "application/toml"), 202);
    const std::string id = submitted["sweep_id"];
    const auto done = wait_for(*client, id, {"finished", "failed"});
    ASSERT_EQ(done["state"], "finished") << done.dump();
    EXPECT_EQ(done["plan"]["combinations"], 12);
    EXPECT_EQ(done["progress"]["rows_done"], 12);
    EXPECT_EQ(done["progress"]["fraction"], 1.0);
    EXPECT_GT(done["bar_evaluations_per_second"].get<double>(), 0);

    const auto sorted = answer_json(client->Get("/api/v1/sweeps/" + id + "/results?sort=sharpe_ratio&order=desc"), 200);
    EXPECT_EQ(sorted["total"], 12);
    ASSERT_EQ(sorted["count"], 12);
    for (std::size_t k = 1; k < 12; ++k)
        EXPECT_GE(sorted["results"][k - 1]["sharpe_ratio"].get<double>(),
                  sorted["results"][k]["sharpe_ratio"].get<double>());
    const auto page = answer_json(client->Get("/api/v1/sweeps/" + id + "/results?limit=5&offset=10"), 200);
    ASSERT_EQ(page["count"], 2);
    EXPECT_EQ(page["results"][0]["combination"], 10);
    EXPECT_EQ(answer_json(client->Get("/api/v1/sweeps/" + id + "/results?sort=nothing"), 400)["success"], false);
    EXPECT_EQ(answer_json(client->Get("/api/v1/sweeps/" + id + "/results?order=up"), 400)["success"], false);

    // What ran on the server is what `tapegrid sweep` writes, byte for byte.
    EXPECT_EQ(read_text(store + "/sweeps/" + id + "/out/results.csv"),
              cli_results(small_config(recording), store, scratch));

    // The same config as JSON gives the same rows.
    const std::string json_config =
        nlohmann::json{{"sweep", {{"name", "small"}, {"recordings", {recording}}, {"strategy", "mean_reversion"}}},
                       {"grid", {{"bb_period", {10, 20}}, {"bb_std", {1.5, 2.0, 2.5}}, {"rsi_threshold", {25, 35}}}},
                       {"rank", {{"by", "sharpe_ratio"}, {"top", 5}}}}
            .dump();
    const std::string json_id =
        answer_json(client->Post("/api/v1/sweeps", json_config, "application/json"), 202)["sweep_id"];
    ASSERT_EQ(wait_for(*client, json_id, {"finished", "failed"})["state"], "finished");
    EXPECT_EQ(read_text(store + "/sweeps/" + json_id + "/out/results.csv"),
              read_text(store + "/sweeps/" + id + "/out/results.csv"));
    // As curl's --data-binary sends it (form-urlencoded, which the library also parses into
    // parameters): still the TOML text of the body.
    const std::string form_id = answer_json(
        client->Post("/api/v1/sweeps", small_config(recording), "application/x-www-form-urlencoded"), 202)["sweep_id"];
    ASSERT_EQ(wait_for(*client, form_id, {"finished", "failed"})["state"], "finished");
    const auto listed = answer_json(client->Get("/api/v1/sweeps"), 200);
    EXPECT_EQ(listed["count"], 3);
    EXPECT_EQ(listed["sweeps"][0]["sweep_id"], form_id);  // newest first
    const auto page_html = client->Get("/sweeps/" + id);
    EXPECT_EQ(page_html->status, 200);
    EXPECT_NE(page_html->body.find("id=\"page-data\""), std::string::npos);
}

TEST(ServeSweeps, ABadConfigIsRefusedBeforeItQueues) {
    TemporaryDirectory scratch;
    const std::string store = scratch.file("store");
    const std::string recording = generate_into_store(store, 1, 500, 5);
    write_text(scratch.file("outside.h5"), "x");
    ServeProcess server(store);
    auto client = server.client();
    const auto unknown = answer_json(
        client->Post("/api/v1/sweeps", small_config(recording) + "\n[grid2]\nx = 1\n", "application/toml"), 422);
    EXPECT_NE(unknown["error"].get<std::string>().find("grid2"), std::string::npos) << unknown.dump();
    std::string wrong_strategy = small_config(recording);
    wrong_strategy.replace(wrong_strategy.find("mean_reversion"), 14, "no_strategy");
    EXPECT_EQ(answer_json(client->Post("/api/v1/sweeps", wrong_strategy, "application/toml"), 422)["success"], false);
    std::string outside = small_config(recording);
    outside.replace(outside.find(recording), recording.size(), scratch.file("outside.h5"));
    EXPECT_EQ(answer_json(client->Post("/api/v1/sweeps", outside, "application/toml"), 422)["success"], false);
    EXPECT_EQ(answer_json(client->Post("/api/v1/sweeps", "{\"sweep\": ", "application/json"), 400)["success"], false);
    EXPECT_EQ(answer_json(client->Post("/api/v1/sweeps", "", "application/toml"), 400)["success"], false);
    EXPECT_EQ(answer_json(client->Post("/api/v1/sweeps", "[sweep\n", "application/toml"), 422)["success"], false);
    EXPECT_EQ(answer_json(client->Get("/api/v1/sweeps"), 200)["count"], 0);
    EXPECT_FALSE(fs::exists(store + "/sweeps") && !fs::is_empty(store + "/sweeps"));
    EXPECT_EQ(answer_json(client->Get("/api/v1/sweeps/nothing"), 404)["success"], false);
    EXPECT_EQ(answer_json(client->Delete("/api/v1/sweeps/nothing"), 404)["success"], false);
}

TEST(ServeSweeps, OneRunsTheOthersQueueAndACancelledOneResumesFromItsCheckpoint) {
    TemporaryDirectory scratch;
    const std::string store = scratch.file("store");
    const std::string big = generate_into_store(store, 2, kLongBars, 6);
    const std::string small = generate_into_store(store, 1, 800, 7);
    ServeProcess server(store);
    auto client = server.client();
    const std::string first =
        answer_json(client->Post("/api/v1/sweeps", long_config(big), "application/toml"), 202)["sweep_id"];
    const std::string second =
        answer_json(client->Post("/api/v1/sweeps", small_config(small), "application/toml"), 202)["sweep_id"];
    wait_for(*client, first, {"running"});
    const auto queued = answer_json(client->Get("/api/v1/sweeps/" + second), 200)["sweep"];
    EXPECT_EQ(queued["state"], "queued");
    EXPECT_EQ(queued["queue_position"], 0);
    EXPECT_EQ(answer_json(client->Get("/api/v1/sweeps/" + second + "/results"), 409)["success"], false);

    const auto cancelled = answer_json(client->Delete("/api/v1/sweeps/" + first), 200)["sweep"];
    EXPECT_EQ(cancelled["state"], "cancelled");
    EXPECT_TRUE(fs::exists(store + "/sweeps/" + first + "/out/checkpoint.bin"));
    EXPECT_EQ(answer_json(client->Delete("/api/v1/sweeps/" + first), 409)["success"], false);
    EXPECT_EQ(wait_for(*client, second, {"finished", "failed"})["state"], "finished");
    EXPECT_EQ(answer_json(client->Post("/api/v1/sweeps/" + second + "/resume", "", "application/json"), 409)["success"],
              false);  // finished: nothing to resume

    // Resumed, it carries on from its checkpoint to the rows one uninterrupted run writes.
    EXPECT_EQ(
        answer_json(client->Post("/api/v1/sweeps/" + first + "/resume", "", "application/json"), 202)["sweep"]["state"],
        "queued");
    const auto resumed = wait_for(*client, first, {"finished", "failed"});
    ASSERT_EQ(resumed["state"], "finished") << resumed.dump();
    // It carried on where the cancel stopped it (before its first task, or after some, as the
    // timing fell), to the bytes of one uninterrupted run.
    EXPECT_EQ(resumed["run"]["resumed_at_task"], cancelled["run"]["tasks"]) << cancelled.dump() << resumed.dump();
    EXPECT_TRUE(read_text(store + "/sweeps/" + first + "/out/results.csv") ==
                cli_results(long_config(big), store, scratch))
        << "the resumed sweep's results.csv differs from one uninterrupted run's";
    EXPECT_EQ(answer_json(client->Post("/api/v1/sweeps/nothing/resume", "", "application/json"), 404)["success"],
              false);
}

TEST(ServeSweeps, AServerStoppedMidSweepIsResumedByTheNextOne) {
    TemporaryDirectory scratch;
    const std::string store = scratch.file("store");
    const std::string recording = generate_into_store(store, 2, kLongBars, 8);
    std::string id;
    {
        ServeProcess server(store);
        auto client = server.client();
        id = answer_json(client->Post("/api/v1/sweeps", long_config(recording), "application/toml"), 202)["sweep_id"];
        nlohmann::json sweep = wait_for(*client, id, {"running"});
        for (int i = 0; i < 2000 && sweep["progress"]["rows_done"] == 0; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            sweep = answer_json(client->Get("/api/v1/sweeps/" + id), 200)["sweep"];
        }
        ASSERT_EQ(sweep["state"], "running") << "the sweep ended before the server could be stopped mid-way";
        EXPECT_EQ(server.process().stop(SIGTERM), 0) << server.log();
    }
    const auto saved = nlohmann::json::parse(read_text(store + "/sweeps/" + id + "/job.json"));
    EXPECT_EQ(saved["state"], "interrupted");
    ServeProcess successor(store);
    auto client = successor.client();
    const auto done = wait_for(*client, id, {"finished", "failed"});
    ASSERT_EQ(done["state"], "finished") << done.dump();
    EXPECT_GT(done["run"]["resumed_at_task"].get<int>() + done["run"]["rows"].get<int>(), 0);
    EXPECT_EQ(read_text(store + "/sweeps/" + id + "/out/results.csv"),
              cli_results(long_config(recording), store, scratch));
}

}  // namespace
}  // namespace tapegrid::testing
