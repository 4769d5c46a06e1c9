// Indicator series shared by a sweep's tasks: each computed once, freed when its last user is done.
#pragma once

#include <tbb/collaborative_call_once.h>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "engine/replay/group_series.h"
#include "engine/sweep/sweep_plan.h"

namespace tapegrid {

// Series kept from one run of the graph to the next (a search's batches read the same series again).
using CarriedSeries = std::map<IndicatorKey, SymbolSeries>;

class IndicatorCache {
  public:
    // Counts, for every distinct series, the tasks that read it. With `carried`, the series it
    // holds are taken instead of computed, none is freed during the run, and every series goes
    // back into it at the end.
    IndicatorCache(const SweepPlan& plan, const std::vector<SymbolBars>& symbols, CarriedSeries* carried = nullptr);
    ~IndicatorCache();
    IndicatorCache(const IndicatorCache&) = delete;
    IndicatorCache& operator=(const IndicatorCache&) = delete;

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
        bool carried = false;               // taken from the carried series: computed already
        std::optional<IndicatorKey> means;  // a deviation's SMA, computed once for both
    };
    const std::vector<SymbolBars>& symbols_;
    CarriedSeries* carried_;
    std::map<IndicatorKey, std::unique_ptr<Entry>> entries_;  // fixed before the run: read without locks
};

}  // namespace tapegrid
