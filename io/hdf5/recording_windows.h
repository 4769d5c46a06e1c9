// A sweep's recordings read a window of their timeline at a time (engine/replay/bar_windows.h):
// the path for recordings larger than memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/replay/bar_windows.h"
#include "engine/sweep/sweep_input.h"
#include "io/hdf5/recording_batch_reader.h"

namespace tapegrid {

// What a sweep's recordings would take in memory, from their metadata and column lengths (no
// row is read).
struct RecordingSizes {
    std::size_t symbols = 0;
    std::uint64_t bars = 0;
    std::uint64_t column_bytes = 0;  // every bar column, the recorded indicators included, as load_recording holds them
};
RecordingSizes measure_recordings(const std::vector<std::string>& paths);

class RecordingWindows : public BarWindowSource {
  public:
    // Opens every recording as load_recording does and checks every row of every symbol as it
    // does (a batch at a time, with its messages), then lays the windows out over their
    // timestamps (layout_windows). The symbols are side by side as merge_recordings names them.
    RecordingWindows(const std::vector<std::string>& paths, std::uint64_t window_timestamps);

    const std::vector<RecordingInfo>& recordings() const { return infos_; }
    const WindowLayout& layout() const override { return layout_; }
    void read(std::size_t symbol, std::uint64_t first, std::uint64_t count, SymbolBars& out) override;

  private:
    std::vector<std::unique_ptr<RecordingBatchReader>> files_;
    std::vector<RecordingInfo> infos_;
    std::vector<SymbolBatchReader> symbols_;
    std::vector<std::string> names_;
    WindowLayout layout_;
};

// The sweep's input read a window at a time (SweepInput::windows set, no bars in memory).
SweepInput open_windowed_sweep_input(const std::vector<std::string>& paths, std::uint64_t window_timestamps);

}  // namespace tapegrid
