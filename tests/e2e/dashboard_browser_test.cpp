// The dashboard in a real browser: headless Chromium (Debian's `chromium`) opens every page, served
// by `tapegrid serve` and written by `tapegrid report`, with every host but loopback unresolvable
// (a page that fetched anything would log the failure). Each page must log nothing to the console,
// and each chart must be drawn with its data (an <svg class="chart"> with data-points > 0 and a
// series path). Screenshots are kept in the build tree (tests/dashboard-screenshots/).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <thread>

#include "tests/e2e/serve_fixture.h"

namespace tapegrid::testing {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> chromium() {
    for (const char* candidate : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
        if (fs::exists(candidate)) return std::string(candidate);
    return std::nullopt;
}

struct Opened {
    std::string dom;
    std::string console;  // the lines Chromium logged from the page's console
};

// Opens `url` headless and returns the DOM after its scripts ran, and what its console said.
Opened open_page(const std::string& browser, const std::string& url, const TemporaryDirectory& scratch,
                 const std::string& name) {
    const std::string flags =
        "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-proxy-server --no-first-run "
        "--disable-extensions "
        "--disable-background-networking --host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1' "
        "--enable-logging=stderr --v=0 --user-data-dir=" +
        scratch.file("profile-" + name);
    const CommandResult dumped = run_command(
        fmt::format("timeout 120 {} {} --dump-dom '{}' 2>{}", browser, flags, url, scratch.file(name + ".err")));
    EXPECT_EQ(dumped.exit_code, 0) << url;
    Opened opened{dumped.out, ""};
    const std::string log = read_text(scratch.file(name + ".err"));
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);)
        if (line.find(":CONSOLE") != std::string::npos) opened.console += line + "\n";
    const fs::path shots = fs::path(TAPEGRID_BINARY).parent_path() / "tests" / "dashboard-screenshots";
    fs::create_directories(shots);
    const CommandResult shot =
        run_command(fmt::format("timeout 120 {} {} --window-size=1280,2400 --screenshot={} '{}' 2>/dev/null", browser,
                                flags, (shots / (name + ".png")).string(), url));
    EXPECT_EQ(shot.exit_code, 0) << url;
    EXPECT_GT(fs::exists(shots / (name + ".png")) ? fs::file_size(shots / (name + ".png")) : 0u, 10000u) << url;
    return opened;
}

// Every chart of the page: its data-points count.
std::vector<long> charts(const std::string& dom) {
    std::vector<long> points;
    const std::regex svg(R"(<svg[^>]*class="chart[^"]*"[^>]*>)");
    const std::regex count(R"re(data-points="([0-9]+)")re");
    for (std::sregex_iterator it(dom.begin(), dom.end(), svg), end; it != end; ++it) {
        std::smatch match;
        const std::string tag = it->str();
        points.push_back(std::regex_search(tag, match, count) ? std::stol(match[1]) : -1);
    }
    return points;
}

class DashboardInBrowser : public ::testing::Test {
  protected:
    void SetUp() override {
        browser_ = chromium();
        if (!browser_) GTEST_SKIP() << "chromium is not installed (scripts/setup.sh installs it)";
    }
    std::optional<std::string> browser_;
};

TEST_F(DashboardInBrowser, EveryPageOpensWithNoConsoleErrorAndDrawsItsData) {
    TemporaryDirectory scratch;
    const std::string store = scratch.file("store");
    const std::string recording = record_into_store(store, 1, "browser", 11, 3000);
    const auto replay =
        nlohmann::json::parse(run_tapegrid("replay " + recording + " --store " + store +
                                           " --set rsi_threshold=35 --set stop_loss_pct=0.5 --save --json")
                                  .out);
    const std::string replay_id = replay.at("replay_id");
    const std::string config = fmt::format(R"([sweep]
recordings = ["{}"]
strategy = "mean_reversion"
[grid]
bb_period = [10, 20, 30]
bb_std = [1.5, 2.0, 2.5]
rsi_threshold = [25, 30, 35]
[rank]
by = "sharpe_ratio"
)",
                                           recording);
    write_text(scratch.file("sweep.toml"), config);
    ASSERT_EQ(run_tapegrid("sweep " + scratch.file("sweep.toml") + " --store " + store + " --quiet --out " +
                           scratch.file("sweep-out"))
                  .exit_code,
              0);

    // The report files, opened from disk.
    std::vector<std::pair<std::string, std::string>> pages;  // name, URL
    const std::vector<std::pair<std::string, std::string>> reports = {
        {"report-recordings", "--recordings"},
        {"report-recording", recording},
        {"report-replay", recording + " --replay " + replay_id},
        {"report-sweep", scratch.file("sweep-out")}};
    for (const auto& [name, what] : reports) {
        const CommandResult written =
            run_tapegrid("report " + what + " --store " + store + " -o " + scratch.file(name + ".html"));
        ASSERT_EQ(written.exit_code, 0) << written.err;
        pages.emplace_back(name, "file://" + scratch.file(name + ".html"));
    }
    // The same pages, served.
    ServeProcess server(store);
    auto client = server.client();
    const std::string sweep_id =
        answer_json(client->Post("/api/v1/sweeps", config, "application/toml"), 202)["sweep_id"];
    for (int i = 0; i < 6000; ++i) {
        if (answer_json(client->Get("/api/v1/sweeps/" + sweep_id), 200)["sweep"]["state"] == "finished") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const std::string base = fmt::format("http://127.0.0.1:{}", server.port());
    pages.emplace_back("served-recordings", base + "/");
    pages.emplace_back("served-recording", base + "/recordings/" + recording);
    pages.emplace_back("served-replay", base + "/recordings/" + recording + "/replays/" + replay_id);
    pages.emplace_back("served-sweep", base + "/sweeps/" + sweep_id);
    pages.emplace_back("served-docs", base + "/docs");

    for (const auto& [name, url] : pages) {
        SCOPED_TRACE(name + ": " + url);
        const Opened opened = open_page(*browser_, url, scratch, name);
        EXPECT_EQ(opened.console, "") << "the page logged to its console";
        ASSERT_FALSE(opened.dom.empty());
        if (name.ends_with("docs")) {
            EXPECT_NE(opened.dom.find("/api/v1/recordings/{recording_id}/replay"), std::string::npos);
            continue;
        }
        const std::vector<long> drawn = charts(opened.dom);
        if (name.ends_with("recordings")) {
            EXPECT_NE(opened.dom.find(recording), std::string::npos);  // the sortable list
            if (name == "served-recordings") {                         // and the server's sweeps, linked to their pages
                EXPECT_NE(opened.dom.find("href=\"/sweeps/" + sweep_id + "\""), std::string::npos);
            }
            continue;
        }
        ASSERT_FALSE(drawn.empty()) << "no chart drawn";
        for (const long points : drawn) EXPECT_GT(points, 0) << "a chart without its data";
        if (name.ends_with("sweep")) {
            EXPECT_GE(drawn.size(), 2u) << "a heatmap and a distribution";
            EXPECT_NE(opened.dom.find("class=\"cell\""), std::string::npos) << "the heatmap's cells";
            EXPECT_NE(opened.dom.find("class=\"bar\""), std::string::npos) << "the histogram's bars";
            continue;
        }
        EXPECT_NE(opened.dom.find("class=\"series"), std::string::npos);
        if (name.ends_with("recording")) {
            EXPECT_NE(opened.dom.find("class=\"marker"), std::string::npos) << "signals, entries and exits are marked";
            EXPECT_NE(opened.dom.find("SIGNAL_DETECTED"), std::string::npos) << "the event log";
        }
        if (name.ends_with("replay")) {
            EXPECT_GE(drawn.size(), 2u) << "equity and drawdown charts";
        }
    }
}

}  // namespace
}  // namespace tapegrid::testing
