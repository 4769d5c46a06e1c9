// Strategy parameters: each declared once (ParamSpec), values held compactly (ParamSet).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tapegrid {

enum class ParamType { kInt, kFloat, kBool, kChoice };

// One parameter, declared once by its strategy: validation, --help, the config checker, the
// JSON written into recordings and the docs tables all come from this declaration. A literal
// type, so that a strategy declares its parameters as a constexpr array and looks their
// indices up by name at compile time (param_index).
struct ParamSpec {
    std::string_view name;
    ParamType type = ParamType::kFloat;
    double default_value = 0.0;
    double min = 0.0;  // valid range; an exclusive bound is noted in min_exclusive/max_exclusive
    double max = 0.0;
    bool min_exclusive = false;
    bool max_exclusive = false;
    std::span<const std::string_view> choices;  // kChoice: the value is an index into these
    std::string_view description;
    bool shapes_indicators = false;  // true: changing it changes an indicator series

    // "an integer in [2, 10000]", "a number > 0", "true or false", "one of sma, ema".
    std::string describe_range() const;
    // Parses text ("25", "2.5", "true", "ema"); throws UserError naming the parameter,
    // what was expected and what was found.
    double parse(std::string_view text) const;
    // Checks a value is of the type and in range; returns the problem in words, or nothing.
    std::optional<std::string> check(double value) const;
    // "25", "2.5", "true", "ema".
    std::string format(double value) const;
};

using ParamSpecs = std::vector<ParamSpec>;

namespace contract {
// Called only from param_index when a name is not declared: being non-constexpr, the call
// fails to compile, and the compiler's message names this function.
void parameter_name_is_not_declared_in_the_specs();
}  // namespace contract

// The index of `name` in `specs`, at compile time: a strategy's parameter constants come from
// its declarations, so they cannot disagree with them (a misspelt name does not compile).
template <std::size_t N>
consteval std::size_t param_index(const ParamSpec (&specs)[N], std::string_view name) {
    for (std::size_t i = 0; i < N; ++i)
        if (specs[i].name == name) return i;
    contract::parameter_name_is_not_declared_in_the_specs();
    return N;
}

// Parameter values in the order of the strategy's specs. Integers, booleans (0/1) and choice
// indices are stored exactly as doubles.
struct ParamSet {
    std::vector<double> values;

    double operator[](std::size_t index) const { return values[index]; }
    bool operator==(const ParamSet&) const = default;
};

// The index of `name` in `specs`, or nothing.
std::optional<std::size_t> find_param(const ParamSpecs& specs, std::string_view name);

// Every spec's default value.
ParamSet default_params(const ParamSpecs& specs);

// "bb_period, bb_std, rsi_period, ..." for messages that list what is valid.
std::string list_param_names(const ParamSpecs& specs);

}  // namespace tapegrid
