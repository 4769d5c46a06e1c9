// Feeds recorded or generated bars to a paper session as a live feed would: in recording order,
// optionally paced by their timestamps, until the feed ends or a stop is requested.
#pragma once

#include <atomic>
#include <cstddef>
#include <vector>

#include "engine/core/bars.h"
#include "engine/live/paper_session.h"

namespace tapegrid {

struct FeedPacing {
    // Replay the feed this many times faster than its timestamps (0: as fast as possible). A
    // wait is capped at 10 s, so that gaps (nights, weekends) do not stall a demo.
    double speed = 0.0;
};

// Every bar of every symbol, by sequence across symbols, into `session`; returns how many were
// fed. Stops early, between two bars, once `stop` is set. Does not call session.finish().
std::size_t feed_session(const std::vector<SymbolBars>& symbols, PaperSession& session, const FeedPacing& pacing,
                         const std::atomic<bool>& stop);

}  // namespace tapegrid
