// The paper session: per symbol, growing columns, streaming indicators and the shared bar step.
#include "engine/live/paper_session.h"

#include <cmath>
#include <map>

#include "engine/core/errors.h"
#include "engine/indicators/streaming_indicator.h"
#include "engine/replay/execution.h"
#include "engine/replay/trade_events.h"
#include "strategies/registry.h"

namespace tapegrid {

namespace {

// Two identical lanes: the narrowest lane vector (engine/replay/lanes.h).
constexpr int kLanes = 2;

template <class Strategy>
class StrategySession final : public PaperSession {
  public:
    StrategySession(const ParamSet& params, const std::vector<std::string>& symbols, SessionObserver& observer)
        : params_(params), observer_(observer), sink_(*this) {
        const std::array<const ParamSet*, kLanes> sets{&params_, &params_};
        lanes_ = Strategy::template lane_params<kLanes>(sets);
        costs_ = cost_lanes<kLanes>(sets, kCommonOffset<Strategy>);
        first_signal_bar_ = Strategy::first_signal_bar(params_);
        for (const auto& symbol : symbols) add_symbol(symbol);
    }

    void on_bar(const std::string& symbol, TimestampNs timestamp_ns, const BarPrices& bar) override {
        const auto found = index_.find(symbol);
        const std::size_t s = found != index_.end() ? found->second : add_symbol(symbol);
        SymbolState& state = states_[s];
        if (!state.timestamps.empty() && timestamp_ns <= state.timestamps.back())
            throw UserError(symbol + ": bar at " + format_iso8601(timestamp_ns) +
                            " does not come after the previous one (" + format_iso8601(state.timestamps.back()) + ")");
        const std::size_t i = state.timestamps.size();
        state.timestamps.push_back(timestamp_ns);
        state.bars.push_back(bar);
        for (std::size_t k = 0; k < Strategy::kSeriesCount; ++k) {
            state.columns[k].push_back(state.indicators[k].push(bar.high, bar.low, bar.close, bar.volume));
            state.series.columns[k] = state.columns[k].data();
        }

        std::vector<std::pair<std::string, double>> recorded;
        for (const auto& [name, value] : Strategy::recorded_indicators(state.series, i, params_))
            if (std::isfinite(value)) recorded.emplace_back(name, value);
        observer_.on_bar(symbol, timestamp_ns, bar, recorded);

        if (i < first_signal_bar_) return;
        const auto inputs = Strategy::inputs(state.series, i);
        sink_.begin_bar(s, bar, inputs);
        BarStep<Strategy, kLanes, EventSink>::run(bar, inputs, lanes_, costs_, state.position, totals_, false, i,
                                                  sink_);
    }

    void finish() override {
        for (std::size_t s = 0; s < states_.size(); ++s) {
            SymbolState& state = states_[s];
            if (state.bars.empty()) continue;
            const std::size_t last = state.bars.size() - 1;
            const auto inputs =
                last >= first_signal_bar_ ? Strategy::inputs(state.series, last) : typename Strategy::BarInputs{};
            sink_.begin_bar(s, state.bars[last], inputs);
            BarStep<Strategy, kLanes, EventSink>::end_of_data(state.bars[last], costs_, state.position, totals_, last,
                                                              sink_);
        }
    }

    SessionOutcome outcome() const override {
        SessionOutcome outcome;
        outcome.trades = static_cast<std::int64_t>(totals_.trades[0]);
        outcome.pnl = totals_.pnl[0];
        outcome.win_rate = outcome.trades > 0 ? 100.0 * totals_.wins[0] / static_cast<double>(outcome.trades) : 0.0;
        outcome.closed_trades = closed_;
        return outcome;
    }

  private:
    struct SymbolState {
        std::string symbol;
        std::vector<TimestampNs> timestamps;
        std::vector<BarPrices> bars;
        std::vector<StreamingIndicator> indicators;
        std::array<std::vector<double>, Strategy::kSeriesCount> columns;
        SeriesColumns<Strategy::kSeriesCount> series;
        PositionLanes<kLanes> position;
        Trade open_trade;
        std::size_t trades = 0;
    };

    // Turns the step's entries and exits (lane 0) into trades and recorded events.
    class EventSink {
      public:
        static constexpr bool kActive = true;
        explicit EventSink(StrategySession& session) : session_(session) {}

        void begin_bar(std::size_t symbol, const BarPrices& bar, const typename Strategy::BarInputs& inputs) {
            symbol_ = symbol;
            bar_ = bar;
            inputs_ = inputs;
        }
        void set_symbol(std::size_t symbol) { symbol_ = symbol; }

        void entry(int lane, std::size_t bar, double fill, int direction, double stop, double target, double quantity) {
            if (lane != 0) return;
            SymbolState& state = session_.states_[symbol_];
            Trade& trade = state.open_trade;
            trade = Trade::opened(state.symbol, direction, bar, state.timestamps[bar], fill, stop, target, quantity);
            ++state.trades;
            const SignalExplanation why = Strategy::explain(bar_, inputs_, session_.params_, direction);
            const double commission = session_.params_[kCommonOffset<Strategy> + kCommissionPerShare];
            for (const auto& event :
                 entry_events(trade, state.trades, bar_, why, std::string(Strategy::kName), commission))
                session_.observer_.on_event(event);
        }

        void exit(int lane, std::size_t bar, double level, double fill, double pnl, double, ExitReason reason) {
            if (lane != 0) return;
            SymbolState& state = session_.states_[symbol_];
            Trade trade = state.open_trade;
            trade.close(bar, state.timestamps[bar], level, fill, pnl, reason);
            const double commission = session_.params_[kCommonOffset<Strategy> + kCommissionPerShare];
            for (const auto& event : exit_events(trade, state.trades, bar_, commission))
                session_.observer_.on_event(event);
            session_.closed_.push_back(std::move(trade));
        }

      private:
        StrategySession& session_;
        std::size_t symbol_ = 0;
        BarPrices bar_{};
        typename Strategy::BarInputs inputs_{};
    };

    std::size_t add_symbol(const std::string& symbol) {
        SymbolState state;
        state.symbol = symbol;
        for (const auto& key : Strategy::indicators(params_)) state.indicators.emplace_back(key);
        states_.push_back(std::move(state));
        index_.emplace(symbol, states_.size() - 1);
        return states_.size() - 1;
    }

    ParamSet params_;
    SessionObserver& observer_;
    typename Strategy::template LaneParams<kLanes> lanes_{};
    CostLanes<kLanes> costs_{};
    std::size_t first_signal_bar_ = 0;
    std::vector<SymbolState> states_;
    std::map<std::string, std::size_t> index_;
    TradeTotalsLanes<kLanes> totals_;
    std::vector<Trade> closed_;
    EventSink sink_;
};

}  // namespace

std::unique_ptr<PaperSession> PaperSession::create(std::string_view strategy_name, const ParamSet& params,
                                                   const std::vector<std::string>& symbols, SessionObserver& observer) {
    return with_strategy(strategy_name, [&](auto tag) -> std::unique_ptr<PaperSession> {
        return std::make_unique<StrategySession<decltype(tag)>>(params, symbols, observer);
    });
}

}  // namespace tapegrid
