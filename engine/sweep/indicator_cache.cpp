// The sweep's indicator cache.
#include "engine/sweep/indicator_cache.h"

#include <tbb/parallel_for.h>

#include "engine/core/errors.h"

namespace tapegrid {

IndicatorCache::IndicatorCache(const SweepPlan& plan, const std::vector<SymbolBars>& symbols) : symbols_(symbols) {
    for (const auto& key : plan.distinct_series) entries_.emplace(key, std::make_unique<Entry>());
    for (const auto& task : plan.tasks)
        for (const auto& key : plan.groups[task.group].keys) ++entries_.at(key)->users;
}

const SymbolSeries& IndicatorCache::acquire(const IndicatorKey& key) {
    Entry& entry = *entries_.at(key);
    tbb::collaborative_call_once(entry.once, [&] {
        entry.series.resize(symbols_.size());
        tbb::parallel_for(std::size_t{0}, symbols_.size(),
                          [&](std::size_t s) { entry.series[s] = compute_indicator(key, symbols_[s]); });
    });
    return entry.series;
}

void IndicatorCache::release(const IndicatorKey& key) {
    Entry& entry = *entries_.at(key);
    if (--entry.users == 0) SymbolSeries().swap(entry.series);
}

}  // namespace tapegrid
