// Synthetic daily bars on a cent grid with many exact repeats: where exact window arithmetic and ties matter.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>

#include "engine/core/bars.h"

namespace tapegrid::testing {

// A seeded random walk in whole cents that often stays put for several bars, with a run of more
// than 60 identical closes every few hundred bars (some with open = high = low = close, and some
// with no volume), so that windows of equal values, tied averages and zero true ranges all occur.
// Prices are cents / 100.0: the double nearest the decimal, as a CSV file gives it (13.15 is not a
// binary fraction). Only the raw output of std::mt19937_64 is used, so every platform gets the same bars.
inline SymbolBars cent_grid_bars(const std::string& symbol, std::size_t count, std::uint64_t seed) {
    std::mt19937_64 random(seed);
    const auto draw = [&](std::uint64_t below) { return static_cast<std::int64_t>(random() % below); };
    SymbolBars bars;
    bars.symbol = symbol;
    bars.reserve(count);
    std::int64_t close_cents = 1315;
    std::size_t flat_left = 0;
    bool flat_without_range = false;
    bool flat_without_volume = false;
    for (std::size_t i = 0; i < count; ++i) {
        std::int64_t open_cents = close_cents;
        std::int64_t high_cents = close_cents;
        std::int64_t low_cents = close_cents;
        std::int64_t volume = 100 * (1 + draw(50));
        if (flat_left == 0 && i % 450 == 200) {
            flat_left = 61 + static_cast<std::size_t>(draw(60));
            flat_without_range = draw(2) == 0;
            flat_without_volume = draw(3) == 0;
        }
        if (flat_left > 0) {
            --flat_left;
            if (!flat_without_range) {
                high_cents += draw(3);
                low_cents -= draw(3);
            }
            if (flat_without_volume) volume = 0;
        } else {
            if (draw(10) == 0) {  // a gap: the bar opens away from the last close
                const std::int64_t gap = 1 + draw(40);
                open_cents = std::max<std::int64_t>(open_cents + (draw(2) == 0 ? gap : -gap), 100);
                close_cents = open_cents;
            }
            const std::int64_t move = draw(100);
            if (move >= 45) {
                const std::int64_t step = 1 + draw(4);
                close_cents = std::max<std::int64_t>(close_cents + (move % 2 == 0 ? step : -step), 100);
            }
            high_cents = std::max(open_cents, close_cents) + draw(4);
            low_cents = std::max<std::int64_t>(std::min(open_cents, close_cents) - draw(4), 50);
            if (draw(20) == 0) volume = 0;
        }
        bars.timestamp_ns.push_back((static_cast<TimestampNs>(i) + 9'000) * 86'400'000'000'000LL);
        bars.open.push_back(static_cast<double>(open_cents) / 100.0);
        bars.high.push_back(static_cast<double>(high_cents) / 100.0);
        bars.low.push_back(static_cast<double>(low_cents) / 100.0);
        bars.close.push_back(static_cast<double>(close_cents) / 100.0);
        bars.volume.push_back(static_cast<double>(volume));
        bars.sequence.push_back(static_cast<std::int64_t>(i));
    }
    return bars;
}

}  // namespace tapegrid::testing
