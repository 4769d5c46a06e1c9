// The recording file writer: layout creation, column appends, metadata attributes.
#include "io/hdf5/recording_file_writer.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

#include "io/hdf5/hdf5_attribute.h"
#include "io/hdf5/hdf5_column.h"
#include "io/hdf5/hdf5_string_column.h"
#include "io/hdf5/partial_files.h"
#include "io/hdf5/recording_layout.h"
#include "io/hdf5/recording_seal.h"
#include "io/hdf5/time_order_numbering.h"
#include "io/validation/name_validation.h"
#include "io/validation/text_validation.h"

namespace tapegrid {

namespace {

// Version-1.8 structures only: the superblock (v2) and object headers (v2) carry checksums,
// and unlike the 1.10 superblock (v3) the file keeps no "open for writing" flag that would
// make a crashed recording unreadable until h5clear runs. See docs/FORMAT.md.
h5::Handle file_access_plist() {
    h5::Handle plist = h5::make_plist(h5::check_id(H5Pcreate(H5P_FILE_ACCESS), "file access plist"));
    h5::check_status(H5Pset_libver_bounds(plist.get(), H5F_LIBVER_V18, H5F_LIBVER_V18), "setting HDF5 format bounds");
    return plist;
}

}  // namespace

struct RecordingFileWriter::SymbolColumns {
    h5::Handle group;
    h5::Handle indicators_group;
    h5::Handle timestamp, open, high, low, close, volume, sequence;
    std::vector<std::pair<std::string, h5::Handle>> indicators;
    std::size_t rows = 0;
    bool closed = false;
};

struct RecordingFileWriter::EventColumns {
    h5::Handle group;
    h5::Handle sequence, timestamp;
    h5::StringColumn type, symbol, event_data, decision_metadata, market_state;
};

RecordingFileWriter::RecordingFileWriter(const std::string& path, const RecordingInfo& info, std::size_t bar_chunk_rows)
    : path_(path), bar_chunk_rows_(bar_chunk_rows) {
    h5::silence_hdf5_errors();
    h5::Handle access = file_access_plist();
    h5::Handle creation = h5::make_plist(h5::check_id(H5Pcreate(H5P_FILE_CREATE), "file creation plist"));
    h5::check_status(H5Pset_userblock(creation.get(), kUserBlockBytes), "setting the user block");
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_EXCL, creation.get(), access.get());
    if (file < 0) {
        const std::string reason = h5::hdf5_error_text();
        if (std::filesystem::exists(path))
            throw UserError(path + ": already exists; tapegrid never overwrites a recording");
        throw UserError(path + ": cannot create the recording file: " + reason);
    }
    file_ = h5::make_file(file);
    mark_unsealed(path);
    market_data_ = h5::create_group(file_.get(), layout::kMarketDataGroup);
    events_ = std::make_unique<EventColumns>();
    events_->group = h5::create_group(file_.get(), layout::kEventsGroup);
    const auto event_column = [&](const char* name, h5::ColumnType type) {
        return h5::create_column(events_->group.get(), name, type, layout::kEventChunkRows);
    };
    events_->sequence = event_column(layout::kEventSequence, h5::ColumnType::kInt64);
    events_->timestamp = event_column(layout::kEventTimestamp, h5::ColumnType::kInt64);
    const auto text_column = [&](const char* name) {
        return h5::create_string_column(events_->group.get(), name, layout::kEventChunkRows);
    };
    events_->type = text_column(layout::kEventType);
    events_->symbol = text_column(layout::kEventSymbol);
    events_->event_data = text_column(layout::kEventData);
    events_->decision_metadata = text_column(layout::kDecisionMetadata);
    events_->market_state = text_column(layout::kMarketState);
    h5::create_group(file_.get(), layout::kReplaysGroup);
    write_info(info);
    for (const auto& symbol : info.symbols) columns_for(symbol);
}

RecordingFileWriter::~RecordingFileWriter() = default;

RecordingFileWriter::SymbolColumns& RecordingFileWriter::columns_for(const std::string& symbol) {
    auto found = symbols_.find(symbol);
    if (found != symbols_.end()) {
        if (found->second->closed) throw InternalError("symbol " + symbol + ": appended to after close_symbol()");
        return *found->second;
    }
    require_valid_name(symbol, "symbol");
    auto columns = std::make_unique<SymbolColumns>();
    columns->group = h5::create_group(market_data_.get(), symbol);
    {
        // Indicator columns keep the order they were recorded in (links are otherwise listed by name).
        h5::Handle plist = h5::make_plist(h5::check_id(H5Pcreate(H5P_GROUP_CREATE), "group plist"));
        h5::check_status(H5Pset_link_creation_order(plist.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
                         "tracking link order");
        columns->indicators_group = h5::make_group(h5::check_id(
            H5Gcreate2(columns->group.get(), layout::kIndicatorsGroup, H5P_DEFAULT, plist.get(), H5P_DEFAULT),
            "creating group indicators"));
    }
    const auto column = [&](const char* name, h5::ColumnType type) {
        return h5::create_column(columns->group.get(), name, type, bar_chunk_rows_);
    };
    columns->timestamp = column(layout::kTimestamp, h5::ColumnType::kInt64);
    columns->open = column(layout::kOpen, h5::ColumnType::kFloat64);
    columns->high = column(layout::kHigh, h5::ColumnType::kFloat64);
    columns->low = column(layout::kLow, h5::ColumnType::kFloat64);
    columns->close = column(layout::kClose, h5::ColumnType::kFloat64);
    columns->volume = column(layout::kVolume, h5::ColumnType::kFloat64);
    columns->sequence = column(layout::kSequence, h5::ColumnType::kInt64);
    return *symbols_.emplace(symbol, std::move(columns)).first->second;
}

void RecordingFileWriter::close_symbol(const std::string& symbol) {
    SymbolColumns& columns = columns_for(symbol);
    const std::size_t rows = columns.rows;
    columns = SymbolColumns{};  // closes the datasets, writing out and dropping their cached chunks
    columns.rows = rows;
    columns.closed = true;
}

std::size_t RecordingFileWriter::symbol_rows(const std::string& symbol) const {
    const auto found = symbols_.find(symbol);
    return found == symbols_.end() ? 0 : found->second->rows;
}

void RecordingFileWriter::append_bars(const SymbolBars& batch) {
    SymbolColumns& columns = columns_for(batch.symbol);
    const std::size_t rows = batch.size();
    if (rows == 0) return;
    h5::append_column(columns.timestamp.get(), batch.timestamp_ns.data(), rows);
    h5::append_column(columns.open.get(), batch.open.data(), rows);
    h5::append_column(columns.high.get(), batch.high.data(), rows);
    h5::append_column(columns.low.get(), batch.low.data(), rows);
    h5::append_column(columns.close.get(), batch.close.data(), rows);
    h5::append_column(columns.volume.get(), batch.volume.data(), rows);
    h5::append_column(columns.sequence.get(), batch.sequence.data(), rows);

    std::vector<double> nan_fill;
    const auto nans = [&](std::size_t count) -> const std::vector<double>& {
        nan_fill.assign(count, std::numeric_limits<double>::quiet_NaN());
        return nan_fill;
    };
    for (const auto& indicator : batch.indicators) {
        require_valid_name(indicator.name, "indicator", "symbol " + batch.symbol);
        auto known = std::find_if(columns.indicators.begin(), columns.indicators.end(),
                                  [&](const auto& entry) { return entry.first == indicator.name; });
        if (known == columns.indicators.end()) {
            h5::Handle dataset = h5::create_column(columns.indicators_group.get(), indicator.name,
                                                   h5::ColumnType::kFloat64, bar_chunk_rows_);
            if (columns.rows > 0) h5::append_column(dataset.get(), nans(columns.rows).data(), columns.rows);
            columns.indicators.emplace_back(indicator.name, std::move(dataset));
            known = std::prev(columns.indicators.end());
        }
        if (indicator.values.size() != rows)
            throw InternalError("indicator '" + indicator.name + "' has " + std::to_string(indicator.values.size()) +
                                " rows in a batch of " + std::to_string(rows));
        h5::append_column(known->second.get(), indicator.values.data(), rows);
    }
    for (auto& [name, dataset] : columns.indicators) {
        if (batch.find_indicator(name) == nullptr) h5::append_column(dataset.get(), nans(rows).data(), rows);
    }
    columns.rows += rows;
}

void RecordingFileWriter::append_events(std::span<const Event> events) {
    if (events.empty()) return;
    for (const Event& event : events) {
        const std::string where = "event " + std::to_string(event.sequence);
        require_utf8(event.type, where + ": type");
        require_utf8(event.symbol, where + ": symbol");
        require_utf8(event.event_data, where + ": event_data");
        require_utf8(event.decision_metadata, where + ": decision_metadata");
        require_utf8(event.market_state, where + ": market_state");
    }
    std::vector<std::int64_t> numbers(events.size());
    std::vector<std::string> texts(events.size());
    const auto append_numbers = [&](hid_t dataset, auto field) {
        for (std::size_t i = 0; i < events.size(); ++i) numbers[i] = field(events[i]);
        h5::append_column(dataset, numbers.data(), numbers.size());
    };
    const auto append_texts = [&](h5::StringColumn& column, auto field) {
        for (std::size_t i = 0; i < events.size(); ++i) texts[i] = field(events[i]);
        h5::append_strings(column, texts);
    };
    append_numbers(events_->sequence.get(), [](const Event& e) { return e.sequence; });
    append_numbers(events_->timestamp.get(), [](const Event& e) { return e.timestamp_ns; });
    append_texts(events_->type, [](const Event& e) { return e.type; });
    append_texts(events_->symbol, [](const Event& e) { return e.symbol; });
    append_texts(events_->event_data, [](const Event& e) { return e.event_data; });
    append_texts(events_->decision_metadata, [](const Event& e) { return e.decision_metadata; });
    append_texts(events_->market_state, [](const Event& e) { return e.market_state; });
}

void RecordingFileWriter::number_bars_in_time_order(const std::vector<std::string>& symbols) {
    for (const auto& symbol : symbols) {
        const auto found = symbols_.find(symbol);
        if (found == symbols_.end() || !found->second->closed)
            throw InternalError("symbol " + symbol + ": renumbered before close_symbol()");
    }
    constexpr std::size_t kBatchRows = 1 << 14;  // two batches per symbol: 256 KiB
    tapegrid::number_bars_in_time_order(market_data_.get(), symbols, kBatchRows, path_ + ": /market_data");
}

void RecordingFileWriter::write_info(const RecordingInfo& info) {
    require_utf8_metadata(info, "recording " + info.recording_id);
    const hid_t root = file_.get();
    using namespace layout::attr;
    h5::write_attribute(root, kFormatVersion, layout::kFormatVersion);
    h5::write_attribute(root, kRecordingId, info.recording_id);
    h5::write_attribute(root, kSessionId, info.session_id);
    h5::write_attribute(root, kInstanceId, info.instance_id);
    h5::write_attribute(root, kStrategyName, info.strategy_name);
    h5::write_attribute(root, kOriginalParameters, info.original_parameters);
    h5::write_attribute(root, kSymbols, info.symbols);
    h5::write_attribute(root, kStatus, std::string(to_string(info.status)));
    h5::write_attribute(root, kStartTime, info.recording_start_time_ns);
    h5::write_attribute(root, kEndTime, info.recording_end_time_ns);
    h5::write_attribute(root, kDescription, info.description);
    h5::write_attribute(root, kTags, info.tags);
    h5::write_attribute(root, kTotalBars, info.total_bars_recorded);
    h5::write_attribute(root, kTotalEvents, info.total_events_recorded);
    std::vector<std::string> types;
    std::vector<std::int64_t> counts;
    for (const auto& [type, count] : info.event_counts) {
        types.push_back(type);
        counts.push_back(count);
    }
    h5::write_attribute(root, kEventCountTypes, types);
    h5::write_attribute(root, kEventCountValues, counts);
    h5::write_attribute(root, kOriginalTrades, info.original_trades);
    h5::write_attribute(root, kOriginalPnl, info.original_pnl);
    h5::write_attribute(root, kOriginalWinRate, info.original_win_rate);
    h5::write_attribute(root, kErrorMessage, info.error_message);
    h5::write_attribute(root, kCreatedBy, info.created_by);
}

void RecordingFileWriter::flush() {
    h5::check_status(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), path_ + ": flushing the recording");
}

void RecordingFileWriter::close() {
    for (auto& [symbol, columns] : symbols_) {
        columns->indicators.clear();
        *columns = SymbolColumns{};
    }
    symbols_.clear();
    events_.reset();
    market_data_.reset();
    if (file_ && file_.close() < 0)
        throw InternalError(path_ + ": closing the recording failed: " + h5::hdf5_error_text());
}

std::string temporary_path_for(const std::string& path) {
    const std::filesystem::path target(path);
    return (target.parent_path() / fmt::format(".{}.partial-{}", target.filename().string(), ::getpid())).string();
}

void publish_file(const std::string& temporary, const std::string& path) {
    // link() fails when the target exists, where rename() would replace it.
    if (::link(temporary.c_str(), path.c_str()) != 0) {
        const int error = errno;
        std::filesystem::remove(temporary);
        if (error == EEXIST) throw UserError(path + ": already exists; tapegrid never overwrites a recording");
        throw UserError(path + ": cannot create the recording file: " + std::strerror(error));
    }
    std::filesystem::remove(temporary);
}

void write_recording_file(const std::string& path, RecordingInfo& info, std::size_t chunk_rows,
                          const std::function<void(RecordingFileWriter&)>& fill) {
    if (std::filesystem::exists(path))
        throw UserError(path + ": already exists; tapegrid never overwrites a recording");
    // -o out/new.h5 makes out/ as a user expects; a name that cannot be a directory is said so
    // here, not as the hidden partial file's HDF5 error.
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    // The directories made here are removed again if the write fails (an importer finds a bad
    // input only as it reads, after this): a refused write leaves nothing.
    std::vector<std::filesystem::path> made;
    for (auto at = parent; !at.empty() && !std::filesystem::exists(at); at = at.parent_path()) made.push_back(at);
    std::error_code error;
    if (!parent.empty()) std::filesystem::create_directories(parent, error);
    if (error) throw UserError(path + ": cannot create its directory " + parent.string() + ": " + error.message());
    const std::string temporary = temporary_path_for(path);
    const PartialFileGuard guard(temporary);
    try {
        RecordingFileWriter writer(temporary, info, chunk_rows);
        fill(writer);
        writer.write_info(info);
        writer.close();
        seal_recording(temporary);
        publish_file(temporary, path);
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        for (const auto& directory : made) std::filesystem::remove(directory, ignored);  // deepest first; if empty
        throw;
    }
}

void write_recording_file(const std::string& path, const Recording& recording) {
    std::size_t largest = 0;
    for (const auto& bars : recording.bars) largest = std::max(largest, bars.size());
    RecordingInfo info = recording.info;
    write_recording_file(path, info, std::clamp<std::size_t>(largest, 1024, 65536), [&](RecordingFileWriter& writer) {
        for (const auto& bars : recording.bars) writer.append_bars(bars);
        writer.append_events(recording.events);
    });
}

}  // namespace tapegrid
