// The sweep's indicator cache.
#include "engine/sweep/indicator_cache.h"

#include <tbb/parallel_for.h>

#include "engine/core/errors.h"

namespace tapegrid {

IndicatorCache::IndicatorCache(const SweepPlan& plan, const std::vector<SymbolBars>& symbols, CarriedSeries* carried)
    : symbols_(symbols), carried_(carried) {
    for (const auto& key : plan.distinct_series) {
        auto entry = std::make_unique<Entry>();
        if (carried_ != nullptr)
            if (const auto found = carried_->find(key); found != carried_->end()) {
                entry->series = std::move(found->second);
                entry->carried = true;
                carried_->erase(found);
            }
        entries_.emplace(key, std::move(entry));
    }
    for (const auto& task : plan.tasks)
        for (const auto& key : plan.groups[task.group].keys) ++entries_.at(key)->users;
}

IndicatorCache::~IndicatorCache() {
    if (carried_ == nullptr) return;
    for (auto& [key, entry] : entries_)
        if (!entry->series.empty()) (*carried_)[key] = std::move(entry->series);
}

const SymbolSeries& IndicatorCache::acquire(const IndicatorKey& key) {
    Entry& entry = *entries_.at(key);
    if (entry.carried) return entry.series;  // set before the run, read only during it
    tbb::collaborative_call_once(entry.once, [&] {
        entry.series.resize(symbols_.size());
        tbb::parallel_for(std::size_t{0}, symbols_.size(),
                          [&](std::size_t s) { entry.series[s] = compute_indicator(key, symbols_[s]); });
    });
    return entry.series;
}

void IndicatorCache::release(const IndicatorKey& key) {
    Entry& entry = *entries_.at(key);
    if (--entry.users == 0 && carried_ == nullptr) SymbolSeries().swap(entry.series);
}

}  // namespace tapegrid
