// The Gaussian process, expected improvement and the Kriging-believer batch, against numbers worked
// out by hand (checked in Python with math.exp, math.erfc) and against a direct refit of the process.
#include "engine/sweep/gaussian_process.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <vector>

namespace tapegrid {
namespace {

// splitmix64 (Steele, Lea and Flood, 2014): a seeded stream the same on every platform.
class SplitMix64 {
  public:
    explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
    std::size_t below(std::size_t bound) { return static_cast<std::size_t>(next() % bound); }

  private:
    std::uint64_t state_;
};

Eigen::MatrixXd random_points(SplitMix64& random, Eigen::Index rows, Eigen::Index dimensions) {
    Eigen::MatrixXd points(rows, dimensions);
    for (Eigen::Index row = 0; row < rows; ++row)
        for (Eigen::Index dimension = 0; dimension < dimensions; ++dimension) points(row, dimension) = random.uniform();
    return points;
}

// A smooth surface with a ridge, for the believer tests.
Eigen::VectorXd surface(const Eigen::MatrixXd& points) {
    Eigen::VectorXd values(points.rows());
    for (Eigen::Index row = 0; row < points.rows(); ++row)
        values(row) =
            std::sin(3.0 * points(row, 0)) + points(row, 1) * points(row, 1) - 0.5 * points(row, 0) * points(row, 1);
    return values;
}

Eigen::MatrixXd append_row(const Eigen::MatrixXd& matrix, const Eigen::RowVectorXd& row) {
    Eigen::MatrixXd grown(matrix.rows() + 1, matrix.cols());
    grown << matrix, row;
    return grown;
}

Eigen::VectorXd append_value(const Eigen::VectorXd& vector, double value) {
    Eigen::VectorXd grown(vector.size() + 1);
    grown << vector, value;
    return grown;
}

GaussianProcessOptions fixed(double length_scale, double noise) {
    GaussianProcessOptions options;
    options.length_scales = {length_scale};
    options.noise_variances = {noise};
    return options;
}

// r = 0.3, l = 0.5: s = sqrt5 * 0.6 = 1.3416408, 5 r^2 / (3 l^2) = 1.8 / 3 = 0.6, so
// k = (1 + 1.3416408 + 0.6) * exp(-1.3416408) = 3.9416408 * 0.1950959 = 0.7689931.
TEST(GaussianProcess, Matern52AsWorkedOut) {
    EXPECT_EQ(matern52(0.0, 0.5), 1.0);
    EXPECT_NEAR(matern52(0.3, 0.5), 0.768993109251618, 1e-15);
    EXPECT_NEAR(matern52(1.0, 0.1), 3.6956962220528686e-08, 1e-22);
    EXPECT_GT(matern52(0.1, 0.5), matern52(0.2, 0.5));
}

// One observation, 3.0 at x = 0.2: standardised it is 0 (sd 1 for a constant), so the mean is the
// observed value everywhere; at x = 0.5 the variance is 1 - k(0.3)^2 / (1 + noise)
// = 1 - 0.7689931^2 / 1.01 = 0.4145046.
TEST(GaussianProcess, OneObservationAsWorkedOut) {
    const Eigen::MatrixXd points{{0.2}};
    const Eigen::VectorXd values{{3.0}};
    const GaussianProcess process(points, values, fixed(0.5, 0.01));
    Eigen::VectorXd mean;
    Eigen::VectorXd variance;
    process.predict(Eigen::MatrixXd{{0.5}}, mean, variance);
    EXPECT_NEAR(mean(0), 0.0, 1e-12);
    EXPECT_NEAR(process.mean_original(mean)(0), 3.0, 1e-12);
    EXPECT_NEAR(variance(0), 0.41450455239953377, 1e-12);
    EXPECT_NEAR(process.variance_original(variance)(0), 0.41450455239953377, 1e-12);
    // log N(0; 0, 1.01) = -1/2 log 1.01 - 1/2 log 2 pi.
    EXPECT_NEAR(process.log_marginal_likelihood(), -0.9239136986312567, 1e-12);
    EXPECT_EQ(process.best_observed(), 0.0);
}

// Two observations, 1.0 at x = 0.2 and 3.0 at x = 0.6: mean 2, population sd 1, so y = (-1, 1).
// l = 0.5, noise 0.01: K = [[1.01, k(0.4)], [k(0.4), 1.01]], k(0.4) = 0.6444563,
// det = 1.0201 - 0.4153239 = 0.6047760; K^-1 y = (-1, 1) (1.01 + 0.6444563) / det = (-1, 1) 2.7356512.
// At x = 0.5, k* = (k(0.3), k(0.1)) = (0.7689931, 0.9679861):
// mean = (0.9679861 - 0.7689931) 2.7356512 = 0.5443755 (2.5443755 in original units, sd 1),
// variance = 1 - k*^T K^-1 k* = 1 - (1.01 (k1^2 + k2^2) - 2 k(0.4) k1 k2) / det = 0.0340274.
TEST(GaussianProcess, TwoObservationsAsWorkedOut) {
    const Eigen::MatrixXd points{{0.2}, {0.6}};
    const Eigen::VectorXd values{{1.0, 3.0}};
    const GaussianProcess process(points, values, fixed(0.5, 0.01));
    Eigen::VectorXd mean;
    Eigen::VectorXd variance;
    process.predict(Eigen::MatrixXd{{0.5}}, mean, variance);
    EXPECT_NEAR(mean(0), 0.5443754744479028, 1e-12);
    EXPECT_NEAR(process.mean_original(mean)(0), 2.544375474447903, 1e-12);
    EXPECT_NEAR(variance(0), 0.03402738989962184, 1e-12);
    // -1/2 y^T K^-1 y - 1/2 log det - log 2 pi = -2.7356512 - 1/2 log 0.6047760 - 1.8378771.
    EXPECT_NEAR(process.log_marginal_likelihood(), -4.322079763122559, 1e-12);
    EXPECT_EQ(process.best_observed(), 1.0);
}

// The same two observations over a grid: log marginal likelihoods (l, noise) -> (0.1, 0.001)
// -2.8426566, (0.1, 0.01) -2.8426204, (0.5, 0.001) -4.3759422, (0.5, 0.01) -4.3220798,
// (2, 0.001) -30.7615128, (2, 0.01) -24.3956970.
TEST(GaussianProcess, ChoosesTheHyperparametersOfHighestMarginalLikelihood) {
    const Eigen::MatrixXd points{{0.2}, {0.6}};
    const Eigen::VectorXd values{{1.0, 3.0}};
    GaussianProcessOptions options;
    options.length_scales = {0.5, 2.0, 0.1};
    options.noise_variances = {0.001, 0.01};
    const GaussianProcess process(points, values, options);
    EXPECT_EQ(process.length_scale(), 0.1);
    EXPECT_EQ(process.noise_variance(), 0.01);
    EXPECT_NEAR(process.log_marginal_likelihood(), -2.842620433354073, 1e-12);
}

// One observation standardises to 0, so every length scale gives K = 1 + noise and the same
// likelihood: the tie goes to the first listed.
TEST(GaussianProcess, TiesGoToTheFirstListed) {
    GaussianProcessOptions options;
    options.length_scales = {0.3, 0.1, 0.5};
    options.noise_variances = {0.1, 0.01, 0.01};
    const GaussianProcess process(Eigen::MatrixXd{{0.4, 0.4}}, Eigen::VectorXd{{7.0}}, options);
    EXPECT_EQ(process.length_scale(), 0.3);
    EXPECT_EQ(process.noise_variance(), 0.01);
}

// Duplicate points with no noise make K singular; the jitter rescues the factorisation.
TEST(GaussianProcess, DuplicatePointsWithoutNoiseStillFit) {
    const Eigen::MatrixXd points{{0.3}, {0.3}, {0.7}};
    const Eigen::VectorXd values{{1.0, 1.0, 2.0}};
    const GaussianProcess process(points, values, fixed(0.2, 0.0));
    Eigen::VectorXd mean;
    Eigen::VectorXd variance;
    process.predict(points, mean, variance);
    EXPECT_NEAR(process.mean_original(mean)(0), 1.0, 1e-4);
    EXPECT_NEAR(process.mean_original(mean)(2), 2.0, 1e-4);
}

TEST(GaussianProcess, RejectsMismatchedShapes) {
    EXPECT_THROW(GaussianProcess(Eigen::MatrixXd(2, 1), Eigen::VectorXd(3)), std::runtime_error);
    EXPECT_THROW(GaussianProcess(Eigen::MatrixXd(0, 1), Eigen::VectorXd(0)), std::runtime_error);
    EXPECT_THROW(GaussianProcess(Eigen::MatrixXd{{0.5}}, Eigen::VectorXd{{1.0}}, fixed(0.0, 0.01)), std::runtime_error);
    const GaussianProcess process(Eigen::MatrixXd{{0.5}}, Eigen::VectorXd{{1.0}});
    Eigen::VectorXd mean;
    Eigen::VectorXd variance;
    EXPECT_THROW(process.predict(Eigen::MatrixXd{{0.5, 0.5}}, mean, variance), std::runtime_error);
}

// mean 0.5, sd 0.5, best 0.2, xi 0.01: improvement 0.29, z = 0.58,
// EI = 0.29 Phi(0.58) + 0.5 phi(0.58) = 0.29 * 0.7190426 + 0.5 * 0.3371294 = 0.3771124.
TEST(ExpectedImprovement, AsWorkedOut) {
    EXPECT_NEAR(expected_improvement(0.5, 0.25, 0.2, 0.01), 0.3771123523306066, 1e-15);
    // improvement -1.5, sd 2, z = -0.75: -1.5 * 0.2266274 + 2 * 0.3011374 = 0.2623338.
    EXPECT_NEAR(expected_improvement(-1.0, 4.0, 0.5, 0.0), 0.2623338357443066, 1e-15);
    // At z = 0, EI = sigma phi(0) = 1 / sqrt(2 pi).
    EXPECT_NEAR(expected_improvement(0.0, 1.0, 0.0, 0.0), 0.3989422804014327, 1e-15);
    // Far in the lower tail (z = -5) the two terms nearly cancel: -0.5 * 2.8665157e-7 + 0.1 * 1.4867195e-6.
    EXPECT_NEAR(expected_improvement(-0.5, 0.01, 0.0, 0.0), 5.3461655338324995e-09, 1e-20);
    // No variance: the plain improvement, never negative.
    EXPECT_DOUBLE_EQ(expected_improvement(0.3, 0.0, 0.1, 0.05), 0.15);
    EXPECT_EQ(expected_improvement(0.1, 0.0, 0.3, 0.0), 0.0);
    EXPECT_EQ(expected_improvement(-50.0, 1.0, 0.0, 0.0), 0.0);
}

TEST(ProposeBatch, ReturnsDistinctRowsAndTheBestExpectedImprovementFirst) {
    SplitMix64 random(7);
    const Eigen::MatrixXd points = random_points(random, 12, 2);
    const Eigen::VectorXd values = surface(points);
    const Eigen::MatrixXd candidates = random_points(random, 40, 2);
    const GaussianProcessOptions options;
    const std::vector<std::size_t> picks = propose_batch(points, values, candidates, 20, options);
    ASSERT_EQ(picks.size(), 20u);
    EXPECT_EQ(std::set<std::size_t>(picks.begin(), picks.end()).size(), 20u);

    // The first pick is the argmax of EI under the posterior given the observations alone, against
    // the best observed value standardised independently here.
    const GaussianProcess process(points, values, options);
    const double value_mean = values.mean();
    const double value_sd = std::sqrt((values.array() - value_mean).square().mean());
    const double best = (values.maxCoeff() - value_mean) / value_sd;
    EXPECT_NEAR(process.best_observed(), best, 1e-12);
    Eigen::VectorXd mean;
    Eigen::VectorXd variance;
    process.predict(candidates, mean, variance);
    std::size_t argmax = 0;
    for (Eigen::Index row = 1; row < candidates.rows(); ++row)
        if (expected_improvement(mean(row), variance(row), best, options.exploration) >
            expected_improvement(mean(argmax), variance(argmax), best, options.exploration))
            argmax = static_cast<std::size_t>(row);
    EXPECT_EQ(picks.front(), argmax);

    // More asked for than there are candidates: each candidate once.
    const std::vector<std::size_t> all = propose_batch(points, values, candidates.topRows(5), 64, options);
    EXPECT_EQ(std::set<std::size_t>(all.begin(), all.end()), (std::set<std::size_t>{0, 1, 2, 3, 4}));
    EXPECT_TRUE(propose_batch(points, values, candidates, 0, options).empty());
}

// The downdate against a direct refit: with no noise, observing a picked point at its posterior
// mean is exactly what a process fitted to the observations plus the picks computes, and its
// standardised variance depends on the points alone (unit signal variance), not on the values.
TEST(KrigingBeliever, VariancesMatchARefitWithThePicksObservedAtTheirMean) {
    SplitMix64 random(11);
    Eigen::MatrixXd points = random_points(random, 8, 2);
    Eigen::VectorXd values = surface(points);
    const Eigen::MatrixXd candidates = random_points(random, 60, 2);
    const GaussianProcessOptions options = fixed(0.3, 0.0);
    const GaussianProcess process(points, values, options);
    KrigingBeliever believer(process, candidates, options.exploration);
    for (int pick = 0; pick < 3; ++pick) {
        const Eigen::VectorXd variance_before = believer.variance();
        const Eigen::Index picked = believer.pick();
        ASSERT_LT(picked, candidates.rows());
        EXPECT_EQ(believer.variance()(picked), 0.0);

        // The nearest other candidate is now less uncertain.
        Eigen::Index neighbour = picked == 0 ? 1 : 0;
        for (Eigen::Index row = 0; row < candidates.rows(); ++row)
            if (row != picked && (candidates.row(row) - candidates.row(picked)).squaredNorm() <
                                     (candidates.row(neighbour) - candidates.row(picked)).squaredNorm())
                neighbour = row;
        EXPECT_LT(believer.variance()(neighbour), variance_before(neighbour) - 1e-3) << "pick " << pick;

        const double believed = process.mean_original(believer.mean().segment(picked, 1))(0);
        points = append_row(points, candidates.row(picked));
        values = append_value(values, believed);
        const GaussianProcess refit(points, values, options);
        Eigen::VectorXd mean;
        Eigen::VectorXd variance;
        refit.predict(candidates, mean, variance);
        for (Eigen::Index row = 0; row < candidates.rows(); ++row)
            EXPECT_NEAR(believer.variance()(row), variance(row), 1e-9) << "pick " << pick << " row " << row;
    }
}

// With noise the believer still observes its picks exactly: the covariance is that of the latent
// values at the candidates given noisy observations at the points and exact ones at the picks,
// computed here in one dense solve.
TEST(KrigingBeliever, WithNoiseVariancesMatchTheJointConditioning) {
    SplitMix64 random(13);
    const Eigen::MatrixXd points = random_points(random, 10, 3);
    const Eigen::VectorXd values = surface(points);
    const Eigen::MatrixXd candidates = random_points(random, 50, 3);
    const double length_scale = 0.4;
    const double noise = 0.01;
    const GaussianProcess process(points, values, fixed(length_scale, noise));
    KrigingBeliever believer(process, candidates, 0.01);
    Eigen::MatrixXd conditioned = points;
    for (int pick = 0; pick < 3; ++pick) {
        const Eigen::Index picked = believer.pick();
        conditioned = append_row(conditioned, candidates.row(picked));
        const Eigen::Index size = conditioned.rows();
        Eigen::MatrixXd joint(size, size);
        for (Eigen::Index i = 0; i < size; ++i)
            for (Eigen::Index j = 0; j < size; ++j)
                joint(i, j) = matern52((conditioned.row(i) - conditioned.row(j)).norm(), length_scale);
        joint.diagonal().head(points.rows()).array() += noise;
        const Eigen::LDLT<Eigen::MatrixXd> solver(joint);
        for (Eigen::Index row = 0; row < candidates.rows(); ++row) {
            Eigen::VectorXd cross(size);
            for (Eigen::Index i = 0; i < size; ++i)
                cross(i) = matern52((conditioned.row(i) - candidates.row(row)).norm(), length_scale);
            const double expected = std::max(1.0 - cross.dot(solver.solve(cross)), 0.0);
            EXPECT_NEAR(believer.variance()(row), expected, 1e-9) << "pick " << pick << " row " << row;
        }
    }
}

// A global peak at (0.72, 0.31), narrow, and a broad lower one at (0.25, 0.75).
double two_peaks(double x, double y) {
    const auto bump = [](double dx, double dy, double width) {
        return std::exp(-(dx * dx + dy * dy) / (2.0 * width * width));
    };
    return bump(x - 0.72, y - 0.31, 0.08) + 0.6 * bump(x - 0.25, y - 0.75, 0.15);
}

// A 40 x 40 lattice over the unit square; each point's value.
struct Lattice {
    static constexpr std::size_t kSide = 40;
    Eigen::MatrixXd points = Eigen::MatrixXd(kSide * kSide, 2);
    std::vector<double> values;
    Lattice() {
        for (std::size_t i = 0; i < kSide; ++i)
            for (std::size_t j = 0; j < kSide; ++j) {
                const auto row = static_cast<Eigen::Index>(i * kSide + j);
                points(row, 0) = static_cast<double>(i) / (kSide - 1);
                points(row, 1) = static_cast<double>(j) / (kSide - 1);
                values.push_back(two_peaks(points(row, 0), points(row, 1)));
            }
    }
};

// Draws distinct lattice rows until `count` are evaluated.
void draw_distinct(SplitMix64& random, std::size_t count, std::vector<bool>& evaluated,
                   std::vector<std::size_t>& order) {
    while (order.size() < count) {
        const std::size_t row = random.below(evaluated.size());
        if (evaluated[row]) continue;
        evaluated[row] = true;
        order.push_back(row);
    }
}

struct SearchResult {
    double best = -1.0;
    std::vector<std::size_t> order;
};

// 10 random seeds, then 6 rounds of 8 proposed among the unevaluated lattice points.
SearchResult bayesian_search(const Lattice& lattice, std::uint64_t seed) {
    SplitMix64 random(seed);
    std::vector<bool> evaluated(lattice.values.size(), false);
    SearchResult result;
    draw_distinct(random, 10, evaluated, result.order);
    for (int round = 0; round < 6; ++round) {
        Eigen::MatrixXd points(static_cast<Eigen::Index>(result.order.size()), 2);
        Eigen::VectorXd values(points.rows());
        for (std::size_t index = 0; index < result.order.size(); ++index) {
            points.row(static_cast<Eigen::Index>(index)) =
                lattice.points.row(static_cast<Eigen::Index>(result.order[index]));
            values(static_cast<Eigen::Index>(index)) = lattice.values[result.order[index]];
        }
        std::vector<std::size_t> open;
        for (std::size_t row = 0; row < evaluated.size(); ++row)
            if (!evaluated[row]) open.push_back(row);
        Eigen::MatrixXd candidates(static_cast<Eigen::Index>(open.size()), 2);
        for (std::size_t index = 0; index < open.size(); ++index)
            candidates.row(static_cast<Eigen::Index>(index)) =
                lattice.points.row(static_cast<Eigen::Index>(open[index]));
        for (const std::size_t pick : propose_batch(points, values, candidates, 8)) {
            evaluated[open[pick]] = true;
            result.order.push_back(open[pick]);
        }
    }
    for (const std::size_t row : result.order) result.best = std::max(result.best, lattice.values[row]);
    return result;
}

// 58 evaluations of 1,600. Over seeds 2020 to 2039 the search reached the top 1% every time and the
// lattice maximum 18 times; random search reached the top 1% 8 times (1 - 0.99^58 = 44% expected),
// and on this seed stays on the broad lower peak.
TEST(ProposeBatch, FindsTheGlobalPeakAndBeatsRandomSearch) {
    const Lattice lattice;
    const std::uint64_t seed = 2024;
    const SearchResult search = bayesian_search(lattice, seed);
    ASSERT_EQ(search.order.size(), 58u);
    EXPECT_EQ(std::set<std::size_t>(search.order.begin(), search.order.end()).size(), 58u);

    std::vector<double> sorted = lattice.values;
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    const double top_percent = sorted[lattice.values.size() / 100 - 1];  // the 16th best of 1600
    EXPECT_GE(search.best, top_percent);

    // Random search with the same 58 evaluations, starting from the same 10 seeds.
    SplitMix64 random(seed);
    std::vector<bool> evaluated(lattice.values.size(), false);
    std::vector<std::size_t> order;
    draw_distinct(random, 58, evaluated, order);
    double random_best = -1.0;
    for (const std::size_t row : order) random_best = std::max(random_best, lattice.values[row]);
    EXPECT_GT(search.best, random_best);
}

TEST(ProposeBatch, SameInputsSamePicks) {
    SplitMix64 random(17);
    const Eigen::MatrixXd points = random_points(random, 30, 4);
    const Eigen::VectorXd values = surface(points);
    const Eigen::MatrixXd candidates = random_points(random, 300, 4);
    const std::vector<std::size_t> first = propose_batch(points, values, candidates, 16);
    const std::vector<std::size_t> second = propose_batch(points, values, candidates, 16);
    EXPECT_EQ(first, second);
    EXPECT_EQ(first.size(), 16u);
}

}  // namespace
}  // namespace tapegrid
