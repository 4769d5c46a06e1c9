// A search's proposals: which combinations of the grid to evaluate next, random or Bayesian.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <unordered_set>
#include <vector>

#include "engine/core/random.h"
#include "engine/sweep/parameter_grid.h"
#include "engine/sweep/search_spec.h"

namespace tapegrid {

// A combination evaluated, and how good it was (higher is better, finite).
struct SearchObservation {
    std::uint64_t combination = 0;
    double objective = 0.0;
};

// Proposes combinations of `grid` that pass its constraints and the strategy's rules, never the
// same one twice. The search space is the grid's lattice: a random proposal is uniform over each
// axis's values (geometrically spaced on a `log = true` range, so log-uniform there); a Bayesian
// one maximises the expected improvement of a Gaussian process over the axes' positions
// (engine/sweep/gaussian_process.h). Deterministic: the same seed and observations give the same
// proposals.
class SearchProposer {
  public:
    SearchProposer(const ParameterGrid& grid, const SearchSpec& spec);

    // Up to `count` combinations to evaluate next (fewer when the grid runs out), ascending.
    std::vector<std::uint64_t> next(std::size_t count, std::span<const SearchObservation> observed);

    // A combination's position along each axis, each in [0, 1].
    Eigen::VectorXd coordinates(std::uint64_t combination) const;

  private:
    std::vector<std::uint64_t> random_combinations(std::size_t count);
    std::vector<std::uint64_t> bayesian_combinations(std::size_t count, std::span<const SearchObservation> observed);
    // Runnable combinations not proposed yet: the whole rest of the grid when it is small, else
    // a random sample and the lattice neighbours of the best observed ones.
    std::vector<std::uint64_t> candidates(std::span<const SearchObservation> observed);
    bool fresh(std::uint64_t combination);

    const ParameterGrid& grid_;
    SearchSpec spec_;
    Xoshiro256 random_;
    std::unordered_set<std::uint64_t> proposed_;
    std::vector<std::uint64_t> strides_;  // per axis: how far apart its neighbouring values' indices are
    ParamSet scratch_;
    bool exhausted_ = false;  // every runnable combination was proposed
};

}  // namespace tapegrid
