// The harnesses' tiny recordings: synthetic bars, a few events, written sealed or as if killed.
#include "tests/fuzz/fuzz_recordings.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <limits>
#include <vector>

#include "engine/synthetic/market_generator.h"
#include "io/hdf5/hdf5_column.h"
#include "io/hdf5/hdf5_handle.h"
#include "io/hdf5/hdf5_string_column.h"
#include "io/hdf5/recording_file_writer.h"
#include "io/hdf5/recording_layout.h"
#include "io/hdf5/recording_seal.h"

namespace tapegrid::fuzz {

namespace {

// Small chunks: the recorder's (8,192 bar rows, 1,024 event rows of 64 bytes of text each) would
// make every file hundreds of KB, most of it unused chunk space a fuzzer would mutate for nothing.
constexpr std::size_t kChunkRows = 8;

// The /events columns with small chunks: RecordingFileWriter's event chunk size is fixed, so the
// file is written without events (their columns then hold no chunk at all) and the columns are
// made again here, as that writer makes them, and filled.
void write_compact_events(hid_t file, const std::vector<Event>& events) {
    using namespace layout;
    h5::check_status(H5Ldelete(file, kEventsGroup, H5P_DEFAULT), "deleting /events");
    const h5::Handle group = h5::create_group(file, kEventsGroup);
    std::vector<std::int64_t> sequence, timestamp;
    std::vector<std::string> type, symbol, data, decision, market;
    for (const Event& event : events) {
        sequence.push_back(event.sequence);
        timestamp.push_back(event.timestamp_ns);
        type.push_back(event.type);
        symbol.push_back(event.symbol);
        data.push_back(event.event_data);
        decision.push_back(event.decision_metadata);
        market.push_back(event.market_state);
    }
    const auto numbers = [&](const char* name, const std::vector<std::int64_t>& values) {
        const h5::Handle column = h5::create_column(group.get(), name, h5::ColumnType::kInt64, kChunkRows);
        h5::append_column(column.get(), values.data(), values.size());
    };
    const auto texts = [&](const char* name, const std::vector<std::string>& values) {
        h5::StringColumn column = h5::create_string_column(group.get(), name, kChunkRows);
        h5::append_strings(column, values);
    };
    numbers(kEventSequence, sequence);
    numbers(kEventTimestamp, timestamp);
    texts(kEventType, type);
    texts(kEventSymbol, symbol);
    texts(kEventData, data);
    texts(kDecisionMetadata, decision);
    texts(kMarketState, market);
}

// Writes `recording`; with `killed`, the process dies right after flushing everything.
void write_recording(const std::string& path, const Recording& recording, bool killed) {
    {
        RecordingFileWriter writer(path, recording.info, kChunkRows);
        for (const auto& bars : recording.bars) writer.append_bars(bars);
        writer.close();
    }
    if (recording.events.empty() && !killed) return;
    // The version-1.8 structures RecordingFileWriter uses (docs/FORMAT.md).
    const h5::Handle access = h5::make_plist(h5::check_id(H5Pcreate(H5P_FILE_ACCESS), "file access plist"));
    h5::check_status(H5Pset_libver_bounds(access.get(), H5F_LIBVER_V18, H5F_LIBVER_V18), "setting HDF5 bounds");
    h5::Handle file = h5::open_file(path, H5F_ACC_RDWR, access.get(), path + ": reopening");
    if (!recording.events.empty()) write_compact_events(file.get(), recording.events);
    if (killed) {
        h5::check_status(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), path + ": flushing");
        std::fflush(nullptr);
        ::_exit(0);  // killed: no close, no destructor, no HDF5 shutdown
    }
    h5::check_status(file.close(), path + ": closing");
}

}  // namespace

Recording make_tiny_recording(std::size_t symbols, bool events) {
    MarketGeneratorOptions options;
    options.symbols = symbols;
    options.bars = 12;
    options.seed = 7;
    Recording recording = generate_market(options);
    RecordingInfo& info = recording.info;
    info.format_version = 1;
    info.recording_id = "0f5c1e8a-2b7d-4c3e-9a10-5d6e7f809112";
    info.session_id = "fuzz-seed";
    info.instance_id = 1;
    info.strategy_name = "mean_reversion";
    info.original_parameters = R"({"bb_period":20,"rsi_threshold":30})";
    info.recording_start_time_ns = 1'704'205'800'000'000'000;  // 2024-01-02 14:30 UTC
    info.recording_end_time_ns = 1'704'206'520'000'000'000;
    info.description = "fuzz seed";
    info.tags = {"fuzz"};
    info.created_by = "tapegrid fuzz seeds";

    // Every later symbol starts two bars later, and an indicator with gaps rides on the first.
    for (std::size_t s = 1; s < recording.bars.size(); ++s) {
        SymbolBars& late = recording.bars[s];
        for (auto* column : {&late.open, &late.high, &late.low, &late.close, &late.volume})
            column->erase(column->begin(), column->begin() + 2);
        late.timestamp_ns.erase(late.timestamp_ns.begin(), late.timestamp_ns.begin() + 2);
        late.sequence.erase(late.sequence.begin(), late.sequence.begin() + 2);
    }
    IndicatorColumn rsi{"rsi", {}};
    for (std::size_t i = 0; i < recording.bars[0].size(); ++i)
        rsi.values.push_back(i % 3 == 0 ? std::numeric_limits<double>::quiet_NaN() : 20.0 + static_cast<double>(i));
    recording.bars[0].indicators.push_back(std::move(rsi));
    info.total_bars_recorded = 0;
    for (const auto& bars : recording.bars) info.total_bars_recorded += static_cast<std::int64_t>(bars.size());

    if (events) {
        const std::string& symbol = recording.bars[0].symbol;
        const TimestampNs t = recording.bars[0].timestamp_ns[4];
        std::int64_t sequence = 1000;
        recording.events = {
            {sequence++, t, "SIGNAL_DETECTED", symbol, R"({"entry_price":100.5,"signal_type":"MEAN_REVERSION"})",
             R"({"reasoning":"close below lower band","rsi":28.5})", R"({"close":100.5})"},
            {sequence++, t, "POSITION_OPENED", symbol, R"({"entry_price":100.5,"quantity":10})", "{}", "{}"},
            {sequence++, t + kNsPerMinute * 3, "POSITION_CLOSED", symbol, R"({"exit_price":101.0,"pnl":5.0})", "{}",
             "{}"},
        };
        info.total_events_recorded = 3;
        info.event_counts = {{"POSITION_CLOSED", 1}, {"POSITION_OPENED", 1}, {"SIGNAL_DETECTED", 1}};
    }
    return recording;
}

void write_sealed_recording(const std::string& path, const Recording& recording) {
    Recording completed = recording;
    completed.info.status = RecordingStatus::kCompleted;
    write_recording(path, completed, /*killed=*/false);
    seal_recording(path);
}

void write_killed_recording(const std::string& path, const Recording& recording) {
    Recording live = recording;
    live.info.status = RecordingStatus::kRecording;
    live.info.recording_end_time_ns = 0;
    const pid_t child = ::fork();
    if (child < 0) {
        std::perror("fork");
        std::abort();
    }
    if (child == 0) {
        try {
            write_recording(path, live, /*killed=*/true);
        } catch (const std::exception& error) {
            std::fprintf(stderr, "write_killed_recording: %s\n", error.what());
        }
        ::_exit(1);
    }
    int status = 0;
    if (::waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "write_killed_recording: the writing child failed\n");
        std::abort();
    }
}

}  // namespace tapegrid::fuzz
