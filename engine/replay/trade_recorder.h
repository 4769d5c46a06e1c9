// A trade sink that keeps every trade of lane 0, with times and prices, for a single replay.
#pragma once

#include <vector>

#include "engine/core/trade.h"
#include "engine/replay/replay_data.h"

namespace tapegrid {

class TradeRecorder {
  public:
    static constexpr bool kActive = true;

    explicit TradeRecorder(const ReplayData& data) : data_(&data), open_(data.symbols->size()) {}

    // A replay read a window at a time: the window's bars from here on (trades stay open across).
    void set_window(const ReplayData& data) { data_ = &data; }

    void set_symbol(std::size_t symbol) { symbol_ = symbol; }

    // `bar`: the window's index; trades keep the whole recording's.
    void entry(int lane, std::size_t bar, double fill, int direction, double stop, double target, double quantity) {
        if (lane != 0) return;
        const SymbolBars& bars = (*data_->symbols)[symbol_];
        open_[symbol_] =
            Trade::opened(bars.symbol, direction, bar + offset(), bars.timestamp_ns[bar], fill, stop, target, quantity);
    }

    void exit(int lane, std::size_t bar, double level, double fill, double pnl, double, ExitReason reason) {
        if (lane != 0) return;
        Trade trade = open_[symbol_];
        trade.close(bar + offset(), (*data_->symbols)[symbol_].timestamp_ns[bar], level, fill, pnl, reason);
        trades_.push_back(std::move(trade));
    }

    // Trades in the order they closed (chunk by chunk, symbol by symbol); sorted by the caller.
    std::vector<Trade>& trades() { return trades_; }

  private:
    std::size_t offset() const { return data_->bar_offset.empty() ? 0 : data_->bar_offset[symbol_]; }

    const ReplayData* data_;
    std::vector<Trade> open_;
    std::size_t symbol_ = 0;
    std::vector<Trade> trades_;
};

}  // namespace tapegrid
