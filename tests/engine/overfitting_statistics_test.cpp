// The probabilistic and deflated Sharpe ratios and the normal distribution behind them, against
// values worked out independently (Python's statistics.NormalDist, double precision).
#include "engine/sweep/overfitting_statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace tapegrid {
namespace {

TEST(OverfittingStatistics, TheNormalDistributionToDoublePrecision) {
    EXPECT_NEAR(normal_cdf(1.0), 0.8413447460685429, 1e-15);
    EXPECT_EQ(normal_cdf(0.0), 0.5);
    const std::vector<std::pair<double, double>> quantiles = {{0.975, 1.9599639845400536},
                                                              {0.3, -0.5244005127080407},
                                                              {1e-10, -6.361340902404056},
                                                              {1e-300, -37.0470962993612},
                                                              {1e-20, -9.262340089798405},
                                                              {0.02425, -1.9729610513118845},
                                                              {0.5, 0.0},
                                                              {0.9, 1.2815515655446008},
                                                              {0.999999, 4.753424308817089}};
    for (const auto& [p, expected] : quantiles)
        EXPECT_NEAR(normal_quantile(p), expected, 1e-13 * std::max(1.0, std::abs(expected))) << p;
    EXPECT_TRUE(std::isnan(normal_quantile(0.0)));
    EXPECT_TRUE(std::isnan(normal_quantile(1.0)));
    EXPECT_TRUE(std::isnan(normal_quantile(std::nan(""))));
}

TEST(OverfittingStatistics, MomentsOfAReturnSeries) {
    const std::vector<double> returns = {0.01, -0.02, 0.015, 0.003, -0.004, 0.02, -0.01, 0.007};
    const ReturnMoments moments = return_moments(returns);
    EXPECT_EQ(moments.count, 8u);
    EXPECT_NEAR(moments.sharpe, 0.19692005940992974, 1e-14);
    EXPECT_NEAR(moments.skewness, -0.4035524742271674, 1e-13);
    EXPECT_NEAR(moments.kurtosis, 2.10585268478796, 1e-13);
    EXPECT_NEAR(probabilistic_sharpe_ratio(moments, 0.0), 0.6911053331289785, 1e-13);
    // A flat series has no Sharpe ratio; a single return no spread.
    const ReturnMoments flat = return_moments(std::vector<double>{0.001, 0.001, 0.001});
    EXPECT_EQ(flat.sharpe, 0.0);
    EXPECT_EQ(flat.kurtosis, 3.0);
    EXPECT_TRUE(std::isnan(probabilistic_sharpe_ratio(return_moments(std::vector<double>{0.01}), 0.0)));
}

// SR = 0.1 a bar over T = 250 bars, skewness -0.5, kurtosis 4; 100 trials whose Sharpe ratios
// vary with variance 0.0025: significant against 0 (PSR 0.94), not once the 100 trials are
// counted (SR* = 0.127 > SR, DSR 0.34).
TEST(OverfittingStatistics, ProbabilisticAndDeflatedSharpeRatiosAsWorkedOut) {
    const ReturnMoments moments{250, 0.1, -0.5, 4.0};
    EXPECT_NEAR(probabilistic_sharpe_ratio(moments, 0.0), 0.9375434364545412, 1e-13);
    EXPECT_NEAR(expected_maximum_sharpe(0.0025, 100), 0.12653014466008425, 1e-14);
    EXPECT_NEAR(deflated_sharpe_ratio(moments, 0.0025, 100), 0.34196795973275673, 1e-13);
    // One trial: nothing to deflate.
    EXPECT_EQ(expected_maximum_sharpe(0.0025, 1), 0.0);
    EXPECT_EQ(deflated_sharpe_ratio(moments, 0.0025, 1), probabilistic_sharpe_ratio(moments, 0.0));
    // More trials, a higher bar.
    EXPECT_GT(expected_maximum_sharpe(0.0025, 10000), expected_maximum_sharpe(0.0025, 100));
}

}  // namespace
}  // namespace tapegrid
