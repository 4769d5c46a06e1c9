// L parameter combinations of one strategy that share indicator series, replayed together.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <span>
#include <vector>

#include "engine/core/metrics.h"
#include "engine/core/params.h"
#include "engine/replay/equity_stats.h"
#include "engine/replay/execution.h"
#include "engine/replay/replay_data.h"

namespace tapegrid {

// The indicator columns one group of combinations reads, per symbol, in the order the
// strategy's inputs() expects them; owned elsewhere (a replay, or a sweep's cache).
template <std::size_t kColumns>
struct GroupColumns {
    std::vector<SeriesColumns<kColumns>> per_symbol;
    std::size_t first_signal_bar = 0;
};

template <class Strategy, int L>
class LaneBlock {
  public:
    // `sets` holds up to L combinations; missing lanes repeat the last one (their results are
    // computed and ignored).
    // `blocking`: how the returns are cut into blocks whose sums block_returns() gives.
    LaneBlock(std::span<const ParamSet* const> sets, std::size_t symbol_count, const ReturnBlocking& blocking = {})
        : active_(static_cast<int>(sets.size())),
          params_(pad(sets)),
          lanes_(Strategy::template lane_params<L>(params_)),
          costs_(cost_lanes<L>(params_, kCommonOffset<Strategy>)),
          positions_(symbol_count),
          equity_(initial_capital(params_), blocking) {}

    int active_lanes() const { return active_; }

    // Lane 0's per-bar returns are appended to `returns` as the chunks run.
    void record_returns(std::vector<double>* returns) { equity_.record_returns(returns); }

    // Lane `lane`'s per-block sums, then sums of squared returns, appended (once every chunk has run).
    void block_returns(int lane, std::vector<double>& out) const { equity_.block_returns(lane, out); }

    // The replay's figures for lane `lane` once every chunk has run.
    ReplayMetrics metrics(int lane, const ReplayData& data) const {
        ReplayMetrics m;
        m.total_trades = static_cast<std::int64_t>(totals_.trades[lane]);
        m.winning_trades = static_cast<std::int64_t>(totals_.wins[lane]);
        m.losing_trades = m.total_trades - m.winning_trades;
        m.win_rate = m.total_trades > 0
                         ? 100.0 * static_cast<double>(m.winning_trades) / static_cast<double>(m.total_trades)
                         : 0.0;
        m.total_pnl = totals_.pnl[lane];
        m.gross_profit = totals_.gross_profit[lane];
        m.gross_loss = totals_.gross_loss[lane];
        m.profit_factor = m.gross_loss > 0.0 ? m.gross_profit / m.gross_loss
                                             : (m.gross_profit > 0.0 ? std::numeric_limits<double>::infinity() : 0.0);
        m.average_trade = m.total_trades > 0 ? m.total_pnl / static_cast<double>(m.total_trades) : 0.0;
        m.exposure_pct =
            data.total_bars > 0 ? 100.0 * totals_.bars_held[lane] / static_cast<double>(data.total_bars) : 0.0;
        equity_.finish(lane, data.periods_per_year, m);
        return m;
    }

    // Runs every bar of chunk `chunk` for this block; `changes` is scratch for kTimelineChunk lanes vectors.
    template <class Sink, std::size_t kColumns>
    void run_chunk(const ReplayData& data, const GroupColumns<kColumns>& columns, std::size_t chunk,
                   typename Lanes<L>::Doubles* changes, Sink& sink) {
        const std::size_t first_time = chunk * kTimelineChunk;
        const std::size_t times = std::min(kTimelineChunk, data.timeline.size() - first_time);
        std::fill(changes, changes + times, typename Lanes<L>::Doubles{});
        const auto& symbols = *data.symbols;
        for (std::size_t s = 0; s < symbols.size(); ++s) {
            const SymbolBars& bars = symbols[s];
            // In a window, bar indices are the window's: the warm-up and the last bar are the
            // whole recording's, moved by the window's offset (the last may lie beyond it).
            const std::size_t offset = data.bar_offset.empty() ? 0 : data.bar_offset[s];
            const std::size_t warm_up = columns.first_signal_bar > offset ? columns.first_signal_bar - offset : 0;
            const std::size_t begin = std::max<std::size_t>(data.chunk_first_bar[s][chunk], warm_up);
            const std::size_t end = data.chunk_first_bar[s][chunk + 1];
            if (begin >= end) continue;
            if constexpr (Sink::kActive) sink.set_symbol(s);
            const std::size_t last = data.last_bar.empty() ? bars.size() - 1 : data.last_bar[s] - offset;
            const std::uint32_t* position = data.timeline.position_of_bar[s].data();
            const SeriesColumns<kColumns>& series = columns.per_symbol[s];
            // The symbol's position and the totals as locals over the bar loop: as members they
            // would be stored and reloaded at every bar, since the compiler cannot tell them
            // apart from the changes the loop writes.
            PositionLanes<L> symbol_position = positions_[s];
            TradeTotalsLanes<L> totals = totals_;
            for (std::size_t i = begin; i < end; ++i) {
                const BarPrices bar{bars.open[i], bars.high[i], bars.low[i], bars.close[i], bars.volume[i]};
                const auto change = BarStep<Strategy, L, Sink>::run(bar, Strategy::inputs(series, i), lanes_, costs_,
                                                                    symbol_position, totals, i == last, i, sink);
                changes[position[i] - first_time] += change;
            }
            positions_[s] = symbol_position;
            totals_ = totals;
        }
        equity_.add_chunk(changes, times);
    }

  private:
    static std::array<const ParamSet*, L> pad(std::span<const ParamSet* const> sets) {
        std::array<const ParamSet*, L> padded{};
        for (int l = 0; l < L; ++l) padded[l] = sets[std::min<std::size_t>(l, sets.size() - 1)];
        return padded;
    }

    static typename EquityStats<L>::Row initial_capital(const std::array<const ParamSet*, L>& sets) {
        typename EquityStats<L>::Row capital;
        for (int l = 0; l < L; ++l) capital[l] = (*sets[l])[kCommonOffset<Strategy> + kInitialCapital];
        return capital;
    }

    int active_;
    std::array<const ParamSet*, L> params_;
    typename Strategy::template LaneParams<L> lanes_;
    CostLanes<L> costs_;
    std::vector<PositionLanes<L>> positions_;
    TradeTotalsLanes<L> totals_;
    EquityStats<L> equity_;
};

}  // namespace tapegrid
