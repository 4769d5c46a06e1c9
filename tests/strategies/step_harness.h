// Drives one strategy's bar step by hand: chosen prices and indicator inputs in, trades out.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/replay/execution.h"
#include "strategies/registry.h"

namespace tapegrid::testing {

struct ExitRecord {
    std::size_t bar;
    double level, fill, pnl;
    ExitReason reason;
};

struct EntryRecord {
    std::size_t bar;
    double fill;
    int direction;
    double stop, target, quantity;
};

// Keeps lane 0's entries and exits.
struct RecordingSink {
    static constexpr bool kActive = true;
    std::vector<EntryRecord> entries;
    std::vector<ExitRecord> exits;
    void set_symbol(std::size_t) {}
    void entry(int lane, std::size_t bar, double fill, int direction, double stop, double target, double quantity) {
        if (lane == 0) entries.push_back({bar, fill, direction, stop, target, quantity});
    }
    void exit(int lane, std::size_t bar, double level, double fill, double pnl, double, ExitReason reason) {
        if (lane == 0) exits.push_back({bar, level, fill, pnl, reason});
    }
};

template <class Strategy>
class StepHarness {
  public:
    StepHarness(std::initializer_list<std::pair<const char*, const char*>> overrides = {})
        : params_(apply_overrides(strategy_info<Strategy>(), default_params(strategy_info<Strategy>().params),
                                  std::vector<std::pair<std::string, std::string>>(overrides.begin(), overrides.end()),
                                  "test")) {
        const std::array<const ParamSet*, 2> sets{&params_, &params_};
        lanes_ = Strategy::template lane_params<2>(sets);
        costs_ = cost_lanes<2>(sets, kCommonOffset<Strategy>);
    }

    // One bar; returns the change in the symbol's value (lane 0).
    double bar(double open, double high, double low, double close, const typename Strategy::BarInputs& inputs,
               bool last = false, double volume = 1000.0) {
        const BarPrices prices{open, high, low, close, volume};
        const auto change = BarStep<Strategy, 2, RecordingSink>::run(prices, inputs, lanes_, costs_, position_, totals_,
                                                                     last, index_++, sink_);
        return change[0];
    }

    const RecordingSink& sink() const { return sink_; }
    const TradeTotalsLanes<2>& totals() const { return totals_; }
    double direction() const { return position_.direction[0]; }
    double stop() const { return position_.stop[0]; }
    double target() const { return position_.target[0]; }
    const ParamSet& params() const { return params_; }

  private:
    ParamSet params_;
    typename Strategy::template LaneParams<2> lanes_{};
    CostLanes<2> costs_{};
    PositionLanes<2> position_;
    TradeTotalsLanes<2> totals_;
    RecordingSink sink_;
    std::size_t index_ = 0;
};

}  // namespace tapegrid::testing
