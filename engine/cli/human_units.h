// Counts and durations as people read them: "4.80 G", "1.2 s", "3.5 min".
#pragma once

#include <string>

namespace tapegrid::cli {

std::string human_count(double value);
std::string human_seconds(double seconds);

}  // namespace tapegrid::cli
