// The benchmarks' reference market: 10 symbols x 100,000 one-minute bars, seed 42 (what
// `tapegrid generate --symbols 10 --bars 100000 --seed 42` writes).
#pragma once

#include "engine/synthetic/market_generator.h"

namespace tapegrid::bench {

inline const Recording& reference_market() {
    static const Recording recording = [] {
        MarketGeneratorOptions options;
        options.symbols = 10;
        options.bars = 100'000;
        options.seed = 42;
        return generate_market(options);
    }();
    return recording;
}

}  // namespace tapegrid::bench
