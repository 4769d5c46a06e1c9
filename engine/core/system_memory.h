// How much memory this machine has, for checks made before large allocations.
#pragma once

#include <cstdint>
#include <string>

namespace tapegrid {

// Physical memory in bytes (sysconf), or 0 when the system does not say.
std::uint64_t physical_memory_bytes();

// "24.0 GiB", "512 MiB": a size as a person reads it.
std::string human_bytes(double bytes);

}  // namespace tapegrid
