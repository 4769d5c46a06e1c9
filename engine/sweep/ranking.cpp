// Ranking rows.
#include "engine/sweep/ranking.h"

#include <algorithm>

namespace tapegrid {

bool ranks_before(const RankSpec& spec, const SweepRow& a, const SweepRow& b) {
    for (const RankKey& key : spec.keys) {
        const double x = metric_value(a.metrics, key.metric);
        const double y = metric_value(b.metrics, key.metric);
        if (x != y) return key.descending ? x > y : x < y;
    }
    return a.combination < b.combination;
}

bool passes_filters(const RankSpec& spec, const ReplayMetrics& metrics) {
    if (metrics.total_trades < spec.min_trades) return false;
    if (spec.filters.empty()) return true;
    double values[kAllMetrics.size()];
    for (std::size_t i = 0; i < kAllMetrics.size(); ++i) values[i] = metric_value(metrics, kAllMetrics[i]);
    for (const auto& filter : spec.filters)
        if (!filter.holds(values)) return false;
    return true;
}

void TopRows::add(const SweepRow& row) {
    if (!passes_filters(*spec_, row.metrics)) return;
    ++ranked_;
    if (has_reference_ && row.combination != reference_.combination && ranks_before(*spec_, row, reference_))
        ++ahead_of_reference_;
    const auto worse_on_top = [this](const SweepRow& a, const SweepRow& b) { return ranks_before(*spec_, a, b); };
    if (heap_.size() < spec_->top) {
        heap_.push_back(row);
        std::push_heap(heap_.begin(), heap_.end(), worse_on_top);
    } else if (!heap_.empty() && ranks_before(*spec_, row, heap_.front())) {
        std::pop_heap(heap_.begin(), heap_.end(), worse_on_top);
        heap_.back() = row;
        std::push_heap(heap_.begin(), heap_.end(), worse_on_top);
    }
}

void TopRows::restore(const State& state) {
    heap_ = state.kept;
    ranked_ = state.ranked;
    ahead_of_reference_ = state.ahead_of_reference;
    std::make_heap(heap_.begin(), heap_.end(),
                   [this](const SweepRow& a, const SweepRow& b) { return ranks_before(*spec_, a, b); });
}

std::vector<SweepRow> TopRows::best() const {
    std::vector<SweepRow> rows = heap_;
    std::sort(rows.begin(), rows.end(),
              [this](const SweepRow& a, const SweepRow& b) { return ranks_before(*spec_, a, b); });
    return rows;
}

}  // namespace tapegrid
