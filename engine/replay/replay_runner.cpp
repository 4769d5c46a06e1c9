// A single replay: the strategy's kernel at one lane, with every trade recorded.
#include "engine/replay/replay_runner.h"

#include <fmt/format.h>

#include <algorithm>

#include "engine/replay/group_series.h"
#include "engine/replay/lane_block.h"
#include "engine/replay/trade_recorder.h"
#include "strategies/registry.h"

namespace tapegrid {

void check_warm_up(std::string_view strategy_name, const ReplayData& data, const ParamSet& params) {
    std::vector<std::string> symbols;
    std::vector<std::uint64_t> bars;
    for (const auto& symbol : *data.symbols) {
        symbols.push_back(symbol.symbol);
        bars.push_back(symbol.size());
    }
    check_warm_up(strategy_name, symbols, bars, params);
}

void check_warm_up(std::string_view strategy_name, const std::vector<std::string>& symbols,
                   const std::vector<std::uint64_t>& bars, const ParamSet& params) {
    with_strategy(strategy_name, [&](auto tag) {
        using Strategy = decltype(tag);
        const std::size_t warm_up = Strategy::first_signal_bar(params);
        if (symbols.empty()) throw UserError("the recording has no symbols, so no bars to replay");
        for (std::size_t s = 0; s < symbols.size(); ++s)
            if (bars[s] <= warm_up)
                throw UserError(
                    fmt::format("symbol {} has {} bars; {} with these parameters needs at least {} bars "
                                "(its warm-up is {} bars before the first possible signal)",
                                symbols[s], bars[s], strategy_name, warm_up + 1, warm_up));
    });
}

void sort_trades(std::vector<Trade>& trades) {
    std::stable_sort(trades.begin(), trades.end(), [](const Trade& a, const Trade& b) {
        if (a.entry_time_ns != b.entry_time_ns) return a.entry_time_ns < b.entry_time_ns;
        return a.symbol < b.symbol;
    });
}

ReplayResult run_replay(std::string_view strategy_name, const ReplayData& data, const ParamSet& params) {
    OwnedSeries series(*data.symbols);
    return run_replay(strategy_name, data, params, series);
}

ReplayResult run_replay(std::string_view strategy_name, const ReplayData& data, const ParamSet& params,
                        OwnedSeries& series, std::vector<double>* returns) {
    check_warm_up(strategy_name, data, params);
    return with_strategy(strategy_name, [&](auto tag) {
        using Strategy = decltype(tag);
        const auto columns = assemble_columns<Strategy>(params, data.symbols->size(), series);
        const ParamSet* sets[] = {&params};
        LaneBlock<Strategy, kSingleLanes> block(sets, data.symbols->size());
        block.record_returns(returns);
        TradeRecorder recorder(data);
        std::vector<typename Lanes<kSingleLanes>::Doubles> changes(kTimelineChunk);
        for (std::size_t chunk = 0; chunk < data.chunk_count(); ++chunk)
            block.run_chunk(data, columns, chunk, changes.data(), recorder);
        ReplayResult result;
        result.strategy_name = std::string(strategy_name);
        result.params = params;
        result.metrics = block.metrics(0, data);
        result.trades = std::move(recorder.trades());
        sort_trades(result.trades);
        return result;
    });
}

}  // namespace tapegrid
