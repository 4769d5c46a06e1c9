// The indicator series a strategy reads at a bar, by the position its indicators() gave them.
#pragma once

#include <array>
#include <cstddef>

namespace tapegrid {

// Reading series K checks K against the strategy's declared series count when the strategy
// compiles: a strategy cannot read a series it did not ask for.
template <std::size_t N>
struct SeriesColumns {
    std::array<const double*, N> columns{};

    template <std::size_t K>
    double at(std::size_t bar) const {
        static_assert(K < N, "strategy contract: inputs() reads a series beyond kSeriesCount");
        return columns[K][bar];
    }
};

}  // namespace tapegrid
