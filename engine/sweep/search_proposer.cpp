// Random and Bayesian proposals over the grid's lattice.
#include "engine/sweep/search_proposer.h"

#include <algorithm>

#include "engine/sweep/gaussian_process.h"
#include "engine/sweep/sweep_plan.h"

namespace tapegrid {

namespace {

// Below this many combinations, every one not yet evaluated is a candidate for the Bayesian
// step; above, a sample of this many and the best points' neighbours are.
constexpr std::uint64_t kAllCandidatesUpTo = 4096;
constexpr std::size_t kSampledCandidates = 2048;
// The best observed combinations whose lattice neighbours (one and two steps along each axis)
// are always candidates: the optimum is usually next to the best seen so far.
constexpr std::size_t kNeighbourhoods = 8;

}  // namespace

const char* search_method_name(SearchMethod method) {
    switch (method) {
        case SearchMethod::kGrid:
            return "grid";
        case SearchMethod::kRandom:
            return "random";
        case SearchMethod::kBayesian:
            return "bayesian";
    }
    return "grid";
}

SearchProposer::SearchProposer(const ParameterGrid& grid, const SearchSpec& spec)
    : grid_(grid), spec_(spec), random_(spec.seed), scratch_(grid.base()) {
    const auto& axes = grid_.axes();
    strides_.assign(axes.size(), 1);
    for (std::size_t a = axes.size(); a-- > 1;) strides_[a - 1] = strides_[a] * axes[a].values.size();
}

Eigen::VectorXd SearchProposer::coordinates(std::uint64_t combination) const {
    const auto& axes = grid_.axes();
    Eigen::VectorXd point(static_cast<Eigen::Index>(axes.size()));
    for (std::size_t a = 0; a < axes.size(); ++a) {
        const std::uint64_t size = axes[a].values.size();
        const std::uint64_t position = (combination / strides_[a]) % size;
        point[static_cast<Eigen::Index>(a)] =
            size > 1 ? static_cast<double>(position) / static_cast<double>(size - 1) : 0.0;
    }
    return point;
}

bool SearchProposer::fresh(std::uint64_t combination) {
    if (proposed_.contains(combination)) return false;
    // Combinations the constraints or rules drop are remembered as seen: never tested twice.
    proposed_.insert(combination);
    return runnable(grid_, combination, scratch_);
}

std::vector<std::uint64_t> SearchProposer::next(std::size_t count, std::span<const SearchObservation> observed) {
    std::vector<std::uint64_t> chosen;
    if (spec_.method == SearchMethod::kBayesian && observed.size() >= spec_.initial && observed.size() >= 2)
        chosen = bayesian_combinations(count, observed);
    else
        chosen = random_combinations(
            spec_.method == SearchMethod::kBayesian
                ? std::min<std::size_t>(count, std::max<std::size_t>(spec_.initial - observed.size(), 1))
                : count);
    std::sort(chosen.begin(), chosen.end());
    return chosen;
}

std::vector<std::uint64_t> SearchProposer::random_combinations(std::size_t count) {
    std::vector<std::uint64_t> chosen;
    const std::uint64_t size = grid_.size();
    // Rejection is fast while most of the grid is left; once draws keep landing on combinations
    // seen or dropped, what is left is listed and drawn from directly.
    std::uint64_t misses = 0;
    const std::uint64_t miss_limit = 64 * count + 10'000;
    while (chosen.size() < count && !exhausted_) {
        if (misses < miss_limit) {
            const std::uint64_t combination = random_.below(size);
            if (fresh(combination))
                chosen.push_back(combination);
            else
                ++misses;
            continue;
        }
        std::vector<std::uint64_t> left;
        for (std::uint64_t combination = 0; combination < size; ++combination)
            if (!proposed_.contains(combination) && runnable(grid_, combination, scratch_)) left.push_back(combination);
        const std::size_t wanted = std::min(count - chosen.size(), left.size());
        for (std::size_t i = 0; i < wanted; ++i) {  // a partial Fisher-Yates shuffle
            std::swap(left[i], left[i + random_.below(left.size() - i)]);
            proposed_.insert(left[i]);
            chosen.push_back(left[i]);
        }
        if (wanted == left.size()) exhausted_ = true;
        misses = 0;
    }
    return chosen;
}

std::vector<std::uint64_t> SearchProposer::candidates(std::span<const SearchObservation> observed) {
    std::vector<std::uint64_t> list;
    const std::uint64_t size = grid_.size();
    const auto open = [&](std::uint64_t combination) {
        return !proposed_.contains(combination) && runnable(grid_, combination, scratch_);
    };
    if (size <= kAllCandidatesUpTo) {
        for (std::uint64_t combination = 0; combination < size; ++combination)
            if (open(combination)) list.push_back(combination);
        return list;
    }
    std::unordered_set<std::uint64_t> listed;
    const auto add = [&](std::uint64_t combination) {
        if (!listed.contains(combination) && open(combination)) {
            listed.insert(combination);
            list.push_back(combination);
        }
    };
    std::vector<SearchObservation> best(observed.begin(), observed.end());
    std::stable_sort(best.begin(), best.end(),
                     [](const SearchObservation& a, const SearchObservation& b) { return a.objective > b.objective; });
    best.resize(std::min(best.size(), kNeighbourhoods));
    const auto& axes = grid_.axes();
    for (const SearchObservation& point : best)
        for (std::size_t a = 0; a < axes.size(); ++a) {
            const std::uint64_t position = (point.combination / strides_[a]) % axes[a].values.size();
            for (const std::uint64_t step : {1, 2}) {
                if (position >= step) add(point.combination - step * strides_[a]);
                if (position + step < axes[a].values.size()) add(point.combination + step * strides_[a]);
            }
        }
    for (std::size_t draw = 0; draw < 4 * kSampledCandidates && list.size() < kSampledCandidates; ++draw)
        add(random_.below(size));
    return list;
}

std::vector<std::uint64_t> SearchProposer::bayesian_combinations(std::size_t count,
                                                                 std::span<const SearchObservation> observed) {
    const std::vector<std::uint64_t> pool = candidates(observed);
    if (pool.empty()) return random_combinations(count);  // lists what is left, or finds the grid exhausted
    const auto dimensions = static_cast<Eigen::Index>(grid_.axes().size());
    Eigen::MatrixXd points(static_cast<Eigen::Index>(observed.size()), dimensions);
    Eigen::VectorXd values(static_cast<Eigen::Index>(observed.size()));
    for (std::size_t i = 0; i < observed.size(); ++i) {
        points.row(static_cast<Eigen::Index>(i)) = coordinates(observed[i].combination);
        values[static_cast<Eigen::Index>(i)] = observed[i].objective;
    }
    Eigen::MatrixXd candidate_points(static_cast<Eigen::Index>(pool.size()), dimensions);
    for (std::size_t i = 0; i < pool.size(); ++i)
        candidate_points.row(static_cast<Eigen::Index>(i)) = coordinates(pool[i]);
    // Each pick by expected improvement starts a block of SIMD lanes, which the next picks fill
    // with the best candidates that share its indicator series (its shaping axes): a batch then
    // runs in full lane blocks, as fast per combination as a grid.
    const GaussianProcess process(points, values);
    KrigingBeliever believer(process, candidate_points, GaussianProcessOptions{}.exploration);
    const auto none = static_cast<Eigen::Index>(pool.size());
    std::vector<std::uint64_t> chosen;
    std::vector<bool> same_group(pool.size());
    while (chosen.size() < count) {
        const Eigen::Index anchor = believer.pick();
        if (anchor == none) break;
        const std::uint64_t group = grid_.shaping_index(pool[static_cast<std::size_t>(anchor)]);
        chosen.push_back(pool[static_cast<std::size_t>(anchor)]);
        for (std::size_t i = 0; i < pool.size(); ++i) same_group[i] = grid_.shaping_index(pool[i]) == group;
        for (std::size_t lane = 1; lane < kSweepLanes && chosen.size() < count; ++lane) {
            const Eigen::Index fill = believer.pick(&same_group);
            if (fill == none) break;
            chosen.push_back(pool[static_cast<std::size_t>(fill)]);
        }
    }
    for (const std::uint64_t combination : chosen) proposed_.insert(combination);
    return chosen;
}

}  // namespace tapegrid
