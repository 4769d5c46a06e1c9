// The strategy contract: what every registered strategy declares holds at run time too, and
// types that break the contract do not satisfy it (compile-time refusals: tests/strategies/contract/).
#include "strategies/strategy_contract.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iterator>
#include <set>
#include <string>

#include "strategies/registry.h"
#include "tests/strategies/contract/toy_strategy.h"

namespace tapegrid {
namespace {

struct NoMembers {};
struct OnlyAName {
    static constexpr std::string_view kName = "only_a_name";
    static constexpr std::string_view kSummary = "nothing else";
};
static_assert(!TradingStrategy<NoMembers>);
static_assert(!TradingStrategy<OnlyAName>);
static_assert(TradingStrategy<testing::ToyStrategy>);
static_assert(!HasExitSignal<MeanReversion, 8> && !HasExitSignal<Momentum, 8>);
static_assert(HasExitSignal<MaCrossover, 8> && HasExitSignal<Breakout, 8>);
static_assert(HasParameterRules<MaCrossover> && !HasParameterRules<MeanReversion>);

template <class Strategy>
class EveryStrategy : public ::testing::Test {};

template <class... Strategies>
auto as_test_types(StrategyList<Strategies...>) -> ::testing::Types<Strategies...>;
using Registered = decltype(as_test_types(RegisteredStrategies{}));
TYPED_TEST_SUITE(EveryStrategy, Registered);

TYPED_TEST(EveryStrategy, InfoListsItsOwnParametersThenTheCommonOnes) {
    const StrategyInfo& info = strategy_info<TypeParam>();
    EXPECT_EQ(info.name, TypeParam::kName);
    ASSERT_EQ(info.params.size(), std::size(TypeParam::kParams) + std::size(kCommonParams));
    for (std::size_t i = 0; i < std::size(TypeParam::kParams); ++i)
        EXPECT_EQ(info.params[i].name, TypeParam::kParams[i].name);
    EXPECT_EQ(info.params[kCommonOffset<TypeParam> + kPositionSize].name, "position_size");
    EXPECT_EQ(info.params[kCommonOffset<TypeParam> + kSlippageBps].name, "slippage_bps");
    EXPECT_EQ(&find_strategy(info.name), &info);
}

TYPED_TEST(EveryStrategy, SetsEverySeriesItDeclares) {
    const ParamSet defaults = default_params(strategy_info<TypeParam>().params);
    std::size_t longest = 0;
    for (const IndicatorKey& key : TypeParam::indicators(defaults)) {
        EXPECT_GE(key.period, 1) << key.describe();
        longest = std::max(longest, static_cast<std::size_t>(key.period));
    }
    // The warm-up covers every series' first value (a prior extreme or Wilder average needs
    // `period` bars before it, a window average period - 1).
    EXPECT_GE(TypeParam::first_signal_bar(defaults) + 1, longest);
}

TYPED_TEST(EveryStrategy, OnlyParametersMarkedAsShapingChangeTheSeries) {
    const StrategyInfo& info = strategy_info<TypeParam>();
    const ParamSet defaults = default_params(info.params);
    const auto base_keys = TypeParam::indicators(defaults);
    for (std::size_t i = 0; i < std::size(TypeParam::kParams); ++i) {
        const ParamSpec& spec = info.params[i];
        ParamSet changed = defaults;
        // Another value in range: the middle of a number's range, the top of any other's.
        changed.values[i] = spec.type == ParamType::kFloat ? (spec.min + spec.max) / 2 : spec.max;
        ASSERT_NE(changed.values[i], defaults.values[i]) << spec.name;
        const bool keys_changed = TypeParam::indicators(changed) != base_keys;
        EXPECT_EQ(keys_changed, spec.shapes_indicators)
            << spec.name
            << (keys_changed ? " changes a series but is not marked shapes_indicators"
                             : " is marked shapes_indicators but changes no series");
    }
}

TYPED_TEST(EveryStrategy, RecordsIndicatorsUnderDistinctNames) {
    const ParamSet defaults = default_params(strategy_info<TypeParam>().params);
    std::array<double, TypeParam::kSeriesCount> values{};
    SeriesColumns<TypeParam::kSeriesCount> columns;
    for (std::size_t k = 0; k < values.size(); ++k) {
        values[k] = 1.0 + static_cast<double>(k);
        columns.columns[k] = &values[k];
    }
    std::set<std::string> names;
    for (const auto& [name, value] : TypeParam::recorded_indicators(columns, 0, defaults)) {
        EXPECT_TRUE(names.insert(name).second) << name;
        EXPECT_TRUE(std::isfinite(value)) << name;
    }
    EXPECT_FALSE(names.empty());
}

}  // namespace
}  // namespace tapegrid
