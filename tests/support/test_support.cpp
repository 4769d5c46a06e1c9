// Shared test helpers.
#include "tests/support/test_support.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include "engine/core/uuid.h"

namespace tapegrid::testing {

namespace fs = std::filesystem;

TemporaryDirectory::TemporaryDirectory() {
    static std::atomic<int> counter{0};
    std::ostringstream name;
    name << "tapegrid-test-" << ::getpid() << '-' << counter++ << '-' << make_uuid_v4().substr(0, 8);
    path_ = fs::temp_directory_path() / name.str();
    fs::create_directories(path_);
}

TemporaryDirectory::~TemporaryDirectory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
}

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

CommandResult run_command(const std::string& command_line) {
    TemporaryDirectory scratch;
    const std::string out_file = scratch.file("out"), err_file = scratch.file("err");
    const std::string full = command_line + " >" + out_file + " 2>" + err_file + " </dev/null";
    const int status = std::system(full.c_str());
    CommandResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = read_text(out_file);
    result.err = read_text(err_file);
    return result;
}

std::string tapegrid_binary() {
    return TAPEGRID_BINARY;
}

long peak_rss_kib(const std::string& command) {
    const CommandResult result = run_command(
        "python3 -c 'import resource, subprocess, sys; code = subprocess.call(sys.argv[1], shell=True, "
        "stdout=subprocess.DEVNULL); print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' '" +
        command + "'");
    EXPECT_EQ(result.exit_code, 0) << result.err;
    int code = -1;
    long kib = 0;
    EXPECT_EQ(std::sscanf(result.out.c_str(), "%d %ld", &code, &kib), 2) << result.out;
    EXPECT_EQ(code, 0) << command;
    return kib;
}

CommandResult run_tapegrid(const std::string& arguments) {
    return run_command(tapegrid_binary() + " " + arguments);
}

std::optional<fs::path> shared_real_data() {
    const fs::path candidate = fs::path(TAPEGRID_SOURCE_DIR) / ".." / "shared" / "data" / "real";
    if (fs::exists(candidate / "orcl-1995-2014.txt")) return fs::canonical(candidate);
    return std::nullopt;
}

Recording make_sample_recording() {
    Recording recording;
    RecordingInfo& info = recording.info;
    info.format_version = 1;
    info.recording_id = make_uuid_v4();
    info.session_id = "session-7";
    info.instance_id = 3;
    info.strategy_name = "mean_reversion";
    info.original_parameters = R"({"bb_period":20,"rsi_threshold":30})";
    info.symbols = {"AAPL", "MSFT"};
    info.status = RecordingStatus::kCompleted;
    info.recording_start_time_ns = 1'700'000'000'000'000'000;
    info.recording_end_time_ns = 1'700'000'360'000'000'000;
    info.description = "sample, with \"quotes\", commas, and unicode: caf\xC3\xA9";
    info.tags = {"test", "sample"};
    info.original_trades = 2;
    info.original_pnl = 12.5;
    info.original_win_rate = 50.0;
    info.created_by = "tapegrid tests";
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::int64_t sequence = 0;
    for (std::size_t s = 0; s < 2; ++s) {
        SymbolBars bars;
        bars.symbol = info.symbols[s];
        const std::size_t rows = s == 0 ? 6 : 4;  // MSFT starts two bars later
        IndicatorColumn rsi{"rsi", {}}, lower{"bb_lower", {}};
        for (std::size_t i = 0; i < rows; ++i) {
            const double base = 100.0 + 10.0 * static_cast<double>(s) + 0.25 * static_cast<double>(i);
            bars.timestamp_ns.push_back(info.recording_start_time_ns +
                                        static_cast<std::int64_t>(i + (s == 0 ? 0 : 2)) * 60'000'000'000LL);
            bars.open.push_back(base);
            bars.high.push_back(base + 1.0 / 3.0);
            bars.low.push_back(base - 0.1);
            bars.close.push_back(base + 0.2);
            bars.volume.push_back(1000.0 * static_cast<double>(i + 1));
            bars.sequence.push_back(sequence++);
            rsi.values.push_back(i % 2 == 0 ? 30.0 + static_cast<double>(i) : nan);
            lower.values.push_back(base - 1.5);
        }
        bars.indicators = {rsi, lower};
        recording.bars.push_back(bars);
    }
    recording.events.push_back({sequence++, info.recording_start_time_ns + 120'000'000'000LL, "SIGNAL_DETECTED", "AAPL",
                                R"({"entry_price":100.7,"signal_type":"MEAN_REVERSION"})",
                                R"({"reasoning":"close below lower band, RSI 28.5 < 30","rsi":28.5})",
                                R"({"close":100.7})"});
    recording.events.push_back({sequence++, info.recording_start_time_ns + 120'000'000'000LL, "POSITION_OPENED", "AAPL",
                                R"({"entry_price":100.7,"quantity":10})", "{}", "{}"});
    recording.events.push_back({sequence++, info.recording_start_time_ns + 240'000'000'000LL, "POSITION_CLOSED", "AAPL",
                                R"({"exit_price":101.95,"pnl":12.5})", "{}", "{}"});
    info.total_bars_recorded = 10;
    info.total_events_recorded = 3;
    info.event_counts = {{"POSITION_CLOSED", 1}, {"POSITION_OPENED", 1}, {"SIGNAL_DETECTED", 1}};
    return recording;
}

SymbolBars flat_daily_bars(const std::string& symbol, const std::vector<double>& closes) {
    SymbolBars bars;
    bars.symbol = symbol;
    for (std::size_t i = 0; i < closes.size(); ++i) {
        bars.timestamp_ns.push_back(static_cast<TimestampNs>(i + 1) * kNsPerDay);
        for (auto* column : {&bars.open, &bars.high, &bars.low, &bars.close}) column->push_back(closes[i]);
        bars.volume.push_back(100);
        bars.sequence.push_back(static_cast<std::int64_t>(i));
    }
    return bars;
}

std::vector<std::string> snapshot_directory(const std::string& directory) {
    std::vector<std::string> entries;
    if (!fs::exists(directory)) return entries;
    for (const auto& entry : fs::recursive_directory_iterator(directory)) {
        std::string line = entry.path().string();
        std::ostringstream line_stream;
        line_stream << line;
        if (entry.is_regular_file())
            line_stream << ' ' << entry.file_size() << ' ' << entry.last_write_time().time_since_epoch().count();
        entries.push_back(line_stream.str());
    }
    std::sort(entries.begin(), entries.end());
    return entries;
}

}  // namespace tapegrid::testing
