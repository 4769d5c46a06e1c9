// Loading a sweep's recordings.
#include "io/hdf5/sweep_input_loader.h"

#include "io/hdf5/recording_reader.h"
#include "io/hdf5/recording_windows.h"

namespace tapegrid {

SweepInput load_sweep_input(const std::vector<std::string>& recording_paths) {
    std::vector<Recording> recordings;
    recordings.reserve(recording_paths.size());
    for (const auto& path : recording_paths) recordings.push_back(load_recording(path, LoadOptions{.events = false}));
    return merge_recordings(std::move(recordings));
}

SweepInput open_sweep_input(const SweepSpec& spec, SweepRequest& request, std::uint64_t limit,
                            std::optional<std::uint64_t> forced_window) {
    const RecordingSizes sizes = measure_recordings(spec.recordings);
    request.memory = choose_memory_path(spec, InputSize{sizes.symbols, sizes.bars, sizes.column_bytes}, request.threads,
                                        limit, forced_window);
    return request.memory.windowed ? open_windowed_sweep_input(spec.recordings, request.memory.window_timestamps)
                                   : load_sweep_input(spec.recordings);
}

}  // namespace tapegrid
