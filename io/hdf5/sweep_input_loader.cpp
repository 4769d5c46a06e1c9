// Loading a sweep's recordings.
#include "io/hdf5/sweep_input_loader.h"

#include "io/hdf5/recording_reader.h"

namespace tapegrid {

SweepInput load_sweep_input(const std::vector<std::string>& recording_paths) {
    std::vector<Recording> recordings;
    recordings.reserve(recording_paths.size());
    for (const auto& path : recording_paths) recordings.push_back(load_recording(path, LoadOptions{.events = false}));
    return merge_recordings(std::move(recordings));
}

}  // namespace tapegrid
