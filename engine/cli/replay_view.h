// How a replay looks on the terminal: the side-by-side summary, the differences, the positions.
#pragma once

#include <ostream>

#include "engine/replay/session_replayer.h"

namespace tapegrid::cli {

void print_replay(std::ostream& out, const ReplayOutcome& outcome, const RecordingInfo& recording,
                  std::size_t positions_shown, std::size_t differences_shown);

}  // namespace tapegrid::cli
