// The paper feed.
#include "engine/live/paper_feed.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace tapegrid {

namespace {

struct FeedStep {
    std::int64_t sequence;
    std::size_t symbol, bar;
};

// The feed in recording order: by sequence across symbols (stable, so ties keep symbol order).
std::vector<FeedStep> recording_order(const std::vector<SymbolBars>& symbols) {
    std::vector<FeedStep> order;
    for (std::size_t s = 0; s < symbols.size(); ++s)
        for (std::size_t i = 0; i < symbols[s].size(); ++i) order.push_back({symbols[s].sequence[i], s, i});
    std::stable_sort(order.begin(), order.end(),
                     [](const FeedStep& a, const FeedStep& b) { return a.sequence < b.sequence; });
    return order;
}

}  // namespace

std::size_t feed_session(const std::vector<SymbolBars>& symbols, PaperSession& session, const FeedPacing& pacing,
                         const std::atomic<bool>& stop) {
    TimestampNs previous_time = 0;
    std::size_t fed = 0;
    for (const FeedStep& step : recording_order(symbols)) {
        if (stop.load()) break;
        const SymbolBars& bars = symbols[step.symbol];
        const TimestampNs time = bars.timestamp_ns[step.bar];
        if (pacing.speed > 0 && previous_time != 0 && time > previous_time) {
            const double wait_seconds = std::min(10.0, static_cast<double>(time - previous_time) / 1e9 / pacing.speed);
            std::this_thread::sleep_for(std::chrono::duration<double>(wait_seconds));
        }
        previous_time = time;
        session.on_bar(bars.symbol, time,
                       {bars.open[step.bar], bars.high[step.bar], bars.low[step.bar], bars.close[step.bar],
                        bars.volume[step.bar]});
        ++fed;
    }
    return fed;
}

}  // namespace tapegrid
