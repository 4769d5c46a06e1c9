// Tiny, fixed recordings for the harnesses and their seed corpora: in memory and as files.
#pragma once

#include <cstddef>
#include <string>

#include "engine/core/recording.h"

namespace tapegrid::fuzz {

// `symbols` synthetic symbols of a dozen bars (SYN00, SYN01, ...; each after the first starts two
// bars later), an indicator with gaps on the first, and three events unless `events` is false.
// The id and times are fixed, so files made from it differ only where HDF5 puts its own times.
Recording make_tiny_recording(std::size_t symbols = 2, bool events = true);

// A completed recording, written with small chunks and sealed (what `tapegrid import` leaves).
void write_sealed_recording(const std::string& path, const Recording& recording);

// A recording whose writer was killed after a flush: status `recording`, no seal, no sidecar.
// A child process writes it and dies right after its last H5Fflush, closing nothing.
void write_killed_recording(const std::string& path, const Recording& recording);

}  // namespace tapegrid::fuzz
