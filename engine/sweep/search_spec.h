// How a sweep chooses the combinations it evaluates: the whole grid, or a search of it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tapegrid {

enum class SearchMethod { kGrid, kRandom, kBayesian };

// The config's [search] table. A search evaluates `budget` combinations of the grid: random
// draws without replacement, or a Bayesian optimiser's batches after `initial` random ones.
struct SearchSpec {
    SearchMethod method = SearchMethod::kGrid;
    std::uint64_t budget = 0;
    std::uint64_t seed = 0;
    std::uint64_t initial = 0;  // bayesian: the random combinations first
    std::size_t batch = 32;     // combinations proposed and run at a time (a multiple of the SIMD lanes)
};

const char* search_method_name(SearchMethod method);

}  // namespace tapegrid
