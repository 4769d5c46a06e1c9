// `tapegrid report`: the dashboard's pages as files, written without replacing anything unasked.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/e2e/serve_fixture.h"

namespace tapegrid::testing {
namespace {

namespace fs = std::filesystem;

// The page's embedded data, parsed back.
nlohmann::json page_data(const std::string& html) {
    const std::string open = "<script type=\"application/json\" id=\"page-data\">";
    const auto begin = html.find(open);
    if (begin == std::string::npos) return nullptr;
    const auto end = html.find("</script>", begin);
    std::string text = html.substr(begin + open.size(), end - begin - open.size());
    for (std::size_t at = 0; (at = text.find("<\\/", at)) != std::string::npos;) text.replace(at, 3, "</");
    return nlohmann::json::parse(text);
}

TEST(ReportCli, WritesEveryPageAndReplacesNothingUnasked) {
    TemporaryDirectory scratch;
    const std::string store = scratch.file("store");
    const std::string recording = record_into_store(store, 1, "report", 21, 2000);
    const auto replay = nlohmann::json::parse(
        run_tapegrid("replay " + recording + " --store " + store + " --set rsi_threshold=35 --save --json").out);
    const std::string replay_id = replay.at("replay_id");
    write_text(scratch.file("sweep.toml"), fmt::format("[sweep]\nrecordings = [\"{}\"]\nstrategy = \"mean_reversion\"\n"
                                                       "[grid]\nbb_std = [1.5, 2.0]\nrsi_threshold = [25, 35]\n",
                                                       recording));
    ASSERT_EQ(run_tapegrid("sweep " + scratch.file("sweep.toml") + " --store " + store + " --quiet --out " +
                           scratch.file("sweep-out"))
                  .exit_code,
              0);

    const CommandResult page =
        run_tapegrid("report " + recording + " --store " + store + " -o " + scratch.file("r.html"));
    ASSERT_EQ(page.exit_code, 0) << page.err;
    const std::string html = read_text(scratch.file("r.html"));
    EXPECT_EQ(html.rfind("<!doctype html>", 0), 0u);
    EXPECT_NE(page_data(html).dump().find(recording), std::string::npos);
    EXPECT_EQ(html.find("https://"), std::string::npos);

    ASSERT_EQ(run_tapegrid("report " + recording + " --replay " + replay_id + " --store " + store + " -o " +
                           scratch.file("replay.html"))
                  .exit_code,
              0);
    EXPECT_NE(page_data(read_text(scratch.file("replay.html"))).dump().find(replay_id), std::string::npos);
    ASSERT_EQ(run_tapegrid("report " + scratch.file("sweep-out") + " -o " + scratch.file("sweep.html")).exit_code, 0);
    ASSERT_EQ(run_tapegrid("report --recordings --store " + store + " -o " + scratch.file("list.html")).exit_code, 0);
    EXPECT_NE(read_text(scratch.file("list.html")).find(recording), std::string::npos);

    // An existing file is kept unless --overwrite says otherwise.
    write_text(scratch.file("mine.html"), "mine");
    const CommandResult refused =
        run_tapegrid("report " + recording + " --store " + store + " -o " + scratch.file("mine.html"));
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("already exists"), std::string::npos) << refused.err;
    EXPECT_EQ(read_text(scratch.file("mine.html")), "mine");
    EXPECT_EQ(
        run_tapegrid("report " + recording + " --store " + store + " -o " + scratch.file("mine.html") + " --overwrite")
            .exit_code,
        0);
    EXPECT_NE(read_text(scratch.file("mine.html")), "mine");

    // Mistakes: exit 2 with what was wrong, and nothing left behind.
    for (const std::string& bad : std::vector<std::string>{
             "report " + recording + " --replay nope --store " + store + " -o " + scratch.file("x.html"),
             "report " + scratch.file("store") + " -o " + scratch.file("x.html"), "report -o " + scratch.file("x.html"),
             "report " + recording + " --store " + store + " -o " + scratch.file("no/such/dir/x.html"),
             "report " + scratch.file("sweep-out") + " --replay " + replay_id + " -o " + scratch.file("x.html")}) {
        const CommandResult result = run_tapegrid(bad);
        EXPECT_EQ(result.exit_code, 2) << bad << "\n" << result.err;
        EXPECT_FALSE(result.err.empty()) << bad;
    }
    EXPECT_FALSE(fs::exists(scratch.file("x.html")));
    for (const auto& entry : fs::directory_iterator(scratch.path()))
        EXPECT_EQ(entry.path().filename().string().find(".partial"), std::string::npos) << entry.path();
}

}  // namespace
}  // namespace tapegrid::testing
