// One symbol's market data as columns (structure of arrays), as recorded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/timestamp.h"

namespace tapegrid {

// A named indicator series recorded next to the bars (NaN where none was recorded).
struct IndicatorColumn {
    std::string name;
    std::vector<double> values;

    bool operator==(const IndicatorColumn&) const = default;
};

// Every column has size() rows; row i is the i-th bar of the symbol, in time order.
// Loaders validate (io/hdf5/bars_validation.h) before handing bars to the engine.
struct SymbolBars {
    std::string symbol;
    std::vector<TimestampNs> timestamp_ns;
    std::vector<double> open;
    std::vector<double> high;
    std::vector<double> low;
    std::vector<double> close;
    std::vector<double> volume;
    std::vector<std::int64_t> sequence;  // position in the recording's global record order
    std::vector<IndicatorColumn> indicators;

    std::size_t size() const { return timestamp_ns.size(); }

    void reserve(std::size_t rows) {
        timestamp_ns.reserve(rows);
        open.reserve(rows);
        high.reserve(rows);
        low.reserve(rows);
        close.reserve(rows);
        volume.reserve(rows);
        sequence.reserve(rows);
    }

    // A copy of the first `count` rows of the price, volume, time and sequence columns (no
    // indicator columns): what replays need of a window and the history before it.
    SymbolBars first_rows(std::size_t count) const {
        SymbolBars part;
        part.symbol = symbol;
        const auto head = [count](const auto& column) {
            return std::vector(column.begin(), column.begin() + static_cast<std::ptrdiff_t>(count));
        };
        part.timestamp_ns = head(timestamp_ns);
        part.open = head(open);
        part.high = head(high);
        part.low = head(low);
        part.close = head(close);
        part.volume = head(volume);
        if (sequence.size() == size()) part.sequence = head(sequence);
        return part;
    }

    const IndicatorColumn* find_indicator(const std::string& name) const {
        for (const auto& column : indicators)
            if (column.name == name) return &column;
        return nullptr;
    }

    bool operator==(const SymbolBars&) const = default;
};

}  // namespace tapegrid
