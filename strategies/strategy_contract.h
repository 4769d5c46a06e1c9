// What a strategy must provide, as a C++20 concept checked where strategies are registered
// (strategies/registry.h): a missing member or a wrong signature names the failed requirement.
//
// A strategy is a struct of static members (strategies/mean_reversion.h is a full example):
//   kName, kSummary             its name on the command line and in recordings; one line about it
//   kParams                     its own parameters, a constexpr array of ParamSpec; the common ones
//                               (kCommonParams) follow at kCommonOffset<Strategy>. Indices come from
//                               param_index(kParams, "name"), so they cannot disagree with the specs
//   kSeriesCount, indicators(p) the indicator series it reads, as std::array<IndicatorKey, kSeriesCount>;
//                               combinations with equal keys share the series (a sweep's groups)
//   first_signal_bar(p)         the warm-up: the first bar a signal may occur on
//   BarInputs, inputs(columns, i)        the per-bar inputs read from the series (SeriesColumns::at<K>
//                                        refuses, at compile time, a series beyond kSeriesCount)
//   LaneParams<L>, lane_params<L>(sets)  the per-combination values as lane vectors (L = 2 and 8)
//   entry_signals<L>(bar, inputs, lanes) the lanes that want a long, and a short, entry at this close
//   entry_levels<L>(...)                 the stop and target of new positions
//   recorded_indicators(columns, i, p)   what a live session records with each bar
//   explain(bar, inputs, p, direction)   the words and numbers a recorded signal carries
// Optional:
//   exit_signal<L>(bar, inputs, lanes, direction)  lanes whose position closes at this close
//   check(p)                                       rules between parameters (fast < slow): a message or nothing
// The same functions run live (one bar at a time) and in replay (over columns): why a replay
// with the original parameters reproduces a recorded session exactly.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "strategies/strategy.h"

namespace tapegrid {

namespace contract {
// Each is called only when its problem is found while checking declarations at compile time:
// being non-constexpr, the call does not compile, and the compiler's message names the problem.
void parameter_has_no_name();
void parameter_has_no_description();
void parameter_name_is_declared_twice();
void parameter_name_is_also_a_common_parameter();
void parameter_range_is_empty();
void parameter_default_is_outside_its_range();
void choice_parameter_max_is_not_the_last_choice_index();

// An index in [min, max] (exclusive ends excluded) and whole for integers, true or false for booleans.
consteval bool in_range(const ParamSpec& spec, double value) {
    switch (spec.type) {
        case ParamType::kBool:
            return value == 0.0 || value == 1.0;
        case ParamType::kChoice:
            return value >= 0.0 && value < static_cast<double>(spec.choices.size()) &&
                   value == static_cast<double>(static_cast<long long>(value));
        case ParamType::kInt:
            if (value != static_cast<double>(static_cast<long long>(value))) return false;
            [[fallthrough]];
        case ParamType::kFloat:
            return (spec.min_exclusive ? value > spec.min : value >= spec.min) &&
                   (spec.max_exclusive ? value < spec.max : value <= spec.max);
    }
    return false;
}

template <std::size_t N>
consteval bool valid_declarations(const ParamSpec (&specs)[N]) {
    for (std::size_t i = 0; i < N; ++i) {
        const ParamSpec& spec = specs[i];
        if (spec.name.empty()) parameter_has_no_name();
        if (spec.description.empty()) parameter_has_no_description();
        for (std::size_t j = 0; j < i; ++j)
            if (specs[j].name == spec.name) parameter_name_is_declared_twice();
        for (const ParamSpec& common : kCommonParams)
            if (common.name == spec.name) parameter_name_is_also_a_common_parameter();
        if (spec.min > spec.max) parameter_range_is_empty();
        if (spec.type == ParamType::kChoice && spec.max + 1 != static_cast<double>(spec.choices.size()))
            choice_parameter_max_is_not_the_last_choice_index();
        if (!in_range(spec, spec.default_value)) parameter_default_is_outside_its_range();
    }
    return true;
}
}  // namespace contract

template <class S>
concept NamedStrategy = requires {
    { S::kName } -> std::convertible_to<std::string_view>;
    { S::kSummary } -> std::convertible_to<std::string_view>;
};

template <class S>
concept DeclaresParameters = requires {
    requires std::same_as<std::remove_cvref_t<decltype(S::kParams[0])>, ParamSpec>;
    requires contract::valid_declarations(S::kParams);
};

template <class S>
concept ReadsSeries = requires(const ParamSet& params, const SeriesColumns<S::kSeriesCount>& columns, std::size_t bar) {
    { S::indicators(params) } -> std::same_as<std::array<IndicatorKey, S::kSeriesCount>>;
    { S::first_signal_bar(params) } -> std::same_as<std::size_t>;
    { S::inputs(columns, bar) } -> std::same_as<typename S::BarInputs>;
    { S::recorded_indicators(columns, bar, params) } -> std::same_as<std::vector<std::pair<std::string, double>>>;
};

template <class S, int L>
concept DecidesOnLanes = requires(const std::array<const ParamSet*, L>& sets, const BarPrices& bar,
                                  const typename S::BarInputs& inputs, const typename S::template LaneParams<L>& lanes,
                                  typename Lanes<L>::Doubles value, typename Lanes<L>::Doubles& level) {
    { S::template lane_params<L>(sets) } -> std::same_as<typename S::template LaneParams<L>>;
    { S::template entry_signals<L>(bar, inputs, lanes) } -> std::same_as<EntrySignals<L>>;
    { S::template entry_levels<L>(value, value, bar, inputs, lanes, level, level) } -> std::same_as<void>;
};

template <class S>
concept ExplainsSignals = requires(const BarPrices& bar, const typename S::BarInputs& inputs, const ParamSet& params) {
    { S::explain(bar, inputs, params, 1) } -> std::same_as<SignalExplanation>;
};

// Everything a strategy must provide (the lane widths are the replay's 2 and the sweep's 8).
template <class S>
concept TradingStrategy = NamedStrategy<S> && DeclaresParameters<S> && ReadsSeries<S> && DecidesOnLanes<S, 2> &&
    DecidesOnLanes<S, 8> && ExplainsSignals<S>;

// The contract, one requirement at a time, each failure with a message that says which:
// what registering a strategy runs (strategies/registry.h).
template <class S>
consteval bool check_strategy_contract() {
    static_assert(NamedStrategy<S>, "strategy contract: declare static constexpr std::string_view kName and kSummary");
    static_assert(DeclaresParameters<S>,
                  "strategy contract: declare kParams, a static constexpr array of ParamSpec (its own parameters)");
    static_assert(ReadsSeries<S>,
                  "strategy contract: declare kSeriesCount; indicators(params) returning std::array<IndicatorKey, "
                  "kSeriesCount>; first_signal_bar(params) returning std::size_t; a BarInputs type with "
                  "inputs(const SeriesColumns<kSeriesCount>&, bar); recorded_indicators(columns, bar, params)");
    static_assert(DecidesOnLanes<S, 2> && DecidesOnLanes<S, 8>,
                  "strategy contract: declare LaneParams<L>, lane_params<L>(sets), entry_signals<L>(bar, inputs, "
                  "lanes) returning EntrySignals<L>, and entry_levels<L>(entry, direction, bar, inputs, lanes, stop, "
                  "target)");
    static_assert(ExplainsSignals<S>,
                  "strategy contract: declare explain(bar, inputs, params, direction) returning SignalExplanation");
    return TradingStrategy<S>;
}

// The optional members.
template <class S, int L>
concept HasExitSignal = requires(const BarPrices& bar, const typename S::BarInputs& inputs,
                                 const typename S::template LaneParams<L>& lanes,
                                 typename Lanes<L>::Doubles direction) {
    { S::template exit_signal<L>(bar, inputs, lanes, direction) } -> std::same_as<typename Lanes<L>::Mask>;
};

template <class S>
concept HasParameterRules = requires(const ParamSet& params) {
    { S::check(params) } -> std::same_as<std::optional<std::string>>;
};

}  // namespace tapegrid
