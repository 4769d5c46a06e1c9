// Ranking keys, tie-breakers and filters from metric names, each checked against the known metrics.
#include "io/config/rank_section.h"

#include <fmt/format.h>

#include "engine/core/errors.h"

namespace tapegrid {

namespace {

// rank.filters: conditions over metric values, a metric's variable numbered as in kAllMetrics.
std::vector<Condition> read_filters(const ConfigReader& config, const toml::node& node) {
    std::vector<Condition> filters;
    const auto texts = config.strings(node, "rank.filters");
    for (const auto& text : texts) {
        try {
            filters.push_back(Condition::parse(
                text,
                [](const std::string& name) -> std::optional<std::size_t> {
                    const auto metric = parse_metric(name);
                    if (!metric) return std::nullopt;
                    for (std::size_t i = 0; i < kAllMetrics.size(); ++i)
                        if (kAllMetrics[i] == *metric) return i;
                    return std::nullopt;
                },
                list_metric_names()));
        } catch (const UserError& error) {
            config.fail(node, "rank.filters", error.what());
        }
    }
    return filters;
}

}  // namespace

RankSpec read_rank(const ConfigReader& config, const toml::table& rank) {
    config.check_keys(rank, "rank.", {"by", "order", "then", "min_trades", "filters", "top"});
    RankSpec spec;
    const auto metric_of = [&](const toml::node& node, const std::string& key) {
        const std::string name = config.string(node, key);
        const auto metric = parse_metric(name);
        if (!metric)
            config.fail(node, key, fmt::format("unknown metric '{}'; expected one of {}", name, list_metric_names()));
        return *metric;
    };
    const auto order_of = [&](const toml::node* node, const std::string& key, Metric metric) {
        if (node == nullptr) return higher_is_better(metric);
        const std::string order = config.string(*node, key);
        if (order != "ascending" && order != "descending")
            config.fail(*node, key, "expected \"ascending\" or \"descending\", found \"" + order + "\"");
        return order == "descending";
    };
    const Metric first = rank.contains("by") ? metric_of(*rank.get("by"), "rank.by") : Metric::kSharpeRatio;
    spec.keys.push_back({first, order_of(rank.get("order"), "rank.order", first)});
    if (const toml::node* then = rank.get("then")) {
        if (!then->is_array())
            config.fail(*then, "rank.then", "expected an array of metric names or {by, order} tables");
        std::size_t i = 0;
        for (const auto& item : *then->as_array()) {
            const std::string key = fmt::format("rank.then[{}]", i++);
            if (item.is_table()) {
                const toml::table& table = *item.as_table();
                config.check_keys(table, key + ".", {"by", "order"});
                if (!table.contains("by")) config.fail(item, key, "a tie-breaker needs 'by'");
                const Metric metric = metric_of(*table.get("by"), key + ".by");
                spec.keys.push_back({metric, order_of(table.get("order"), key + ".order", metric)});
            } else {
                const Metric metric = metric_of(item, key);
                spec.keys.push_back({metric, higher_is_better(metric)});
            }
        }
    }
    if (const toml::node* node = rank.get("min_trades")) {
        spec.min_trades = config.integer(*node, "rank.min_trades");
        if (spec.min_trades < 0) config.fail(*node, "rank.min_trades", "expected 0 or more");
    }
    if (const toml::node* node = rank.get("top")) {
        const std::int64_t top = config.integer(*node, "rank.top");
        if (top < 1 || top > 100000) config.fail(*node, "rank.top", fmt::format("expected 1..100000, found {}", top));
        spec.top = static_cast<std::size_t>(top);
    }
    if (const toml::node* node = rank.get("filters")) spec.filters = read_filters(config, *node);
    return spec;
}

}  // namespace tapegrid
