// The sweep's indicator cache.
#include "engine/sweep/indicator_cache.h"

#include <tbb/parallel_for.h>

#include <algorithm>

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
    // A standard deviation is taken around the SMA of its period, when every group that reads
    // the deviation also reads that SMA: whichever task computes the deviation then holds the
    // SMA (acquired, not yet released), so it cannot be freed meanwhile.
    for (auto& [key, entry] : entries_) {
        if (key.kind != IndicatorKind::kStdDev) continue;
        const IndicatorKey sma{IndicatorKind::kSma, key.period};
        if (!entries_.contains(sma)) continue;
        bool always_together = true;
        for (const auto& group : plan.groups) {
            const bool reads_sd = std::find(group.keys.begin(), group.keys.end(), key) != group.keys.end();
            const bool reads_sma = std::find(group.keys.begin(), group.keys.end(), sma) != group.keys.end();
            always_together &= !reads_sd || reads_sma;
        }
        if (always_together) entry->means = sma;
    }
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
        const SymbolSeries* means = entry.means ? &acquire(*entry.means) : nullptr;
        entry.series.resize(symbols_.size());
        tbb::parallel_for(std::size_t{0}, symbols_.size(), [&](std::size_t s) {
            entry.series[s] = means != nullptr ? compute_standard_deviation(key, symbols_[s], (*means)[s])
                                               : compute_indicator(key, symbols_[s]);
        });
    });
    return entry.series;
}

void IndicatorCache::release(const IndicatorKey& key) {
    Entry& entry = *entries_.at(key);
    if (--entry.users == 0 && carried_ == nullptr) SymbolSeries().swap(entry.series);
}

}  // namespace tapegrid
