// A trade sink that keeps every trade of lane 0, with times and prices, for a single replay.
#pragma once

#include <vector>

#include "engine/core/trade.h"
#include "engine/replay/replay_data.h"

namespace tapegrid {

class TradeRecorder {
public:
    static constexpr bool kActive = true;

    explicit TradeRecorder(const ReplayData& data) : data_(data), open_(data.symbols->size()) {}

    void set_symbol(std::size_t symbol) { symbol_ = symbol; }

    void entry(int lane, std::size_t bar, double fill, int direction, double stop, double target, double quantity) {
        if (lane != 0) return;
        const SymbolBars& bars = (*data_.symbols)[symbol_];
        Trade& trade = open_[symbol_];
        trade = Trade{};
        trade.symbol = bars.symbol;
        trade.direction = direction;
        trade.entry_bar = bar;
        trade.entry_time_ns = bars.timestamp_ns[bar];
        trade.entry_price = fill;
        trade.stop_loss = stop;
        trade.take_profit = target;
        trade.quantity = quantity;
    }

    void exit(int lane, std::size_t bar, double level, double fill, double pnl, double direction, ExitReason reason) {
        if (lane != 0) return;
        Trade trade = open_[symbol_];
        trade.exit_bar = bar;
        trade.exit_time_ns = (*data_.symbols)[symbol_].timestamp_ns[bar];
        trade.exit_price = fill;
        trade.exit_level = level;
        trade.pnl = pnl;
        trade.pnl_pct = direction * (fill - trade.entry_price) / trade.entry_price * 100.0;
        trade.exit_reason = reason;
        trades_.push_back(std::move(trade));
    }

    // Trades in the order they closed (chunk by chunk, symbol by symbol); sorted by the caller.
    std::vector<Trade>& trades() { return trades_; }

private:
    const ReplayData& data_;
    std::vector<Trade> open_;
    std::size_t symbol_ = 0;
    std::vector<Trade> trades_;
};

}  // namespace tapegrid
