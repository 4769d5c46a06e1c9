// A closed trade (a position from entry to exit) and why it closed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/timestamp.h"

namespace tapegrid {

enum class ExitReason : std::uint8_t { kStopLoss, kTakeProfit, kSignal, kEndOfData };

constexpr std::string_view to_string(ExitReason reason) {
    switch (reason) {
        case ExitReason::kStopLoss:
            return "stop_loss";
        case ExitReason::kTakeProfit:
            return "take_profit";
        case ExitReason::kSignal:
            return "signal";
        case ExitReason::kEndOfData:
            return "end_of_data";
    }
    return "unknown";
}

constexpr std::optional<ExitReason> parse_exit_reason(std::string_view text) {
    for (auto reason : {ExitReason::kStopLoss, ExitReason::kTakeProfit, ExitReason::kSignal, ExitReason::kEndOfData})
        if (to_string(reason) == text) return reason;
    return std::nullopt;
}

struct Trade {
    std::string symbol;
    int direction = 1;  // +1 long, -1 short
    TimestampNs entry_time_ns = 0;
    TimestampNs exit_time_ns = 0;
    std::size_t entry_bar = 0;  // the symbol's bar index
    std::size_t exit_bar = 0;
    double entry_price = 0.0;  // fills, slippage included
    double exit_price = 0.0;
    double exit_level = 0.0;  // the price the exit triggered at, before slippage
    double stop_loss = 0.0;   // the levels set at entry
    double take_profit = 0.0;
    double quantity = 0.0;
    double pnl = 0.0;      // direction * (exit - entry) * quantity - commissions
    double pnl_pct = 0.0;  // direction * (exit - entry) / entry * 100
    ExitReason exit_reason = ExitReason::kEndOfData;

    std::string direction_name() const { return direction > 0 ? "LONG" : "SHORT"; }
    std::size_t duration_bars() const { return exit_bar - entry_bar; }

    // The entry a trade sink is told of (engine/replay/execution.h).
    static Trade opened(std::string symbol, int direction, std::size_t bar, TimestampNs time, double fill, double stop,
                        double target, double quantity) {
        Trade trade;
        trade.symbol = std::move(symbol);
        trade.direction = direction;
        trade.entry_bar = bar;
        trade.entry_time_ns = time;
        trade.entry_price = fill;
        trade.stop_loss = stop;
        trade.take_profit = target;
        trade.quantity = quantity;
        return trade;
    }

    // Completes the trade with its exit: one formula for pnl_pct wherever trades are kept, so
    // that a replay reproduces a live session's events to the bit.
    void close(std::size_t bar, TimestampNs time, double level, double fill, double trade_pnl, ExitReason reason) {
        exit_bar = bar;
        exit_time_ns = time;
        exit_level = level;
        exit_price = fill;
        pnl = trade_pnl;
        pnl_pct = static_cast<double>(direction) * (fill - entry_price) / entry_price * 100.0;
        exit_reason = reason;
    }
};

}  // namespace tapegrid
