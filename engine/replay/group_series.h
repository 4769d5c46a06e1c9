// The indicator series a group of combinations reads, computed for every symbol.
#pragma once

#include <map>
#include <memory>
#include <vector>

#include "engine/indicators/indicator_key.h"
#include "engine/replay/lane_block.h"

namespace tapegrid {

// A key's series for every symbol of a recording.
using SymbolSeries = std::vector<IndicatorColumns>;

// Lays a strategy's indicator columns out in the order its inputs() reads them, for each
// symbol, from the series of each key (`series_of(key)` returns a SymbolSeries).
template <class Strategy, class SeriesOf>
GroupColumns<Strategy::kColumnCount> assemble_columns(const ParamSet& params, std::size_t symbols,
                                                      SeriesOf&& series_of) {
    GroupColumns<Strategy::kColumnCount> group;
    group.first_signal_bar = Strategy::first_signal_bar(params);
    group.per_symbol.resize(symbols);
    const auto keys = Strategy::indicators(params);
    std::vector<const SymbolSeries*> key_series;
    for (const auto& key : keys) key_series.push_back(&series_of(key));
    for (std::size_t s = 0; s < symbols; ++s) {
        std::size_t column = 0;
        for (const SymbolSeries* series : key_series)
            for (const auto& values : (*series)[s]) group.per_symbol[s][column++] = values.data();
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
