// The portfolio's equity curve, per lane, reduced as it is produced: drawdown and return statistics.
//
// The curve is never stored: the replay hands over one chunk of per-timestamp equity changes
// at a time, and this folds it into running figures with Eigen arrays (one coefficient per
// lane, so a lane's result does not depend on its neighbours). docs/METRICS.md defines them.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "engine/core/lanes.h"
#include "engine/core/metrics.h"

namespace tapegrid {

// How a replay cuts its returns into blocks for the probability of backtest overfitting
// (engine/sweep/backtest_overfitting.h): `returns` per-bar returns (timestamps - 1) in `blocks`
// consecutive blocks, block b holding returns [floor(b * returns / blocks), floor((b + 1) *
// returns / blocks)). No blocks: nothing is kept.
struct ReturnBlocking {
    std::uint64_t returns = 0;
    std::size_t blocks = 0;
};

template <int L>
class EquityStats {
  public:
    using Row = Eigen::Array<double, L, 1>;
    using V = typename Lanes<L>::Doubles;

    explicit EquityStats(const Row& initial_capital, const ReturnBlocking& blocking = {})
        : capital_(initial_capital), blocking_(blocking) {
        if (blocking_.blocks > 0) {
            block_sums_.assign(blocking_.blocks, Row::Zero());
            block_squares_.assign(blocking_.blocks, Row::Zero());
            block_end_ = block_boundary(1);
        }
    }

    // Lane 0's returns are appended to `returns` as they are folded in (one combination's series,
    // for its probabilistic Sharpe ratio); nothing is recorded when null.
    void record_returns(std::vector<double>* returns) { recorded_ = returns; }

    // Folds in `count` portfolio timestamps; changes[k] is the equity change at the k-th.
    //
    // The running figures are held in lane vectors local to the loop, so they stay in registers:
    // as members they were stored and reloaded at every timestamp (the compiler cannot tell them
    // apart from the changes' memory). Each lane's operations are those the definitions give, in
    // their order, whatever the vector width.
    void add_chunk(const V* changes, std::size_t count) {
        using X = Lanes<L>;
        std::size_t k = 0;
        if (count > 0 && points_ == 0) {
            equity_ = capital_ + row(changes[0]);
            peak_ = equity_;
            max_drawdown_ = Row::Zero();
            max_drawdown_pct_ = Row::Zero();
            ++points_;
            k = 1;
        }
        if (k >= count) return;
        V equity = lanes(equity_), peak = lanes(peak_), max_drawdown = lanes(max_drawdown_);
        V max_drawdown_pct = lanes(max_drawdown_pct_), mean = lanes(mean_), m2 = lanes(m2_);
        V downside_sq = lanes(downside_sq_), block_sum = lanes(block_sum_), block_square = lanes(block_square_);
        const V zero{};
        const std::size_t first = k;
        for (; k < count; ++k) {
            const V change = changes[k];
            const V previous = equity;
            equity = previous + change;
            // r = E[t] / E[t-1] - 1, folded in with Welford's update. Timestamps where no lane's
            // equity moved (flat lanes, quiet bars) have r = 0 exactly: no division needed.
            const V r = X::any(change != 0.0) ? equity / previous - 1.0 : zero;
            if (recorded_ != nullptr) recorded_->push_back(r[0]);
            // The block sums, in the return's block: a branch per timestamp that is almost never
            // taken, and two adds per lane.
            if (returns_ == block_end_) {
                block_sum_ = row(block_sum);
                block_square_ = row(block_square);
                next_block();
                block_sum = zero;
                block_square = zero;
            }
            block_sum += r;
            block_square += r * r;
            ++returns_;
            // Welford's update; 1/n is taken once for all lanes (a division per lane costs more
            // than the rest of the timestamp's work).
            const double inverse_count = 1.0 / static_cast<double>(returns_);
            const V delta = r - mean;
            mean += delta * inverse_count;
            m2 += delta * (r - mean);
            const V loss = r < 0.0 ? r : zero;
            downside_sq += loss * loss;
            peak = equity > peak ? equity : peak;
            const V drawdown = peak - equity;
            max_drawdown = drawdown > max_drawdown ? drawdown : max_drawdown;
            // The relative drawdown is divided out only when it may set a new maximum
            // (drawdown * 100 > best * peak, peak > 0), which is rare.
            if (X::any(drawdown * 100.0 > max_drawdown_pct * peak)) {
                const V drawdown_pct = drawdown / peak * 100.0;
                max_drawdown_pct = drawdown_pct > max_drawdown_pct ? drawdown_pct : max_drawdown_pct;
            }
        }
        points_ += count - first;
        equity_ = row(equity);
        peak_ = row(peak);
        max_drawdown_ = row(max_drawdown);
        max_drawdown_pct_ = row(max_drawdown_pct);
        mean_ = row(mean);
        m2_ = row(m2);
        downside_sq_ = row(downside_sq);
        block_sum_ = row(block_sum);
        block_square_ = row(block_square);
    }

    // Writes lane `lane`'s curve figures into `metrics`.
    void finish(int lane, double periods_per_year, ReplayMetrics& metrics) const {
        const double scale = std::sqrt(periods_per_year);
        metrics.equity_points = static_cast<std::int64_t>(points_);
        metrics.periods_per_year = periods_per_year;
        metrics.final_equity = points_ > 0 ? equity_[lane] : capital_[lane];
        metrics.max_drawdown = points_ > 0 ? max_drawdown_[lane] : 0.0;
        metrics.max_drawdown_pct = points_ > 0 ? max_drawdown_pct_[lane] : 0.0;
        metrics.sharpe_ratio = 0.0;
        metrics.sortino_ratio = 0.0;
        if (returns_ >= 2) {
            const double std_dev = std::sqrt(m2_[lane] / static_cast<double>(returns_ - 1));
            if (std_dev > 0.0) metrics.sharpe_ratio = mean_[lane] / std_dev * scale;
        }
        if (returns_ >= 1) {
            const double downside = std::sqrt(downside_sq_[lane] / static_cast<double>(returns_));
            if (downside > 0.0) metrics.sortino_ratio = mean_[lane] / downside * scale;
        }
    }

    // Lane `lane`'s sum of returns in each block, then its sum of squared returns in each block
    // (2 x blocking.blocks values), appended to `out`; call once every chunk has run.
    void block_returns(int lane, std::vector<double>& out) const {
        // The current block's sums are not stored yet (a block is stored when the next starts).
        for (std::size_t b = 0; b < blocking_.blocks; ++b)
            out.push_back(b == block_ ? block_sum_[lane] : block_sums_[b][lane]);
        for (std::size_t b = 0; b < blocking_.blocks; ++b)
            out.push_back(b == block_ ? block_square_[lane] : block_squares_[b][lane]);
    }

  private:
    static V lanes(const Row& values) {
        V v;
        std::memcpy(&v, values.data(), sizeof v);
        return v;
    }
    static Row row(const V& values) {
        Row r;
        std::memcpy(r.data(), &values, sizeof values);
        return r;
    }

    std::uint64_t block_boundary(std::size_t block) const {
        return block * blocking_.returns / blocking_.blocks;  // no overflow below 2^64 / blocks returns
    }

    void next_block() {
        block_sums_[block_] = block_sum_;
        block_squares_[block_] = block_square_;
        block_sum_ = Row::Zero();
        block_square_ = Row::Zero();
        // Empty blocks (more blocks than returns) are skipped over.
        do {
            ++block_;
            block_end_ =
                block_ + 1 < blocking_.blocks ? block_boundary(block_ + 1) : std::numeric_limits<std::uint64_t>::max();
        } while (block_end_ <= returns_);
    }

    Row capital_;
    Row equity_ = Row::Zero();
    Row peak_ = Row::Zero();
    Row max_drawdown_ = Row::Zero();
    Row max_drawdown_pct_ = Row::Zero();
    Row mean_ = Row::Zero();
    Row m2_ = Row::Zero();
    Row downside_sq_ = Row::Zero();
    std::size_t points_ = 0;
    std::size_t returns_ = 0;
    ReturnBlocking blocking_;
    std::vector<Row> block_sums_;
    std::vector<Row> block_squares_;
    Row block_sum_ = Row::Zero();
    Row block_square_ = Row::Zero();
    std::size_t block_ = 0;
    std::uint64_t block_end_ = std::numeric_limits<std::uint64_t>::max();  // the return that starts the next block
    std::vector<double>* recorded_ = nullptr;
};

}  // namespace tapegrid
