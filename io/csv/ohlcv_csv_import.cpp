// The OHLCV CSV importer: a file's rows to checked bar columns, and imported files to a recording.
#include "io/csv/ohlcv_csv_import.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <limits>
#include <numeric>
#include <queue>

#include "engine/core/errors.h"
#include "engine/core/uuid.h"
#include "engine/core/version.h"
#include "io/csv/ohlcv_csv_reader.h"

namespace tapegrid {

std::string symbol_from_file_name(const std::string& path) {
    const std::string file = std::filesystem::path(path).filename().string();
    const std::size_t end = file.find_first_of("-_. ");
    std::string symbol = file.substr(0, end);
    for (auto& c : symbol) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return symbol;
}

CsvImportResult import_ohlcv_csv(const std::string& path, const CsvImportOptions& options) {
    OhlcvCsvReader reader(path, options);
    CsvImportResult result;
    std::vector<std::size_t> lines;
    reader.next(std::numeric_limits<std::size_t>::max(), result.bars, lines);
    result.notes = reader.notes();
    order_and_check_rows(result.bars, lines, path, result.notes);
    // The file's own order; make_imported_recording renumbers across the files it merges.
    std::iota(result.bars.sequence.begin(), result.bars.sequence.end(), std::int64_t{0});
    return result;
}

Recording make_imported_recording(std::vector<SymbolBars> symbols, const std::string& description) {
    Recording recording;
    RecordingInfo& info = recording.info;
    info.recording_id = make_uuid_v4();
    info.session_id = "import";
    info.status = RecordingStatus::kCompleted;
    info.recording_start_time_ns = now_ns();
    info.recording_end_time_ns = info.recording_start_time_ns;
    info.description = description;
    info.created_by = std::string("tapegrid ") + kVersion;
    for (const auto& bars : symbols) {
        if (std::find(info.symbols.begin(), info.symbols.end(), bars.symbol) != info.symbols.end())
            throw UserError("symbol '" + bars.symbol + "' comes from two files; give each file its own --symbol");
        info.symbols.push_back(bars.symbol);
        info.total_bars_recorded += static_cast<std::int64_t>(bars.size());
    }
    // Sequence numbers: a k-way merge of the symbols by time, ties in the order given.
    using Head = std::pair<TimestampNs, std::size_t>;
    std::priority_queue<Head, std::vector<Head>, std::greater<>> heads;
    std::vector<std::size_t> next(symbols.size(), 0);
    for (std::size_t s = 0; s < symbols.size(); ++s)
        if (symbols[s].size() > 0) heads.emplace(symbols[s].timestamp_ns[0], s);
    std::int64_t sequence = 0;
    while (!heads.empty()) {
        const std::size_t s = heads.top().second;
        heads.pop();
        SymbolBars& bars = symbols[s];
        bars.sequence.resize(bars.size());
        bars.sequence[next[s]++] = sequence++;
        if (next[s] < bars.size()) heads.emplace(bars.timestamp_ns[next[s]], s);
    }
    recording.bars = std::move(symbols);
    return recording;
}

CsvFilesImport import_ohlcv_csv_files(const std::vector<std::string>& paths, const std::vector<std::string>& symbols,
                                      CsvImportOptions options) {
    if (!symbols.empty() && symbols.size() != paths.size())
        throw UserError("--symbol: given " + std::to_string(symbols.size()) + " times for " +
                        std::to_string(paths.size()) + " files; give one per file, in order");
    CsvFilesImport imported;
    std::vector<SymbolBars> all_bars;
    std::string description = "imported from";
    for (std::size_t i = 0; i < paths.size(); ++i) {
        if (std::filesystem::is_directory(paths[i]))
            throw UserError(paths[i] + ": is a directory but not a tapegrid export (no recording.json)");
        options.symbol = symbols.empty() ? std::nullopt : std::optional(symbols[i]);
        CsvImportResult result = import_ohlcv_csv(paths[i], options);
        imported.notes.insert(imported.notes.end(), result.notes.begin(), result.notes.end());
        all_bars.push_back(std::move(result.bars));
        description += ' ';  // appended piecewise: `" " + string` trips a false -Wrestrict in GCC 12
        description += std::filesystem::path(paths[i]).filename().string();
    }
    imported.recording = make_imported_recording(std::move(all_bars), description);
    return imported;
}

}  // namespace tapegrid
