// Building the union timeline.
#include "engine/replay/timeline.h"

#include <algorithm>

#include "engine/core/errors.h"

namespace tapegrid {

namespace {

// The k-way merge's heap: each symbol's next timestamp, the smallest on top.
struct Head {
    TimestampNs time;
    std::uint32_t symbol;
};

// Restores the heap below `slot` after its entry grew (its symbol moved to a later bar).
void sift_down(std::vector<Head>& heap, std::size_t slot) {
    const std::size_t size = heap.size();
    const Head moving = heap[slot];
    for (;;) {
        std::size_t child = 2 * slot + 1;
        if (child >= size) break;
        if (child + 1 < size && heap[child + 1].time < heap[child].time) ++child;
        if (heap[child].time >= moving.time) break;
        heap[slot] = heap[child];
        slot = child;
    }
    heap[slot] = moving;
}

}  // namespace

// The symbols' timestamps are each sorted (validated at load): merging them takes O(n log k) for
// n bars of k symbols, where sorting the concatenation took O(n log n) and a second pass to place
// each bar. Each bar's position is set as the merge passes it.
Timeline build_timeline(const std::vector<SymbolBars>& symbols, std::optional<TimestampNs> from) {
    Timeline timeline;
    std::size_t total = 0;
    for (const auto& bars : symbols) total += bars.size();
    timeline.timestamps.reserve(total);
    timeline.position_of_bar.resize(symbols.size());
    std::vector<std::size_t> cursor(symbols.size(), 0);
    std::vector<Head> heap;
    heap.reserve(symbols.size());
    for (std::size_t s = 0; s < symbols.size(); ++s) {
        const auto& times = symbols[s].timestamp_ns;
        // Bars before `from` are not on the timeline: position 0, never read.
        timeline.position_of_bar[s].assign(times.size(), 0);
        if (from)
            cursor[s] = static_cast<std::size_t>(std::lower_bound(times.begin(), times.end(), *from) - times.begin());
        if (cursor[s] < times.size()) heap.push_back({times[cursor[s]], static_cast<std::uint32_t>(s)});
    }
    std::make_heap(heap.begin(), heap.end(), [](const Head& a, const Head& b) { return a.time > b.time; });
    while (!heap.empty()) {
        const Head head = heap.front();
        auto& timestamps = timeline.timestamps;
        if (timestamps.empty() || timestamps.back() != head.time) timestamps.push_back(head.time);
        const auto& times = symbols[head.symbol].timestamp_ns;
        std::size_t& bar = cursor[head.symbol];
        timeline.position_of_bar[head.symbol][bar] = static_cast<std::uint32_t>(timestamps.size() - 1);
        if (++bar < times.size()) {
            heap.front().time = times[bar];
        } else {
            heap.front() = heap.back();
            heap.pop_back();
        }
        if (!heap.empty()) sift_down(heap, 0);
    }
    if (timeline.timestamps.size() > UINT32_MAX) throw UserError("more than 4 billion distinct timestamps");
    return timeline;
}

double infer_periods_per_year(const Timeline& timeline) {
    if (timeline.timestamps.empty()) return 252.0;
    std::size_t days = 0;
    std::int64_t previous_day = INT64_MIN;
    for (const TimestampNs t : timeline.timestamps) {
        const std::int64_t day = t >= 0 ? t / kNsPerDay : (t - kNsPerDay + 1) / kNsPerDay;
        if (day != previous_day) ++days;
        previous_day = day;
    }
    return 252.0 * static_cast<double>(timeline.timestamps.size()) / static_cast<double>(days);
}

}  // namespace tapegrid
