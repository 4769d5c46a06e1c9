// Starting a real server for the HTTP tests.
#include "tests/e2e/serve_fixture.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <regex>
#include <thread>

namespace tapegrid::testing {

ServeProcess::ServeProcess(const std::string& store, const std::vector<std::string>& extra) {
    std::vector<std::string> arguments = {tapegrid_binary(), "serve", "--store",   store,
                                          "--port",          "0",     "--threads", "2"};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    process_ = std::make_unique<ChildProcess>(arguments, logs_.file("out"), logs_.file("err"));
    const std::regex listening("listening on http://[^:]+:([0-9]+)/");
    for (int i = 0; i < 3000 && port_ == 0; ++i) {
        std::smatch match;
        const std::string out = read_text(logs_.file("out"));
        if (std::regex_search(out, match, listening)) {
            port_ = std::stoi(match[1].str());
            break;
        }
        if (!process_->running()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (port_ == 0) {
        ADD_FAILURE() << "tapegrid serve did not start: " << read_text(logs_.file("err"));
    }
}

ServeProcess::~ServeProcess() {
    if (process_->running()) {
        EXPECT_EQ(process_->stop(SIGTERM), 0) << log();
    }
}

std::unique_ptr<httplib::Client> ServeProcess::client() const {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client->set_read_timeout(120, 0);
    return client;
}

std::string ServeProcess::log() const {
    return read_text(logs_.file("err"));
}

std::string record_into_store(const std::string& store, int instance, const std::string& tag, int seed, int bars) {
    const CommandResult recorded = run_tapegrid(fmt::format(
        "record --strategy mean_reversion --synthetic --symbols 2 --bars {} --seed {} --instance {} --tag {} "
        "--store {} --json",
        bars, seed, instance, tag, store));
    EXPECT_EQ(recorded.exit_code, 0) << recorded.err;
    return nlohmann::json::parse(recorded.out).at("recording_id").get<std::string>();
}

nlohmann::json answer_json(const httplib::Result& result, int expected_status) {
    if (!result) {
        ADD_FAILURE() << "no answer: " << httplib::to_string(result.error());
        return nullptr;
    }
    EXPECT_EQ(result->status, expected_status) << result->body.substr(0, 2000);
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
    try {
        return nlohmann::json::parse(result->body);
    } catch (const std::exception& error) {
        ADD_FAILURE() << "not JSON: " << error.what() << ": " << result->body.substr(0, 500);
        return nullptr;
    }
}

}  // namespace tapegrid::testing
