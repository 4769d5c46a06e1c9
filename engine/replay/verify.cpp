// Verifying a replay against the recorded events.
#include "engine/replay/verify.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "engine/replay/group_series.h"
#include "engine/replay/trade_events.h"
#include "strategies/registry.h"

namespace tapegrid {

namespace {

bool is_trade_event(const std::string& type) {
    return type == event_type::kSignalDetected || type == event_type::kOrderPlaced ||
           type == event_type::kOrderFilled || type == event_type::kPositionOpened ||
           type == event_type::kPositionClosed;
}

BarPrices bar_at(const SymbolBars& bars, std::size_t i) {
    return {bars.open[i], bars.high[i], bars.low[i], bars.close[i], bars.volume[i]};
}

std::string show(const nlohmann::json& value) {
    if (value.is_number_float()) return fmt::format("{}", value.get<double>());
    return value.dump();
}

// The first field where `recorded` and `expected` differ (every field of the expected event
// must be present and equal), or nothing.
std::optional<Divergence> compare(const Event& recorded, const Event& expected) {
    const auto where = [&](std::string what, std::string rec, std::string rep) {
        return Divergence{expected.symbol, expected.timestamp_ns, std::move(what), std::move(rec), std::move(rep)};
    };
    if (recorded.type != expected.type)
        return where("event type", recorded.type + " at " + format_iso8601(recorded.timestamp_ns),
                     expected.type + " at " + format_iso8601(expected.timestamp_ns));
    if (recorded.timestamp_ns != expected.timestamp_ns)
        return where(expected.type + " time", format_iso8601(recorded.timestamp_ns),
                     format_iso8601(expected.timestamp_ns));
    nlohmann::json recorded_data;
    try {
        recorded_data = nlohmann::json::parse(recorded.event_data);
    } catch (const nlohmann::json::exception&) {
        return where(expected.type + " event_data", recorded.event_data, "a JSON object");
    }
    const nlohmann::json expected_data = nlohmann::json::parse(expected.event_data);
    for (const auto& [key, value] : expected_data.items()) {
        const auto found = recorded_data.find(key);
        if (found == recorded_data.end()) return where(expected.type + "." + key, "(missing)", show(value));
        // A level that is not set is null; recordings written before unset levels were null hold 0 there.
        const bool unset_level = (key == "stop_loss" || key == "take_profit") && value.is_null() && *found == 0.0;
        const bool equal =
            unset_level ||
            (value.is_number() && found->is_number() ? value.get<double>() == found->get<double>() : value == *found);
        if (!equal) return where(expected.type + "." + key, show(*found), show(value));
    }
    return std::nullopt;
}

// The strategy's explanation of each replayed trade's entry signal.
std::vector<SignalExplanation> explain_entries(const Recording& recording, const ReplayResult& replay) {
    return with_strategy(replay.strategy_name, [&](auto tag) {
        using Strategy = decltype(tag);
        OwnedSeries series(recording.bars);
        const auto columns = assemble_columns<Strategy>(replay.params, recording.bars.size(), series);
        std::vector<SignalExplanation> explanations;
        for (const auto& trade : replay.trades) {
            std::size_t s = 0;
            while (recording.bars[s].symbol != trade.symbol) ++s;
            const BarPrices bar = bar_at(recording.bars[s], trade.entry_bar);
            const auto inputs = Strategy::inputs(columns.per_symbol[s], trade.entry_bar);
            explanations.push_back(Strategy::explain(bar, inputs, replay.params, trade.direction));
        }
        return explanations;
    });
}

}  // namespace

VerifyReport verify_replay(const Recording& recording, const ReplayResult& replay) {
    VerifyReport report;
    report.trades_replayed = replay.trades.size();
    report.ended_early = recording.info.status != RecordingStatus::kCompleted;
    // Positions open when the recording ended: those the replay closes at the end of the data,
    // and those whose close the recording was cut off before (found below).
    std::set<std::size_t> open_at_end;
    if (report.ended_early)
        for (std::size_t t = 0; t < replay.trades.size(); ++t)
            if (replay.trades[t].exit_reason == ExitReason::kEndOfData) open_at_end.insert(t);
    const ParamSet& p = replay.params;
    const double commission = with_strategy(
        replay.strategy_name, [&](auto tag) { return p[kCommonOffset<decltype(tag)> + kCommissionPerShare]; });

    // Expected events per symbol, in the order the live session emits them; the signal's
    // explanation comes from the indicator values at the entry bar, as it did live.
    struct Expected {
        Event event;
        std::size_t trade;  // index in replay.trades
    };
    std::map<std::string, std::vector<Expected>> expected;
    std::map<std::string, std::size_t> trade_numbers;
    const auto explanations = explain_entries(recording, replay);
    for (std::size_t t = 0; t < replay.trades.size(); ++t) {
        const Trade& trade = replay.trades[t];
        const SymbolBars* bars = recording.find_symbol(trade.symbol);
        const std::size_t number = ++trade_numbers[trade.symbol];
        auto& events = expected[trade.symbol];
        for (auto& event : entry_events(trade, number, bar_at(*bars, trade.entry_bar), explanations[t],
                                        replay.strategy_name, commission))
            events.push_back({std::move(event), t});
        for (auto& event : exit_events(trade, number, bar_at(*bars, trade.exit_bar), commission))
            events.push_back({std::move(event), t});
    }
    // Within a symbol, a trade's exit and the next one's entry can share a bar: the exit comes first.
    for (auto& [symbol, events] : expected)
        std::stable_sort(events.begin(), events.end(), [](const Expected& a, const Expected& b) {
            return a.event.timestamp_ns < b.event.timestamp_ns;
        });
    std::map<std::string, std::vector<const Event*>> recorded;
    for (const auto& event : recording.events)
        if (is_trade_event(event.type)) recorded[event.symbol].push_back(&event);

    std::set<std::string> symbols;
    for (const auto& [symbol, events] : expected) symbols.insert(symbol);
    for (const auto& [symbol, events] : recorded) symbols.insert(symbol);
    const auto consider = [&](Divergence divergence) {
        if (!report.first_divergence || divergence.time_ns < report.first_divergence->time_ns)
            report.first_divergence = std::move(divergence);
    };
    for (const auto& symbol : symbols) {
        const auto& want = expected[symbol];
        const auto& got = recorded[symbol];
        const std::size_t common = std::min(want.size(), got.size());
        std::size_t i = 0;
        for (; i < common; ++i) {
            ++report.events_checked;
            if (auto divergence = compare(*got[i], want[i].event)) {
                consider(std::move(*divergence));
                break;
            }
        }
        if (i < common) continue;
        if (got.size() > want.size()) {
            consider({symbol, got[common]->timestamp_ns, "an event the replay does not produce",
                      got[common]->type + " " + got[common]->event_data, "(nothing)"});
        } else if (want.size() > got.size()) {
            // Where the recording ended early, the events of its last recorded bar may be missing.
            const SymbolBars* bars = recording.find_symbol(symbol);
            const TimestampNs last_bar = bars != nullptr && bars->size() > 0 ? bars->timestamp_ns.back() : 0;
            const bool cut_off = report.ended_early && want[common].event.timestamp_ns == last_bar;
            if (cut_off) {
                report.events_after_end += want.size() - common;
                for (std::size_t j = common; j < want.size(); ++j)
                    if (want[j].event.type == event_type::kPositionClosed) open_at_end.insert(want[j].trade);
            } else {
                consider({symbol, want[common].event.timestamp_ns, "an event the recording does not have", "(nothing)",
                          want[common].event.type + " " + want[common].event.event_data});
            }
        }
    }
    for (const std::size_t t : open_at_end) report.open_at_end.push_back(replay.trades[t]);
    return report;
}

}  // namespace tapegrid
