// Fuzzes sweep constraints and ranking filters: Condition::parse, then check() and holds() on a few value vectors.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/metric_names.h"
#include "engine/sweep/expression.h"
#include "strategies/registry.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using namespace tapegrid;

// The names a condition may use: a strategy's parameters (a constraint) or the metrics (a filter),
// and a value for each in a few vectors: typical ones, the ranges' ends and the IEEE specials.
struct Variables {
    std::function<std::optional<std::size_t>(const std::string&)> resolve;
    std::string valid_names;
    std::vector<std::vector<double>> vectors;
};

std::vector<std::vector<double>> special_vectors(std::size_t count) {
    const double specials[] = {0.0,
                               -0.0,
                               1.0,
                               -1.0,
                               std::numeric_limits<double>::quiet_NaN(),
                               std::numeric_limits<double>::infinity(),
                               -std::numeric_limits<double>::infinity(),
                               std::numeric_limits<double>::max(),
                               std::numeric_limits<double>::denorm_min()};
    std::vector<std::vector<double>> vectors;
    for (const double value : specials) vectors.emplace_back(count, value);
    std::vector<double> mixed(count);  // every variable a different special
    for (std::size_t i = 0; i < count; ++i) mixed[i] = specials[i % std::size(specials)];
    vectors.push_back(std::move(mixed));
    return vectors;
}

Variables strategy_parameters(const StrategyInfo& strategy) {
    Variables variables{[&strategy](const std::string& name) { return find_param(strategy.params, name); },
                        list_param_names(strategy.params), special_vectors(strategy.params.size())};
    std::vector<double> defaults, minimums, maximums;
    for (const auto& spec : strategy.params) {
        defaults.push_back(spec.default_value);
        minimums.push_back(spec.min);
        maximums.push_back(spec.max);
    }
    variables.vectors.push_back(defaults);
    variables.vectors.push_back(minimums);
    variables.vectors.push_back(maximums);
    return variables;
}

Variables metrics() {
    Variables variables{[](const std::string& name) -> std::optional<std::size_t> {
                            const auto metric = parse_metric(name);
                            if (!metric) return std::nullopt;
                            for (std::size_t i = 0; i < kAllMetrics.size(); ++i)
                                if (kAllMetrics[i] == *metric) return i;
                            return std::nullopt;
                        },
                        list_metric_names(), special_vectors(kAllMetrics.size())};
    // A plausible row: 40 trades, 55% won, 3% drawdown, Sharpe 1.2, ...
    variables.vectors.push_back({40, 22, 18, 55, 1250.5, 300, 3, 1.2, 1.6, 1.4, 31.3, 4000, -2750, 35, 101250.5});
    return variables;
}

const std::vector<Variables>& all_variables() {
    static const std::vector<Variables> all = [] {
        std::vector<Variables> list{metrics()};
        for (const StrategyInfo* strategy : all_strategies()) list.push_back(strategy_parameters(*strategy));
        return list;
    }();
    return all;
}

void check(const Condition& condition, const Variables& variables, const std::string& text) {
    if (condition.text() != text) fuzz::report_unexpected("Condition::text", "mismatch", condition.text());
    for (const auto& vector : variables.vectors) {
        for (const std::size_t index : condition.variables())
            if (index >= vector.size()) fuzz::report_unexpected("Condition::variables", "index out of range", text);
        const std::optional<bool> checked = condition.check(vector.data());
        if (condition.check(vector.data()) != checked)
            fuzz::report_unexpected("Condition::check", "not repeatable", text);
        if (condition.holds(vector.data()) != checked.value_or(false))
            fuzz::report_unexpected("Condition::holds", "disagreement with check()", text);
    }
}

}  // namespace

// The first byte picks the names (metrics, or one strategy's parameters); the rest is the condition.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::FuzzInput input(data, size);
    const Variables& variables = all_variables()[input.byte() % all_variables().size()];
    const std::string text(input.rest());
    fuzz::expect_only_user_errors("Condition::parse", [&] {
        const Condition condition = Condition::parse(text, variables.resolve, variables.valid_names);
        check(condition, variables, text);
    });
    return 0;
}
