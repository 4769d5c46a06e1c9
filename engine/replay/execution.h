// One bar of one symbol for L combinations at once: exits, entries, costs and mark-to-market.
//
// The rules, in order (docs/STRATEGIES.md, "Execution"):
// 1. A position opened on an earlier bar exits at its stop if low <= stop (long), filled at
//    min(open, stop): a gap through the stop fills at the open. Otherwise at its target if
//    high >= target, filled at max(open, target). A bar that touches both exits at the stop:
//    the conservative reading, since a bar does not say which level it touched first.
// 2. A strategy with an exit signal closes a remaining position at the close.
// 3. A flat lane (also one that just exited) enters at the close when the strategy says so.
// 4. On the symbol's last bar, a position still open closes at the close (end_of_data).
// Fills pay slippage (buys higher, sells lower) and a commission per share on each side.
#pragma once

#include <array>
#include <cstddef>

#include "engine/core/lanes.h"
#include "engine/core/trade.h"
#include "strategies/strategy_contract.h"

namespace tapegrid {

// One symbol's position in each lane.
template <int L>
struct PositionLanes {
    using V = typename Lanes<L>::Doubles;
    V direction{};  // +1 long, -1 short, 0 flat
    V entry{};      // entry fill
    V stop{};
    V target{};
    V realized{};  // pnl of this symbol's closed trades
    V value{};     // realized + unrealized at the last close seen
};

// Per lane totals over all symbols.
template <int L>
struct TradeTotalsLanes {
    using V = typename Lanes<L>::Doubles;
    V trades{}, wins{}, gross_profit{}, gross_loss{}, pnl{}, bars_held{};
};

template <int L>
struct CostLanes {
    using V = typename Lanes<L>::Doubles;
    V quantity{}, commission{}, buy_factor{}, sell_factor{};
};

template <int L>
CostLanes<L> cost_lanes(const std::array<const ParamSet*, L>& sets, std::size_t common_offset) {
    CostLanes<L> costs;
    for (int l = 0; l < L; ++l) {
        const ParamSet& p = *sets[l];
        costs.quantity[l] = p[common_offset + kPositionSize];
        costs.commission[l] = p[common_offset + kCommissionPerShare];
        costs.buy_factor[l] = 1.0 + p[common_offset + kSlippageBps] / 10000.0;
        costs.sell_factor[l] = 1.0 - p[common_offset + kSlippageBps] / 10000.0;
    }
    return costs;
}

// Receives the trades of a replay as they happen. NullTradeSink compiles to nothing; a sink
// with kActive = true is told of every entry and exit, lane by lane, with the symbol set
// beforehand (set_symbol). An exit reports its level (the stop, target or close it was
// triggered at, a gap's open) and its fill (the level after slippage).
struct NullTradeSink {
    static constexpr bool kActive = false;
    void entry(int, std::size_t, double, int, double, double, double) {}
    void exit(int, std::size_t, double, double, double, double, ExitReason) {}
};

template <class Strategy, int L, class Sink>
class BarStep {
  public:
    using X = Lanes<L>;
    using V = typename X::Doubles;
    using M = typename X::Mask;

    // Runs the rules above for bar `bar_index` and returns, per lane, the change in the
    // symbol's value (realized + unrealized pnl) since the previous bar: what the bar adds to
    // the portfolio's equity.
    static V run(const BarPrices& bar, const typename Strategy::BarInputs& inputs,
                 const typename Strategy::template LaneParams<L>& params, const CostLanes<L>& costs,
                 PositionLanes<L>& position, TradeTotalsLanes<L>& totals, bool last_bar, std::size_t bar_index,
                 Sink& sink) {
        const V open = X::splat(bar.open), high = X::splat(bar.high), low = X::splat(bar.low);
        const V close = X::splat(bar.close);

        // 1. Stop and target of positions opened on earlier bars.
        const M is_long = position.direction > 0.0;
        const M is_short = position.direction < 0.0;
        const M stop_hit = (is_long & (low <= position.stop)) | (is_short & (high >= position.stop));
        const M target_hit =
            ~stop_hit & ((is_long & (high >= position.target)) | (is_short & (low <= position.target)));
        const V stop_fill = is_long ? X::min(open, position.stop) : X::max(open, position.stop);
        const V target_fill = is_long ? X::max(open, position.target) : X::min(open, position.target);
        if (X::any(stop_hit | target_hit)) {
            close_positions(stop_hit, stop_fill, ExitReason::kStopLoss, costs, position, totals, bar_index, sink);
            close_positions(target_hit, target_fill, ExitReason::kTakeProfit, costs, position, totals, bar_index, sink);
        }

        // 2. The strategy's own exit, at the close.
        if constexpr (HasExitSignal<Strategy, L>) {
            const M signal = (position.direction != 0.0) &
                             Strategy::template exit_signal<L>(bar, inputs, params, position.direction);
            close_positions(signal, close, ExitReason::kSignal, costs, position, totals, bar_index, sink);
        }

        // 3. Entries at the close.
        const EntrySignals<L> signals = Strategy::template entry_signals<L>(bar, inputs, params);
        const M entering = (position.direction == 0.0) & (signals.go_long | signals.go_short);
        if (X::any(entering)) {
            const V wanted = signals.go_long ? X::splat(1.0) : X::splat(-1.0);
            const V fill = wanted > 0.0 ? close * costs.buy_factor : close * costs.sell_factor;
            V stop, target;
            Strategy::template entry_levels<L>(fill, wanted, bar, inputs, params, stop, target);
            position.direction = entering ? wanted : position.direction;
            position.entry = entering ? fill : position.entry;
            position.stop = entering ? stop : position.stop;
            position.target = entering ? target : position.target;
            if constexpr (Sink::kActive) {
                for (int lane = 0; lane < L; ++lane)
                    if (entering[lane])
                        sink.entry(lane, bar_index, fill[lane], static_cast<int>(wanted[lane]), stop[lane],
                                   target[lane], costs.quantity[lane]);
            }
        }

        // 4. The end of the symbol's data.
        if (last_bar)
            close_positions(position.direction != 0.0, close, ExitReason::kEndOfData, costs, position, totals,
                            bar_index, sink);

        // Mark to market: the entry commission is already paid; the exit's is not yet.
        const M held = position.direction != 0.0;
        const V unrealized =
            position.direction * (close - position.entry) * costs.quantity - costs.commission * costs.quantity;
        const V value = held ? position.realized + unrealized : position.realized;
        const V change = value - position.value;
        position.value = value;
        totals.bars_held += X::ones(held);
        return change;
    }

    // Closes every open position at the close: what a live session does when its feed ends,
    // as a replay does on a symbol's last bar.
    static void end_of_data(const BarPrices& bar, const CostLanes<L>& costs, PositionLanes<L>& position,
                            TradeTotalsLanes<L>& totals, std::size_t bar_index, Sink& sink) {
        close_positions(position.direction != 0.0, X::splat(bar.close), ExitReason::kEndOfData, costs, position, totals,
                        bar_index, sink);
    }

  private:
    // Closes the lanes of `closing` at `level` (before slippage).
    static void close_positions(M closing, V level, ExitReason reason, const CostLanes<L>& costs,
                                PositionLanes<L>& position, TradeTotalsLanes<L>& totals, std::size_t bar_index,
                                Sink& sink) {
        if (!X::any(closing)) return;
        const V fill = position.direction > 0.0 ? level * costs.sell_factor : level * costs.buy_factor;
        const V pnl =
            position.direction * (fill - position.entry) * costs.quantity - 2.0 * costs.commission * costs.quantity;
        const V zero = X::splat(0.0);
        const M won = closing & (pnl > 0.0);
        totals.trades += X::ones(closing);
        totals.wins += X::ones(won);
        totals.gross_profit += won ? pnl : zero;
        totals.gross_loss += (closing & ~won) ? -pnl : zero;
        totals.pnl += closing ? pnl : zero;
        position.realized += closing ? pnl : zero;
        if constexpr (Sink::kActive) {
            for (int lane = 0; lane < L; ++lane)
                if (closing[lane])
                    sink.exit(lane, bar_index, level[lane], fill[lane], pnl[lane], position.direction[lane], reason);
        }
        position.direction = closing ? zero : position.direction;
    }
};

}  // namespace tapegrid
