// Parameter declarations: parsing, ranges, unknown names, and every strategy's defaults being valid.
#include <gtest/gtest.h>

#include "strategies/registry.h"

namespace tapegrid {
namespace {

std::string user_error(auto action) {
    try {
        action();
    } catch (const UserError& error) {
        return error.what();
    }
    return "";
}

TEST(Params, ParsesEachTypeAndRefusesWhatIsNot) {
    const ParamSpec integer{.name = "bb_period", .type = ParamType::kInt, .default_value = 20, .min = 2, .max = 100};
    EXPECT_EQ(integer.parse("25"), 25.0);
    EXPECT_EQ(user_error([&] { integer.parse("abc"); }), "bb_period: expected an integer, found 'abc'");
    EXPECT_EQ(user_error([&] { integer.parse("2.5"); }), "bb_period: expected an integer in [2, 100], found 2.5");
    EXPECT_EQ(user_error([&] { integer.parse("1"); }), "bb_period: expected an integer in [2, 100], found 1");
    const ParamSpec number{.name = "bb_std", .type = ParamType::kFloat, .min = 0, .max = 10, .min_exclusive = true};
    EXPECT_EQ(number.parse("2.5"), 2.5);
    EXPECT_EQ(user_error([&] { number.parse("0"); }), "bb_std: expected a number in (0, 10], found 0");
    EXPECT_EQ(user_error([&] { number.parse("nan"); }), "bb_std: expected a number in (0, 10], found nan");
    const ParamSpec flag{.name = "allow_short", .type = ParamType::kBool, .max = 1};
    EXPECT_EQ(flag.parse("true"), 1.0);
    EXPECT_EQ(flag.parse("false"), 0.0);
    EXPECT_EQ(flag.parse("yes"), 1.0);  // the message below names every accepted form
    EXPECT_EQ(flag.parse("0"), 0.0);
    EXPECT_EQ(user_error([&] { flag.parse("maybe"); }),
              "allow_short: expected true or false (or yes/no, 1/0), found 'maybe'");
    static constexpr std::string_view kChoices[] = {"sma", "ema"};
    const ParamSpec choice{.name = "ma_type", .type = ParamType::kChoice, .max = 1, .choices = kChoices};
    EXPECT_EQ(choice.parse("ema"), 1.0);
    EXPECT_EQ(choice.format(1.0), "ema");
    EXPECT_EQ(user_error([&] { choice.parse("wma"); }), "ma_type: expected one of sma, ema, found 'wma'");
}

TEST(Params, EveryStrategyDefaultIsValid) {
    for (const auto* strategy : all_strategies())
        EXPECT_NO_THROW(check_params(*strategy, default_params(strategy->params))) << strategy->name;
}

TEST(Params, UnknownNameListsTheValidOnes) {
    const StrategyInfo& strategy = find_strategy("mean_reversion");
    const std::string message = user_error([&] {
        apply_overrides(strategy, default_params(strategy.params), {{"fast_period", "5"}}, "--set");
    });
    EXPECT_EQ(message.find("--set: 'fast_period' is not a parameter of mean_reversion; its parameters are: bb_period, "
                           "bb_std, rsi_period, rsi_threshold"),
              0u)
        << message;
}

TEST(Params, UnknownStrategyListsTheKnownOnes) {
    EXPECT_EQ(user_error([] { find_strategy("scalper"); }),
              "unknown strategy 'scalper'; expected one of mean_reversion, momentum, ma_crossover, breakout");
}

TEST(Params, OverridesKeepTheOtherValues) {
    const StrategyInfo& strategy = find_strategy("mean_reversion");
    const ParamSet set = apply_overrides(strategy, default_params(strategy.params), {{"rsi_threshold", "25"}}, "--set");
    EXPECT_EQ(set[MeanReversion::kRsiThreshold], 25.0);
    EXPECT_EQ(set[MeanReversion::kBbPeriod], 20.0);
    EXPECT_EQ(set[kCommonOffset<MeanReversion> + kInitialCapital], 100000.0);
}

}  // namespace
}  // namespace tapegrid
