// Human-readable counts and durations.
#include "engine/cli/human_units.h"

#include <fmt/format.h>

namespace tapegrid::cli {

std::string human_count(double value) {
    if (value >= 1e9) return fmt::format("{:.2f} G", value / 1e9);
    if (value >= 1e6) return fmt::format("{:.1f} M", value / 1e6);
    if (value >= 1e3) return fmt::format("{:.1f} k", value / 1e3);
    return fmt::format("{:.0f}", value);
}

std::string human_seconds(double seconds) {
    if (seconds < 1) return fmt::format("{:.0f} ms", seconds * 1000);
    if (seconds < 120) return fmt::format("{:.1f} s", seconds);
    if (seconds < 7200) return fmt::format("{:.1f} min", seconds / 60);
    return fmt::format("{:.1f} h", seconds / 3600);
}

}  // namespace tapegrid::cli
