// Recordings read a window at a time: every row checked first, then the windows laid out and read by hyperslab.
#include "io/hdf5/recording_windows.h"

#include "engine/core/errors.h"

namespace tapegrid {

namespace {

// Rows checked per read while every symbol is checked: 64 Ki rows, a few MB with the indicators.
constexpr std::size_t kCheckRows = std::size_t{1} << 16;

}  // namespace

RecordingSizes measure_recordings(const std::vector<std::string>& paths) {
    RecordingSizes sizes;
    for (const auto& path : paths) {
        const RecordingBatchReader file(path, /*verify_seal=*/false);
        for (const auto& symbol : file.info().symbols) {
            const SymbolBatchReader bars = file.open_symbol(symbol);
            ++sizes.symbols;
            sizes.bars += bars.rows();
            // time, prices, volume, sequence, and each recorded indicator: 8 bytes a row each
            sizes.column_bytes += bars.rows() * (7 + bars.indicator_names().size()) * 8;
        }
    }
    return sizes;
}

RecordingWindows::RecordingWindows(const std::vector<std::string>& paths, std::uint64_t window_timestamps) {
    std::vector<std::vector<std::string>> symbols;
    std::vector<std::string> ids;
    for (const auto& path : paths) {
        files_.push_back(std::make_unique<RecordingBatchReader>(path));
        infos_.push_back(files_.back()->info());
        symbols.push_back(infos_.back().symbols);
        ids.push_back(infos_.back().recording_id);
    }
    const auto names = side_by_side_names(symbols, ids);
    std::vector<std::uint64_t> bars;
    SymbolBars batch;
    for (std::size_t r = 0; r < files_.size(); ++r)
        for (std::size_t s = 0; s < symbols[r].size(); ++s) {
            symbols_.push_back(files_[r]->open_symbol(symbols[r][s]));
            names_.push_back(names[r][s]);
            bars.push_back(symbols_.back().rows());
            while (symbols_.back().next(kCheckRows, batch)) {
            }
        }
    layout_ = layout_windows(names_, std::move(bars), window_timestamps,
                             [this](std::size_t s, std::uint64_t first, std::uint64_t count, auto& out) {
                                 symbols_[s].read_field(BarField::kTimestamp, first, count, out);
                             });
}

void RecordingWindows::read(std::size_t symbol, std::uint64_t first, std::uint64_t count, SymbolBars& out) {
    const SymbolBatchReader& bars = symbols_.at(symbol);
    out.symbol = names_[symbol];
    bars.read_field(BarField::kTimestamp, first, count, out.timestamp_ns);
    bars.read_field(BarField::kOpen, first, count, out.open);
    bars.read_field(BarField::kHigh, first, count, out.high);
    bars.read_field(BarField::kLow, first, count, out.low);
    bars.read_field(BarField::kClose, first, count, out.close);
    bars.read_field(BarField::kVolume, first, count, out.volume);
    out.sequence.clear();
    out.indicators.clear();
}

SweepInput open_windowed_sweep_input(const std::vector<std::string>& paths, std::uint64_t window_timestamps) {
    auto windows = std::make_shared<RecordingWindows>(paths, window_timestamps);
    SweepInput input;
    input.recordings = windows->recordings();
    input.windows = std::move(windows);
    return input;
}

}  // namespace tapegrid
