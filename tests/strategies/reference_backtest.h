// A plain bar-by-bar backtester written from docs/STRATEGIES.md's execution rules (exit at a stop
// or target, the strategy's exit, the entry, the end of data; slippage and commission), the
// independent side of tests/strategies/strategy_definitions_test.cpp.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "engine/core/bars.h"
#include "engine/core/trade.h"
#include "tests/strategies/reference_strategy_rules.h"

namespace tapegrid::reference {

struct Costs {
    double quantity;
    double commission_per_share;
    double slippage_bps;
};

// Buys fill at price * (1 + (bps / 10000)), sells at price * (1 - (bps / 10000)).
inline double fill_price(double price, int side, const Costs& costs) {
    const double fraction = costs.slippage_bps / 10000;
    return side > 0 ? price * (1 + fraction) : price * (1 - fraction);
}

class ReferenceBacktest {
  public:
    ReferenceBacktest(const SymbolBars& bars, Costs costs) : bars_(bars), costs_(costs) {}

    std::vector<Trade> run(const Rules& rules) {
        for (std::size_t t = 0; t < bars_.size(); ++t) {
            // 1. A stop or target of a position opened on an earlier bar; the stop wins a bar
            // that touches both, and a gap through a level fills at the open.
            if (open_ && open_->entry_bar < t) exit_at_levels(t);
            // 2. The strategy's exit at the close.
            if (open_ && rules.exit_signal(t, open_->direction)) close(t, bars_.close[t], ExitReason::kSignal);
            // 3. An entry at the close, also right after an exit on this bar.
            if (!open_ && t >= rules.first_signal_bar) {
                if (const int direction = rules.entry(t); direction != 0) enter(t, direction, rules);
            }
        }
        // 4. End of data: at the last close, paying the exit's costs.
        if (open_) close(bars_.size() - 1, bars_.close.back(), ExitReason::kEndOfData);
        return std::move(trades_);
    }

  private:
    void exit_at_levels(std::size_t t) {
        const double open = bars_.open[t];
        const double stop = open_->stop_loss;
        const double target = open_->take_profit;
        if (open_->direction > 0) {
            if (bars_.low[t] <= stop) return close(t, std::min(open, stop), ExitReason::kStopLoss);
            if (bars_.high[t] >= target) return close(t, std::max(open, target), ExitReason::kTakeProfit);
        } else {
            if (bars_.high[t] >= stop) return close(t, std::max(open, stop), ExitReason::kStopLoss);
            if (bars_.low[t] <= target) return close(t, std::min(open, target), ExitReason::kTakeProfit);
        }
    }

    void enter(std::size_t t, int direction, const Rules& rules) {
        Trade trade;
        trade.symbol = bars_.symbol;
        trade.direction = direction;
        trade.entry_bar = t;
        trade.entry_time_ns = bars_.timestamp_ns[t];
        trade.entry_price = fill_price(bars_.close[t], direction, costs_);
        const Levels levels = rules.levels(t, direction, trade.entry_price);
        trade.stop_loss = levels.stop;
        trade.take_profit = levels.target;
        trade.quantity = costs_.quantity;
        open_ = trade;
    }

    void close(std::size_t t, double price, ExitReason reason) {
        Trade trade = *open_;
        const auto direction = static_cast<double>(trade.direction);
        trade.exit_bar = t;
        trade.exit_time_ns = bars_.timestamp_ns[t];
        trade.exit_price = fill_price(price, -trade.direction, costs_);
        // direction * (exit - entry) * quantity - 2 * commission_per_share * quantity, left to right.
        trade.pnl = direction * (trade.exit_price - trade.entry_price) * trade.quantity -
                    2 * costs_.commission_per_share * trade.quantity;
        trade.pnl_pct = direction * (trade.exit_price - trade.entry_price) / trade.entry_price * 100;
        trade.exit_reason = reason;
        trades_.push_back(std::move(trade));
        open_.reset();
    }

    const SymbolBars& bars_;
    Costs costs_;
    std::optional<Trade> open_;
    std::vector<Trade> trades_;
};

inline std::vector<Trade> reference_trades(const ParameterCase& c, const SymbolBars& bars, ReferenceSeries& series) {
    const DocumentedParams params(c);
    const Costs costs{params.number("position_size"), params.number("commission_per_share"),
                      params.number("slippage_bps")};
    return ReferenceBacktest(bars, costs).run(documented_rules(c, bars, series));
}

}  // namespace tapegrid::reference
