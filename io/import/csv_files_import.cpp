// The streaming CSV import: each file checked and written in batches, then numbered in time order.
#include "io/import/csv_files_import.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <numeric>
#include <optional>

#include "engine/core/errors.h"
#include "engine/core/uuid.h"
#include "engine/core/version.h"
#include "io/csv/ohlcv_csv_reader.h"
#include "io/hdf5/recording_file_writer.h"
#include "io/validation/bars_validation.h"

namespace tapegrid {

namespace {

// Rows per batch: 64 Ki rows of a few columns, a few MB.
constexpr std::size_t kBatchRows = std::size_t{1} << 16;

// Chunks of a symbol's columns fit its size, as for a recording written whole.
std::size_t chunk_rows_for(std::size_t first_batch_rows) {
    return std::clamp<std::size_t>(first_batch_rows, 1024, kBatchRows);
}

// The rows of `rest` after those of `bars`.
void append_rows(SymbolBars& bars, const SymbolBars& rest) {
    const auto append = [](auto& to, const auto& from) { to.insert(to.end(), from.begin(), from.end()); };
    append(bars.timestamp_ns, rest.timestamp_ns), append(bars.open, rest.open), append(bars.high, rest.high);
    append(bars.low, rest.low), append(bars.close, rest.close), append(bars.volume, rest.volume);
    append(bars.sequence, rest.sequence);
    for (std::size_t k = 0; k < bars.indicators.size(); ++k)
        append(bars.indicators[k].values, rest.indicators[k].values);
}

// The first bar that breaks a rule (check_bar), in file order, across batches.
class RowChecker {
  public:
    explicit RowChecker(std::string path) : path_(std::move(path)) {}

    // False once a row has broken a rule.
    bool check(const SymbolBars& batch, const std::vector<std::size_t>& lines) {
        for (std::size_t i = 0; i < batch.size() && !problem_; ++i) {
            if (auto problem = check_bar(previous_ns_, has_previous_, batch.timestamp_ns[i], batch.open[i],
                                         batch.high[i], batch.low[i], batch.close[i], batch.volume[i]))
                problem_ = fmt::format("{}:{}: {}", path_, lines[i], *problem);
            previous_ns_ = batch.timestamp_ns[i];
            has_previous_ = true;
        }
        return !problem_;
    }
    const std::optional<std::string>& problem() const { return problem_; }

  private:
    std::string path_;
    TimestampNs previous_ns_ = 0;
    bool has_previous_ = false;
    std::optional<std::string> problem_;
};

// Reads one file to its end; writes its bars unless `writer` is null (a file refused in the end
// is still read, so that its own errors come first, as when every file is read before any is
// written). Returns the file's notes.
std::vector<std::string> import_file(OhlcvCsvReader& reader, RecordingFileWriter* writer, ImportReport& report) {
    std::vector<std::string> notes = reader.notes();
    SymbolBars batch;
    std::vector<std::size_t> lines;
    reader.next(kBatchRows, batch, lines);  // the reader has seen a first row
    if (writer != nullptr) writer->set_bar_chunk_rows(chunk_rows_for(batch.size()));
    const auto write = [&](const SymbolBars& bars) {
        if (writer == nullptr) return;
        writer->append_bars(bars);
        report.count(bars);
    };
    if (batch.size() >= 2 && batch.timestamp_ns[1] < batch.timestamp_ns[0]) {
        // Newest first, or out of order: only the whole file tells (the one file held whole).
        SymbolBars rest;
        std::vector<std::size_t> rest_lines;
        while (reader.next(kBatchRows, rest, rest_lines)) {
            append_rows(batch, rest);
            lines.insert(lines.end(), rest_lines.begin(), rest_lines.end());
        }
        order_and_check_rows(batch, lines, reader.path(), notes);
        std::iota(batch.sequence.begin(), batch.sequence.end(), std::int64_t{0});
        write(batch);
        return notes;
    }
    RowChecker checker(reader.path());
    do {
        if (checker.check(batch, lines)) write(batch);
    } while (reader.next(kBatchRows, batch, lines));
    if (checker.problem()) throw UserError(*checker.problem());
    return notes;
}

}  // namespace

CsvFilesImporter::CsvFilesImporter(std::vector<std::string> paths, std::vector<std::string> symbols,
                                   CsvImportOptions options)
    : paths_(std::move(paths)), symbols_(std::move(symbols)), options_(std::move(options)) {
    if (!symbols_.empty() && symbols_.size() != paths_.size())
        throw UserError("--symbol: given " + std::to_string(symbols_.size()) + " times for " +
                        std::to_string(paths_.size()) + " files; give one per file, in order");
    // The metadata of make_imported_recording.
    info_.recording_id = make_uuid_v4();
    info_.session_id = "import";
    info_.status = RecordingStatus::kCompleted;
    info_.recording_start_time_ns = now_ns();
    info_.recording_end_time_ns = info_.recording_start_time_ns;
    info_.description = "imported from";
    for (const auto& path : paths_) {
        info_.description += ' ';  // appended piecewise: `" " + string` trips a false -Wrestrict in GCC 12
        info_.description += std::filesystem::path(path).filename().string();
    }
    info_.created_by = std::string("tapegrid ") + kVersion;
}

ImportReport CsvFilesImporter::write(const std::string& path) {
    ImportReport report;
    // Symbols join the metadata as their files are written; `info_` gets them only when all are.
    RecordingInfo written = info_;
    write_recording_file(path, written, kBatchRows, [&](RecordingFileWriter& writer) {
        std::optional<std::string> repeated;  // reported once every file has been read
        for (std::size_t i = 0; i < paths_.size(); ++i) {
            if (std::filesystem::is_directory(paths_[i]))
                throw UserError(paths_[i] + ": is a directory but not a tapegrid export (no recording.json)");
            CsvImportOptions options = options_;
            options.symbol = symbols_.empty() ? std::nullopt : std::optional(symbols_[i]);
            OhlcvCsvReader reader(paths_[i], options);
            const bool again =
                std::find(written.symbols.begin(), written.symbols.end(), reader.symbol()) != written.symbols.end();
            if (again && !repeated) repeated = reader.symbol();
            if (!again && !repeated) {
                written.symbols.push_back(reader.symbol());
                report.start_symbol(reader.symbol());
            }
            const auto notes = import_file(reader, again || repeated ? nullptr : &writer, report);
            report.notes.insert(report.notes.end(), notes.begin(), notes.end());
            if (!again && !repeated) writer.close_symbol(reader.symbol());
        }
        if (repeated)
            throw UserError("symbol '" + *repeated + "' comes from two files; give each file its own --symbol");
        if (written.symbols.size() > 1) writer.number_bars_in_time_order(written.symbols);
        written.total_bars_recorded = 0;
        for (const auto& symbol : report.symbols) written.total_bars_recorded += static_cast<std::int64_t>(symbol.bars);
    });
    info_ = written;
    return report;
}

}  // namespace tapegrid
