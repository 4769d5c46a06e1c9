// The machine's memory.
#include "engine/core/system_memory.h"

#include <fmt/format.h>
#include <unistd.h>

namespace tapegrid {

std::uint64_t physical_memory_bytes() {
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long page_size = ::sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page_size <= 0) return 0;
    return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size);
}

std::string human_bytes(double bytes) {
    if (bytes >= 0x1p50) return fmt::format("{:.1f} PiB", bytes / 0x1p50);
    if (bytes >= 0x1p40) return fmt::format("{:.1f} TiB", bytes / 0x1p40);
    if (bytes >= 0x1p30) return fmt::format("{:.1f} GiB", bytes / 0x1p30);
    if (bytes >= 0x1p20) return fmt::format("{:.0f} MiB", bytes / 0x1p20);
    return fmt::format("{:.0f} KiB", bytes / 0x1p10);
}

}  // namespace tapegrid
