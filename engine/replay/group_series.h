// The indicator series a group of combinations reads, computed for every symbol.
#pragma once

#include <map>
#include <vector>

#include "engine/indicators/streaming_indicator.h"
#include "engine/replay/lane_block.h"

namespace tapegrid {

// A key's series for every symbol of a recording.
using SymbolSeries = std::vector<std::vector<double>>;

// Lays a strategy's series out in the order its inputs() reads them, for each symbol, from the
// series of each key (`series_of(key)` returns a SymbolSeries).
template <class Strategy, class SeriesOf>
GroupColumns<Strategy::kSeriesCount> assemble_columns(const ParamSet& params, std::size_t symbols,
                                                      SeriesOf&& series_of) {
    GroupColumns<Strategy::kSeriesCount> group;
    group.first_signal_bar = Strategy::first_signal_bar(params);
    group.per_symbol.resize(symbols);
    const auto keys = Strategy::indicators(params);
    for (std::size_t k = 0; k < keys.size(); ++k) {
        const SymbolSeries& series = series_of(keys[k]);
        for (std::size_t s = 0; s < symbols; ++s) group.per_symbol[s].columns[k] = series[s].data();
    }
    return group;
}

// Computes, once each, the series a single parameter set needs.
class OwnedSeries {
  public:
    explicit OwnedSeries(const std::vector<SymbolBars>& symbols) : symbols_(symbols) {}

    const SymbolSeries& operator()(const IndicatorKey& key) {
        auto found = series_.find(key);
        if (found == series_.end()) {
            SymbolSeries series;
            series.reserve(symbols_.size());
            for (const auto& bars : symbols_) series.push_back(compute_indicator(key, bars));
            found = series_.emplace(key, std::move(series)).first;
        }
        return found->second;
    }

  private:
    const std::vector<SymbolBars>& symbols_;
    std::map<IndicatorKey, SymbolSeries> series_;
};

}  // namespace tapegrid
