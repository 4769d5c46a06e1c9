// The indicator series a group of combinations reads, computed for every symbol.
#pragma once

#include <tbb/parallel_for.h>

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

// Computes, once each, the series that replays of one or more parameter sets need; a standard
// deviation reuses the SMA of its period when that is already here.
class OwnedSeries {
  public:
    explicit OwnedSeries(const std::vector<SymbolBars>& symbols) : symbols_(symbols) {}

    const SymbolSeries& operator()(const IndicatorKey& key) {
        auto found = series_.find(key);
        if (found == series_.end()) {
            const auto means = series_.find(IndicatorKey{IndicatorKind::kSma, key.period});
            const bool reuse_means = key.kind == IndicatorKind::kStdDev && means != series_.end();
            SymbolSeries series(symbols_.size());
            // The symbols in parallel, as a sweep's cache computes them (each series is the same
            // whichever thread computes it).
            tbb::parallel_for(std::size_t{0}, symbols_.size(), [&](std::size_t s) {
                series[s] = reuse_means ? compute_standard_deviation(key, symbols_[s], means->second[s])
                                        : compute_indicator(key, symbols_[s]);
            });
            found = series_.emplace(key, std::move(series)).first;
        }
        return found->second;
    }

    // How many keys' series are held.
    std::size_t size() const { return series_.size(); }

    // Frees a key's series (none of the replays still to run reads it).
    void release(const IndicatorKey& key) { series_.erase(key); }

  private:
    const std::vector<SymbolBars>& symbols_;
    std::map<IndicatorKey, SymbolSeries> series_;
};

}  // namespace tapegrid
