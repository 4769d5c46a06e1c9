// The scalar reference sweep: the union timeline, the indicator series, then one combination at a
// time, symbol by symbol.
#include "bench/reference_kernel.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "engine/indicators/indicator_key.h"
#include "engine/indicators/streaming_indicator.h"
#include "engine/replay/replay_data.h"

namespace tapegrid::bench {
namespace {

constexpr double kPositionSize = 10.0;
constexpr double kInitialCapital = 100000.0;

// Each bar's position on the union of the symbols' timestamps: position[s][i] is the index of
// symbol s's bar i's timestamp in the sorted union, where its change in value is added up.
struct UnionTimeline {
    std::vector<std::vector<std::uint32_t>> position;
    std::size_t timestamps = 0;
};

UnionTimeline build_union_timeline(const std::vector<SymbolBars>& symbols) {
    std::size_t total = 0;
    for (const auto& bars : symbols) total += bars.size();
    std::vector<TimestampNs> times;
    times.reserve(total);
    for (const auto& bars : symbols) times.insert(times.end(), bars.timestamp_ns.begin(), bars.timestamp_ns.end());
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());

    // Found by walking the symbol's sorted timestamps along the union.
    UnionTimeline timeline;
    timeline.timestamps = times.size();
    timeline.position.resize(symbols.size());
    for (std::size_t s = 0; s < symbols.size(); ++s) {
        std::vector<std::uint32_t>& position = timeline.position[s];
        position.reserve(symbols[s].size());
        std::size_t t = 0;
        for (const TimestampNs time : symbols[s].timestamp_ns) {
            while (times[t] < time) ++t;
            position.push_back(static_cast<std::uint32_t>(t));
        }
    }
    return timeline;
}

// Each distinct series once per symbol, with tapegrid's own functions: the bands and the RSI
// must be the same doubles for the rows to be comparable.
struct IndicatorSeries {
    std::vector<int> bb_periods;   // distinct, ascending
    std::vector<int> rsi_periods;  // distinct, ascending
    // [period index * symbols + symbol]
    std::vector<std::vector<double>> mid, sd, rsi;
};

std::vector<int> distinct(std::vector<int> values) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return values;
}

std::size_t index_of(const std::vector<int>& sorted, int value) {
    return static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), value) - sorted.begin());
}

IndicatorSeries compute_series(const std::vector<SymbolBars>& symbols,
                               const std::vector<ReferenceCombination>& combinations, int threads) {
    IndicatorSeries series;
    std::vector<int> bb, rsi;
    for (const auto& c : combinations) bb.push_back(c.bb_period), rsi.push_back(c.rsi_period);
    series.bb_periods = distinct(std::move(bb));
    series.rsi_periods = distinct(std::move(rsi));
    const std::size_t symbol_count = symbols.size();
    series.mid.resize(series.bb_periods.size() * symbol_count);
    series.sd.resize(series.bb_periods.size() * symbol_count);
    series.rsi.resize(series.rsi_periods.size() * symbol_count);
    // One job per (series, symbol): the Bollinger jobs first, then the RSI ones.
    const auto bb_jobs = static_cast<std::ptrdiff_t>(series.mid.size());
    const auto jobs = bb_jobs + static_cast<std::ptrdiff_t>(series.rsi.size());
#pragma omp parallel for schedule(dynamic) num_threads(threads)
    for (std::ptrdiff_t job = 0; job < jobs; ++job) {
        if (job < bb_jobs) {
            const auto k = static_cast<std::size_t>(job);
            const SymbolBars& bars = symbols[k % symbol_count];
            const int period = series.bb_periods[k / symbol_count];
            series.mid[k] = compute_indicator({IndicatorKind::kSma, period}, bars);
            // The deviation around the mean just computed: what compute_indicator(kStdDev) does
            // after computing the same means again.
            series.sd[k] = compute_standard_deviation({IndicatorKind::kStdDev, period}, bars, series.mid[k]);
        } else {
            const auto k = static_cast<std::size_t>(job - bb_jobs);
            const int period = series.rsi_periods[k / symbol_count];
            series.rsi[k] = compute_indicator({IndicatorKind::kRsi, period}, symbols[k % symbol_count]);
        }
    }
    return series;
}

// What one combination reads of one symbol.
struct SymbolInputs {
    const double* open;
    const double* high;
    const double* low;
    const double* close;
    const double* mid;
    const double* sd;
    const double* rsi;
    const std::uint32_t* position;  // each bar's index on the union timeline
    std::size_t bars;
};

// One combination's rules, as the bar loop uses them.
struct EntryAndExitRules {
    std::size_t first_signal_bar;
    double bb_std;
    double rsi_threshold;
    double stop_factor;
    double target_factor;
};

// The closed trades' counts and sums. tapegrid adds the trades up chunk by chunk of the timeline
// (kTimelineChunk timestamps), symbol by symbol within a chunk, bar by bar within a symbol; its
// sums are compared to the bit, and addition does not associate. The symbols are walked one after
// the other, so each trade is booked with its exit's chunk, and the pnl are put back into
// tapegrid's order before they are added up: within one chunk, booking order is already symbol
// order, then bar order, so a stable sort by chunk is enough.
class TradeLedger {
  public:
    // A symbol closes at most one trade a bar, and one more on its last bar: the reserved room is
    // never exceeded, so booking never allocates.
    TradeLedger(std::size_t total_bars, std::size_t symbols, std::size_t chunks) : chunk_first_(chunks + 1) {
        booked_.reserve(total_bars + symbols);
        in_order_.reserve(total_bars + symbols);
    }

    void reset() { booked_.clear(); }

    // A trade that exits at the bar at `timeline_position`.
    void book(std::uint32_t timeline_position, double pnl) {
        booked_.push_back({static_cast<std::uint32_t>(timeline_position / kTimelineChunk), pnl});
    }

    void finish(ReferenceRow& row) {
        // A counting sort by chunk, stable.
        std::fill(chunk_first_.begin(), chunk_first_.end(), 0u);
        for (const BookedTrade& trade : booked_) ++chunk_first_[trade.chunk + 1];
        for (std::size_t k = 1; k < chunk_first_.size(); ++k) chunk_first_[k] += chunk_first_[k - 1];
        in_order_.resize(booked_.size());
        for (const BookedTrade& trade : booked_) in_order_[chunk_first_[trade.chunk]++] = trade.pnl;

        std::int64_t wins = 0;
        double total_pnl = 0.0;
        double gross_profit = 0.0;
        double gross_loss = 0.0;
        for (const double pnl : in_order_) {
            if (pnl > 0.0) {
                ++wins;
                gross_profit += pnl;
            } else {
                gross_loss += -pnl;
            }
            total_pnl += pnl;
        }
        row.total_trades = static_cast<std::int64_t>(in_order_.size());
        row.winning_trades = wins;
        row.losing_trades = row.total_trades - wins;
        row.total_pnl = total_pnl;
        row.gross_profit = gross_profit;
        row.gross_loss = gross_loss;
    }

  private:
    struct BookedTrade {
        std::uint32_t chunk;
        double pnl;
    };
    std::vector<BookedTrade> booked_;         // in booking order: symbol, then bar
    std::vector<std::uint32_t> chunk_first_;  // the counting sort's bucket starts
    std::vector<double> in_order_;            // the pnl in tapegrid's order
};

// The equity curve folded in as it is produced (docs/METRICS.md), with the arithmetic of
// engine/replay/equity_stats.h, so that the figures agree to the bit.
class EquityCurve {
  public:
    void add(double change) {
        if (points_++ == 0) {
            equity_ = kInitialCapital + change;
            peak_ = equity_;
            return;
        }
        const double previous = equity_;
        equity_ = previous + change;
        // A timestamp that moves nothing returns exactly 0: no division.
        const double r = change != 0.0 ? equity_ / previous - 1.0 : 0.0;
        ++returns_;
        const double delta = r - mean_;
        mean_ += delta * (1.0 / static_cast<double>(returns_));
        m2_ += delta * (r - mean_);
        if (r < 0.0) downside_squares_ += r * r;
        if (equity_ > peak_) peak_ = equity_;
        const double drawdown = peak_ - equity_;
        if (drawdown > max_drawdown_) max_drawdown_ = drawdown;
        // Divided out only when it may set a new maximum, which is rare.
        if (drawdown * 100.0 > max_drawdown_pct_ * peak_) {
            const double drawdown_pct = drawdown / peak_ * 100.0;
            if (drawdown_pct > max_drawdown_pct_) max_drawdown_pct_ = drawdown_pct;
        }
    }

    void finish(double periods_per_year, ReferenceRow& row) const {
        const double scale = std::sqrt(periods_per_year);
        row.final_equity = points_ > 0 ? equity_ : kInitialCapital;
        row.max_drawdown = max_drawdown_;
        row.max_drawdown_pct = max_drawdown_pct_;
        if (returns_ >= 2) {
            const double std_dev = std::sqrt(m2_ / static_cast<double>(returns_ - 1));
            if (std_dev > 0.0) row.sharpe_ratio = mean_ / std_dev * scale;
        }
        if (returns_ >= 1) {
            const double downside = std::sqrt(downside_squares_ / static_cast<double>(returns_));
            if (downside > 0.0) row.sortino_ratio = mean_ / downside * scale;
        }
    }

  private:
    std::size_t points_ = 0;
    std::size_t returns_ = 0;
    double equity_ = 0.0;
    double peak_ = 0.0;
    double max_drawdown_ = 0.0;
    double max_drawdown_pct_ = 0.0;
    double mean_ = 0.0;
    double m2_ = 0.0;
    double downside_squares_ = 0.0;
};

// What one combination keeps while it runs, per thread, reused by each of its combinations: no
// allocation per combination or per bar.
struct CombinationScratch {
    CombinationScratch(std::size_t symbols, std::size_t total_bars, std::size_t timestamps)
        : inputs(symbols),
          changes(timestamps),
          ledger(total_bars, symbols, (timestamps + kTimelineChunk - 1) / kTimelineChunk) {}
    std::vector<SymbolInputs> inputs;
    std::vector<double> changes;  // per timestamp of the union timeline: the portfolio's change in value
    TradeLedger ledger;
};

// One symbol's bars, one after the other (docs/STRATEGIES.md, "Execution"): each bar's change in
// the symbol's value is added into `changes` at the bar's timestamp, each closed trade booked.
void run_symbol(const SymbolInputs& in, const EntryAndExitRules& rules, double* changes, TradeLedger& ledger) {
    bool holding = false;
    double entry = 0.0;
    double stop = 0.0;
    double target = 0.0;
    double realized = 0.0;  // pnl of the closed trades
    double value = 0.0;     // realized + unrealized at the last close seen
    // No signal before the warm-up bar, so no position and no change in value: those bars add nothing.
    for (std::size_t i = rules.first_signal_bar; i < in.bars; ++i) {
        const double close = in.close[i];
        // 1. The stop or target of a position opened on an earlier bar. A bar that touches both
        // exits at the stop (it does not say which it touched first; the worse is assumed), and a
        // gap through a level fills at the open.
        if (holding) {
            const bool stopped = in.low[i] <= stop;
            if (stopped || in.high[i] >= target) {
                const double fill = stopped ? std::min(in.open[i], stop) : std::max(in.open[i], target);
                // direction * (fill - entry) * quantity, less no commission: direction is +1.
                const double pnl = (fill - entry) * kPositionSize;
                realized += pnl;
                holding = false;
                ledger.book(in.position[i], pnl);
            }
        }
        // 2. mean_reversion has no exit signal. 3. An entry at the close, also on a bar that just exited.
        if (!holding && close < in.mid[i] - (rules.bb_std * in.sd[i]) && in.rsi[i] < rules.rsi_threshold) {
            holding = true;
            entry = close;
            stop = close * rules.stop_factor;
            target = close * rules.target_factor;
        }
        // Marked at the close: the unrealized pnl of the open position on top of the realized.
        const double marked = holding ? realized + (close - entry) * kPositionSize : realized;
        changes[in.position[i]] += marked - value;
        value = marked;
    }
    // 4. The symbol's last bar closes what is still open, at the close. Booked here rather than in
    // the loop: the last bar's value above, realized + (close - entry) * quantity, is already the
    // very sum that closing would have made realized, so the curve is the same to the bit.
    if (holding) {
        const std::size_t last = in.bars - 1;
        ledger.book(in.position[last], (in.close[last] - entry) * kPositionSize);
    }
}

// The combination: every symbol in ascending order, so that each timestamp's changes are added up
// in symbol order (which fixes the equity curve's last bits, as in tapegrid), then the curve folded
// in over the timestamps.
ReferenceRow run_combination(const ReferenceCombination& c, double periods_per_year, CombinationScratch& scratch) {
    // The levels' factors as docs/STRATEGIES.md writes them: entry * (1 - (stop_loss_pct / 100)).
    const EntryAndExitRules rules{.first_signal_bar = static_cast<std::size_t>(std::max(c.bb_period - 1, c.rsi_period)),
                                  .bb_std = c.bb_std,
                                  .rsi_threshold = c.rsi_threshold,
                                  .stop_factor = 1.0 - c.stop_loss_pct / 100.0,
                                  .target_factor = 1.0 + c.take_profit_pct / 100.0};
    std::fill(scratch.changes.begin(), scratch.changes.end(), 0.0);
    scratch.ledger.reset();
    for (const SymbolInputs& in : scratch.inputs) run_symbol(in, rules, scratch.changes.data(), scratch.ledger);
    EquityCurve curve;
    for (const double change : scratch.changes) curve.add(change);
    ReferenceRow row;
    scratch.ledger.finish(row);
    curve.finish(periods_per_year, row);
    return row;
}

}  // namespace

std::vector<ReferenceRow> run_reference_sweep(const std::vector<SymbolBars>& symbols,
                                              const std::vector<ReferenceCombination>& combinations,
                                              double periods_per_year, int threads) {
    const UnionTimeline timeline = build_union_timeline(symbols);
    const IndicatorSeries series = compute_series(symbols, combinations, threads);
    const std::size_t symbol_count = symbols.size();
    std::size_t total_bars = 0;
    for (const auto& bars : symbols) total_bars += bars.size();
    std::vector<ReferenceRow> rows(combinations.size());
    const auto count = static_cast<std::ptrdiff_t>(combinations.size());
#pragma omp parallel num_threads(threads)
    {
        CombinationScratch scratch(symbol_count, total_bars, timeline.timestamps);
#pragma omp for schedule(dynamic)
        for (std::ptrdiff_t k = 0; k < count; ++k) {
            const ReferenceCombination& c = combinations[static_cast<std::size_t>(k)];
            const std::size_t bb = index_of(series.bb_periods, c.bb_period) * symbol_count;
            const std::size_t rsi = index_of(series.rsi_periods, c.rsi_period) * symbol_count;
            for (std::size_t s = 0; s < symbol_count; ++s) {
                const SymbolBars& b = symbols[s];
                scratch.inputs[s] = {.open = b.open.data(),
                                     .high = b.high.data(),
                                     .low = b.low.data(),
                                     .close = b.close.data(),
                                     .mid = series.mid[bb + s].data(),
                                     .sd = series.sd[bb + s].data(),
                                     .rsi = series.rsi[rsi + s].data(),
                                     .position = timeline.position[s].data(),
                                     .bars = b.size()};
            }
            rows[static_cast<std::size_t>(k)] = run_combination(c, periods_per_year, scratch);
        }
    }
    return rows;
}

}  // namespace tapegrid::bench
