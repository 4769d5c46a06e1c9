// The Gaussian process, expected improvement and the Kriging-believer batch.
#include "engine/sweep/gaussian_process.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <utility>

#include "engine/core/errors.h"

// Everything here runs on one thread: the project never builds with OpenMP, so Eigen's products
// and solves are serial, and the same inputs give the same picks bit for bit.

namespace tapegrid {

namespace {

const double kSqrt5 = std::sqrt(5.0);
// A Cholesky factorisation that fails (duplicate points with no noise, rounding) is retried with
// this much added to the diagonal, ten times more each time up to kLastJitter, in standardised
// units where the prior variance is 1.
constexpr double kFirstJitter = 1e-10;
constexpr double kLastJitter = 1e-4;
// A pick whose posterior variance is below this carries no information worth a downdate: the
// division by sqrt(variance) would only amplify the rounding in its covariance column.
constexpr double kInformativeVariance = 1e-10;

// Squared Euclidean distances between the rows of a (n x d) and b (m x d), n x m. The sum runs
// over the dimensions in order and (a - b)^2 == (b - a)^2, so the matrix of a set with itself is
// exactly symmetric.
Eigen::MatrixXd squared_distances(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
    Eigen::MatrixXd squared = Eigen::MatrixXd::Zero(a.rows(), b.rows());
    for (Eigen::Index column = 0; column < b.rows(); ++column)
        for (Eigen::Index dimension = 0; dimension < a.cols(); ++dimension)
            squared.col(column).array() += (a.col(dimension).array() - b(column, dimension)).square();
    return squared;
}

Eigen::MatrixXd matern52_of_squared(const Eigen::MatrixXd& squared, double length_scale) {
    return squared.unaryExpr([length_scale](double s) { return matern52(std::sqrt(s), length_scale); });
}

void validate(const Eigen::MatrixXd& points, const Eigen::VectorXd& values, const GaussianProcessOptions& options) {
    if (points.rows() == 0) throw InternalError("GaussianProcess: no observations to fit");
    if (points.rows() != values.size())
        throw InternalError("GaussianProcess: " + std::to_string(points.rows()) + " points but " +
                            std::to_string(values.size()) + " values");
    if (!points.allFinite() || !values.allFinite())
        throw InternalError("GaussianProcess: a point or value is not finite");
    if (options.length_scales.empty() || options.noise_variances.empty())
        throw InternalError("GaussianProcess: the length-scale and noise grids must not be empty");
    for (const double length_scale : options.length_scales)
        if (!(length_scale > 0.0) || !std::isfinite(length_scale))
            throw InternalError("GaussianProcess: length scale must be positive, got " + std::to_string(length_scale));
    for (const double noise : options.noise_variances)
        if (!(noise >= 0.0) || !std::isfinite(noise))
            throw InternalError("GaussianProcess: noise variance must be >= 0, got " + std::to_string(noise));
}

// One point of the hyperparameter grid, factorised.
struct Fit {
    Eigen::MatrixXd cholesky_lower;
    Eigen::VectorXd whitened_values;
    double log_marginal_likelihood = 0.0;
};

Fit factorise(const Eigen::MatrixXd& kernel, double noise, const Eigen::VectorXd& values) {
    const auto n = static_cast<double>(values.size());
    for (double jitter = 0.0; jitter <= kLastJitter; jitter = jitter == 0.0 ? kFirstJitter : jitter * 10.0) {
        Fit fit{kernel, values, 0.0};
        fit.cholesky_lower.diagonal().array() += noise + jitter;
        const Eigen::LLT<Eigen::Ref<Eigen::MatrixXd>> cholesky(fit.cholesky_lower);  // in place
        if (cholesky.info() != Eigen::Success) continue;
        const auto lower = fit.cholesky_lower.triangularView<Eigen::Lower>();
        lower.solveInPlace(fit.whitened_values);
        // log N(y; 0, K) = -1/2 y^T K^-1 y - 1/2 log det K - n/2 log 2 pi, with y^T K^-1 y = |L^-1 y|^2
        // and 1/2 log det K = sum log diag L.
        fit.log_marginal_likelihood = -0.5 * fit.whitened_values.squaredNorm() -
                                      fit.cholesky_lower.diagonal().array().log().sum() -
                                      0.5 * n * std::log(2.0 * std::numbers::pi);
        return fit;
    }
    throw InternalError("GaussianProcess: the kernel matrix is not positive definite even with jitter " +
                        std::to_string(kLastJitter));
}

}  // namespace

double matern52(double distance, double length_scale) {
    const double scaled = kSqrt5 * distance / length_scale;
    return (1.0 + scaled + scaled * scaled / 3.0) * std::exp(-scaled);
}

GaussianProcess::GaussianProcess(const Eigen::MatrixXd& points, const Eigen::VectorXd& values,
                                 const GaussianProcessOptions& options)
    : points_(points) {
    validate(points, values, options);
    const auto n = static_cast<double>(values.size());
    value_mean_ = values.mean();
    // The population sd, so a single observation standardises too; a constant objective keeps sd 1
    // rather than dividing by zero.
    const double sd = std::sqrt((values.array() - value_mean_).square().sum() / n);
    value_scale_ = sd > 0.0 ? sd : 1.0;
    const Eigen::VectorXd standardised = (values.array() - value_mean_) / value_scale_;
    best_observed_ = standardised.maxCoeff();

    const Eigen::MatrixXd squared = squared_distances(points, points);
    bool fitted = false;
    for (const double length_scale : options.length_scales) {
        const Eigen::MatrixXd kernel = matern52_of_squared(squared, length_scale);
        for (const double noise : options.noise_variances) {
            Fit fit = factorise(kernel, noise, standardised);
            // Strictly greater, so a tie keeps the first listed.
            if (fitted && !(fit.log_marginal_likelihood > log_marginal_likelihood_)) continue;
            fitted = true;
            length_scale_ = length_scale;
            noise_variance_ = noise;
            log_marginal_likelihood_ = fit.log_marginal_likelihood;
            cholesky_lower_ = std::move(fit.cholesky_lower);
            whitened_values_ = std::move(fit.whitened_values);
        }
    }
}

Eigen::MatrixXd GaussianProcess::whitened_cross_covariance(const Eigen::MatrixXd& at) const {
    if (at.cols() != points_.cols())
        throw InternalError("GaussianProcess: points have " + std::to_string(points_.cols()) +
                            " dimensions but the query has " + std::to_string(at.cols()));
    Eigen::MatrixXd whitened = matern52_of_squared(squared_distances(points_, at), length_scale_);
    cholesky_lower_.triangularView<Eigen::Lower>().solveInPlace(whitened);  // one solve, m right-hand sides
    return whitened;
}

void GaussianProcess::predict(const Eigen::MatrixXd& at, Eigen::VectorXd& mean, Eigen::VectorXd& variance) const {
    const Eigen::MatrixXd whitened = whitened_cross_covariance(at);
    // mean = k^T K^-1 y = (L^-1 k) . (L^-1 y); variance = k(x, x) - |L^-1 k|^2, k(x, x) = 1. Rounding
    // can push the variance of an observed point a hair below 0.
    mean = whitened.transpose() * whitened_values_;
    variance = (1.0 - whitened.colwise().squaredNorm().transpose().array()).cwiseMax(0.0);
}

Eigen::VectorXd GaussianProcess::mean_original(const Eigen::VectorXd& standardised_mean) const {
    return (standardised_mean.array() * value_scale_ + value_mean_).matrix();
}

Eigen::VectorXd GaussianProcess::variance_original(const Eigen::VectorXd& standardised_variance) const {
    return standardised_variance * (value_scale_ * value_scale_);
}

double expected_improvement(double mean, double variance, double best, double exploration) {
    const double improvement = mean - best - exploration;
    if (!(variance > 0.0)) return std::max(improvement, 0.0);
    const double sigma = std::sqrt(variance);
    const double z = improvement / sigma;
    // Phi through erfc keeps its lower tail accurate; the sum is >= 0 in exact arithmetic.
    const double cdf = 0.5 * std::erfc(-z / std::numbers::sqrt2);
    const double pdf = std::exp(-0.5 * z * z) / std::sqrt(2.0 * std::numbers::pi);
    return std::max(improvement * cdf + sigma * pdf, 0.0);
}

KrigingBeliever::KrigingBeliever(const GaussianProcess& process, const Eigen::MatrixXd& candidates, double exploration)
    : candidates_(candidates),
      length_scale_(process.length_scale()),
      best_observed_(process.best_observed()),
      exploration_(exploration),
      whitened_(process.whitened_cross_covariance(candidates)),
      picked_(static_cast<std::size_t>(candidates.rows()), false) {
    mean_ = whitened_.transpose() * process.whitened_values();
    variance_ = (1.0 - whitened_.colwise().squaredNorm().transpose().array()).cwiseMax(0.0);
}

Eigen::Index KrigingBeliever::pick(const std::vector<bool>* allowed) {
    Eigen::Index chosen = candidates_.rows();
    double chosen_improvement = -1.0;  // below any EI, so the first unpicked row is a fallback
    for (Eigen::Index row = 0; row < candidates_.rows(); ++row) {
        if (picked_[static_cast<std::size_t>(row)]) continue;
        if (allowed != nullptr && !(*allowed)[static_cast<std::size_t>(row)]) continue;
        const double improvement = expected_improvement(mean_(row), variance_(row), best_observed_, exploration_);
        if (improvement > chosen_improvement) {  // strictly, so ties go to the lowest row
            chosen = row;
            chosen_improvement = improvement;
        }
    }
    if (chosen == candidates_.rows()) return chosen;
    picked_[static_cast<std::size_t>(chosen)] = true;
    condition_on(chosen);
    return chosen;
}

// Conditioning a Gaussian process on a noiseless observation f(p) = mean(p) leaves the mean alone
// (the residual is zero) and changes the covariance to
//     S_k(x, y) = S_{k-1}(x, y) - S_{k-1}(x, p) S_{k-1}(p, y) / S_{k-1}(p, p).
// Unrolled from the posterior given the real observations, S_0(x, y) = k(x, y) - V_x . V_y, this is
// a pivoted Cholesky: with c_j(x) = S_{j-1}(x, p_j) / sqrt(S_{j-1}(p_j, p_j)) for the j-th pick,
//     S_k(x, y) = k(x, y) - V_x . V_y - sum_{j <= k} c_j(x) c_j(y),
// so the k-th column needs only V and the earlier columns,
//     c_k(x) = (k(x, p_k) - V_x . V_{p_k} - sum_{j < k} c_j(x) c_j(p_k)) / sqrt(S_{k-1}(p_k, p_k)),
// and each variance drops by c_k(x)^2. The picked point's own variance drops to 0.
void KrigingBeliever::condition_on(Eigen::Index picked) {
    const double picked_variance = variance_(picked);
    variance_(picked) = 0.0;
    if (!(picked_variance > kInformativeVariance)) return;
    Eigen::VectorXd squared = Eigen::VectorXd::Zero(candidates_.rows());
    for (Eigen::Index dimension = 0; dimension < candidates_.cols(); ++dimension)
        squared.array() += (candidates_.col(dimension).array() - candidates_(picked, dimension)).square();
    Eigen::VectorXd column = squared.unaryExpr([this](double s) { return matern52(std::sqrt(s), length_scale_); });
    column.noalias() -= whitened_.transpose() * whitened_.col(picked);
    for (const Eigen::VectorXd& earlier : downdates_) column -= earlier * earlier(picked);
    column /= std::sqrt(picked_variance);
    variance_ = (variance_.array() - column.array().square()).cwiseMax(0.0);
    variance_(picked) = 0.0;
    downdates_.push_back(std::move(column));
}

std::vector<std::size_t> propose_batch(const Eigen::MatrixXd& points, const Eigen::VectorXd& values,
                                       const Eigen::MatrixXd& candidates, std::size_t batch,
                                       const GaussianProcessOptions& options) {
    std::vector<std::size_t> picks;
    const std::size_t count = std::min(batch, static_cast<std::size_t>(candidates.rows()));
    if (count == 0) return picks;
    const GaussianProcess process(points, values, options);
    KrigingBeliever believer(process, candidates, options.exploration);
    picks.reserve(count);
    for (std::size_t index = 0; index < count; ++index) picks.push_back(static_cast<std::size_t>(believer.pick()));
    return picks;
}

}  // namespace tapegrid
