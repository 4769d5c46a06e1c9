// Indicator series shared by a sweep's tasks: each computed once, freed when its last user is done.
#pragma once

#include <tbb/collaborative_call_once.h>

#include <atomic>
#include <map>
#include <memory>
#include <vector>

#include "engine/replay/group_series.h"
#include "engine/sweep/sweep_plan.h"

namespace tapegrid {

class IndicatorCache {
  public:
    // Counts, for every distinct series, the tasks that read it.
    IndicatorCache(const SweepPlan& plan, const std::vector<SymbolBars>& symbols);

    // The series of `key`, computed by the first caller, its symbols in parallel; concurrent
    // callers join that work instead of blocking their thread (collaborative_call_once).
    const SymbolSeries& acquire(const IndicatorKey& key);
    // One task is done with `key`; the last one frees it.
    void release(const IndicatorKey& key);

  private:
    struct Entry {
        tbb::collaborative_once_flag once;
        SymbolSeries series;
        std::atomic<std::int64_t> users{0};
    };
    const std::vector<SymbolBars>& symbols_;
    std::map<IndicatorKey, std::unique_ptr<Entry>> entries_;  // fixed before the run: read without locks
};

}  // namespace tapegrid
