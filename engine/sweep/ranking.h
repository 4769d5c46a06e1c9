// Ranking sweep rows: by metrics with tie-breakers, after filters, keeping the best K.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/core/metric_names.h"
#include "engine/sweep/expression.h"

namespace tapegrid {

struct RankKey {
    Metric metric = Metric::kSharpeRatio;
    bool descending = true;
};

struct RankSpec {
    std::vector<RankKey> keys;       // the first decides, the next break ties; then the combination index
    std::vector<Condition> filters;  // over metric values (indexed as kAllMetrics)
    std::int64_t min_trades = 0;
    std::size_t top = 10;
};

struct SweepRow {
    std::uint64_t combination = 0;  // the grid index
    ReplayMetrics metrics;
};

// True when `a` ranks before `b`.
bool ranks_before(const RankSpec& spec, const SweepRow& a, const SweepRow& b);

// Whether a row may be ranked at all (min_trades and the filters).
bool passes_filters(const RankSpec& spec, const ReplayMetrics& metrics);

// Keeps the best `spec.top` rows seen, and counts how many passing rows rank before a
// reference row (the recording's original parameters), to give its rank.
class TopRows {
  public:
    explicit TopRows(const RankSpec& spec) : spec_(&spec) {}

    void set_reference(const SweepRow& reference) { reference_ = reference, has_reference_ = true; }
    void add(const SweepRow& row);

    // Best first.
    std::vector<SweepRow> best() const;
    std::uint64_t ranked_rows() const { return ranked_; }
    // 1 + the passing rows that rank before the reference (0 when there is none).
    std::uint64_t reference_rank() const { return has_reference_ ? ahead_of_reference_ + 1 : 0; }

    // What a checkpoint keeps, so that a resumed sweep ranks on from where it stopped.
    struct State {
        std::vector<SweepRow> kept;
        std::uint64_t ranked = 0;
        std::uint64_t ahead_of_reference = 0;
    };
    State state() const { return {heap_, ranked_, ahead_of_reference_}; }
    void restore(const State& state);

  private:
    const RankSpec* spec_;
    std::vector<SweepRow> heap_;  // a max-heap by rank: the worst kept row on top
    SweepRow reference_;
    bool has_reference_ = false;
    std::uint64_t ahead_of_reference_ = 0;
    std::uint64_t ranked_ = 0;
};

}  // namespace tapegrid
