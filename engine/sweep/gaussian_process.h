// The proposal step of a Bayesian parameter search: a Gaussian process over the normalised
// parameter cube, expected improvement, and a batch of points picked by the Kriging believer.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <vector>

namespace tapegrid {

struct GaussianProcessOptions {
    std::vector<double> length_scales = {0.05, 0.1, 0.2, 0.4, 0.8};  // isotropic, chosen by marginal likelihood
    std::vector<double> noise_variances = {1e-6, 1e-3, 1e-2, 1e-1};  // on standardised values, likewise
    double exploration = 0.01;                                       // xi in expected improvement
};

// The Matern 5/2 correlation at distance r: (1 + sqrt5 r / l + 5 r^2 / (3 l^2)) exp(-sqrt5 r / l).
double matern52(double distance, double length_scale);

// A Gaussian process fitted to observations: Matern 5/2 kernel, unit signal variance, values
// standardised (mean 0, population sd 1; sd 1 when constant), length scale and noise chosen from
// the options' grids by the log marginal likelihood (ties: the first listed, length scales outer).
// Throws InternalError on mismatched shapes, no observations or an empty or invalid grid.
class GaussianProcess {
  public:
    GaussianProcess(const Eigen::MatrixXd& points /* n x d */, const Eigen::VectorXd& values /* n */,
                    const GaussianProcessOptions& options = {});

    double length_scale() const { return length_scale_; }
    double noise_variance() const { return noise_variance_; }
    double log_marginal_likelihood() const { return log_marginal_likelihood_; }
    Eigen::Index dimensions() const { return points_.cols(); }
    // The highest observed value, standardised: the incumbent expected improvement measures against.
    double best_observed() const { return best_observed_; }

    // Posterior mean and variance of the latent objective (no observation noise) at each row of
    // `at`, in standardised units; mean_original and variance_original convert them back.
    void predict(const Eigen::MatrixXd& at, Eigen::VectorXd& mean, Eigen::VectorXd& variance) const;
    Eigen::VectorXd mean_original(const Eigen::VectorXd& standardised_mean) const;
    Eigen::VectorXd variance_original(const Eigen::VectorXd& standardised_variance) const;

    // V = L^-1 K(points, at), n x rows(at), L the Cholesky factor of K + noise I: the posterior
    // covariance of two rows is k(a, b) - V_a . V_b, and the posterior mean V_a . L^-1 y.
    Eigen::MatrixXd whitened_cross_covariance(const Eigen::MatrixXd& at) const;
    const Eigen::VectorXd& whitened_values() const { return whitened_values_; }

  private:
    Eigen::MatrixXd points_;
    double value_mean_ = 0.0;
    double value_scale_ = 1.0;
    double best_observed_ = 0.0;
    double length_scale_ = 0.0;
    double noise_variance_ = 0.0;
    double log_marginal_likelihood_ = 0.0;
    Eigen::MatrixXd cholesky_lower_;   // of K + (noise + jitter) I, in the lower triangle
    Eigen::VectorXd whitened_values_;  // L^-1 y
};

// EI for maximisation: z = (mean - best - xi) / sigma, EI = (mean - best - xi) Phi(z) + sigma phi(z);
// max(mean - best - xi, 0) when the variance is not positive.
double expected_improvement(double mean, double variance, double best, double exploration);

// The Kriging believer over a fixed set of candidates (m x d): each pick is the unpicked candidate
// with the highest expected improvement, and conditions the posterior on the picked point having
// been observed, without noise, at its posterior mean. The mean stays; the covariance takes a
// rank-1 downdate, so a batch spreads out instead of piling onto one peak. Costs O(n^2 m) to set
// up and O(m (n + k + d)) for the k-th pick.
class KrigingBeliever {
  public:
    KrigingBeliever(const GaussianProcess& process, const Eigen::MatrixXd& candidates, double exploration);

    // The row picked, or rows(candidates) when every candidate has been picked. Ties go to the lowest row.
    // With `allowed`, only rows it marks true are considered (a search fills a block of SIMD
    // lanes with candidates that share indicator series).
    Eigen::Index pick(const std::vector<bool>* allowed = nullptr);

    // The current posterior, standardised, given the observations and the picks so far.
    const Eigen::VectorXd& mean() const { return mean_; }
    const Eigen::VectorXd& variance() const { return variance_; }

  private:
    void condition_on(Eigen::Index picked);

    Eigen::MatrixXd candidates_;
    double length_scale_;
    double best_observed_;
    double exploration_;
    Eigen::MatrixXd whitened_;  // V = L^-1 K(points, candidates), n x m
    Eigen::VectorXd mean_;
    Eigen::VectorXd variance_;
    std::vector<Eigen::VectorXd> downdates_;  // c_j, one per informative pick
    std::vector<bool> picked_;
};

// Picks `batch` distinct rows of `candidates` (m x d) to evaluate next, in pick order, with a
// KrigingBeliever over a GaussianProcess fitted to (points, values). Fewer than `batch` when
// there are fewer candidates. Deterministic: same inputs, same rows.
std::vector<std::size_t> propose_batch(const Eigen::MatrixXd& points, const Eigen::VectorXd& values,
                                       const Eigen::MatrixXd& candidates, std::size_t batch,
                                       const GaussianProcessOptions& options = {});

}  // namespace tapegrid
