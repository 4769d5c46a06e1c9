// Parsing, checking and formatting parameter values against their specs.
#include "engine/core/params.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "engine/core/errors.h"

namespace tapegrid {

namespace {

std::string number(double value) {
    return fmt::format("{}", value);
}

}  // namespace

std::string ParamSpec::describe_range() const {
    switch (type) {
        case ParamType::kBool:
            return "true or false";
        case ParamType::kChoice:
            return fmt::format("one of {}", fmt::join(choices, ", "));
        case ParamType::kInt:
            return fmt::format("an integer in [{}, {}]", number(min), number(max));
        case ParamType::kFloat:
            return fmt::format("a number in {}{}, {}{}", min_exclusive ? "(" : "[", number(min), number(max),
                               max_exclusive ? ")" : "]");
    }
    return "";
}

std::optional<std::string> ParamSpec::check(double value) const {
    const auto out_of_range = [&] {
        return fmt::format("{}: expected {}, found {}", name, describe_range(), format(value));
    };
    if (!std::isfinite(value)) return out_of_range();
    switch (type) {
        case ParamType::kBool:
            if (value != 0.0 && value != 1.0) return out_of_range();
            return std::nullopt;
        case ParamType::kChoice:
            if (value < 0 || value >= static_cast<double>(choices.size()) || value != std::floor(value))
                return out_of_range();
            return std::nullopt;
        case ParamType::kInt:
            if (value != std::floor(value)) return out_of_range();
            [[fallthrough]];
        case ParamType::kFloat:
            if (min_exclusive ? value <= min : value < min) return out_of_range();
            if (max_exclusive ? value >= max : value > max) return out_of_range();
            return std::nullopt;
    }
    return std::nullopt;
}

double ParamSpec::parse(std::string_view text) const {
    const std::string shown(text);
    switch (type) {
        case ParamType::kBool:
            if (text == "true" || text == "1" || text == "yes") return 1.0;
            if (text == "false" || text == "0" || text == "no") return 0.0;
            throw UserError(fmt::format("{}: expected true or false (or yes/no, 1/0), found '{}'", name, shown));
        case ParamType::kChoice:
            for (std::size_t i = 0; i < choices.size(); ++i)
                if (choices[i] == text) return static_cast<double>(i);
            throw UserError(fmt::format("{}: expected one of {}, found '{}'", name, fmt::join(choices, ", "), shown));
        case ParamType::kInt:
        case ParamType::kFloat: {
            double value = 0;
            const char* begin = text.data();
            const char* end = text.data() + text.size();
            if (begin != end && *begin == '+') ++begin;
            const auto [stop, error] = std::from_chars(begin, end, value);
            if (text.empty() || error != std::errc() || stop != end)
                throw UserError(fmt::format("{}: expected {}, found '{}'", name,
                                            type == ParamType::kInt ? "an integer" : "a number", shown));
            if (const auto problem = check(value)) throw UserError(*problem);
            return value;
        }
    }
    throw InternalError("unknown parameter type");
}

std::string ParamSpec::format(double value) const {
    switch (type) {
        case ParamType::kBool:
            return value != 0.0 ? "true" : "false";
        case ParamType::kChoice: {
            const auto index = static_cast<std::size_t>(value);
            return value >= 0 && index < choices.size() ? std::string(choices[index]) : number(value);
        }
        case ParamType::kInt:
        case ParamType::kFloat:
            return number(value);
    }
    return number(value);
}

std::optional<std::size_t> find_param(const ParamSpecs& specs, std::string_view name) {
    for (std::size_t i = 0; i < specs.size(); ++i)
        if (specs[i].name == name) return i;
    return std::nullopt;
}

ParamSet default_params(const ParamSpecs& specs) {
    ParamSet set;
    set.values.reserve(specs.size());
    for (const auto& spec : specs) set.values.push_back(spec.default_value);
    return set;
}

std::string list_param_names(const ParamSpecs& specs) {
    std::vector<std::string> names;
    for (const auto& spec : specs) names.emplace_back(spec.name);
    return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace tapegrid
