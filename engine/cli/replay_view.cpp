// Terminal view of a replay.
#include "engine/cli/replay_view.h"

#include <fmt/format.h>

#include <cmath>

#include "engine/cli/recording_views.h"
#include "engine/cli/table.h"
#include "strategies/registry.h"

namespace tapegrid::cli {

namespace {

// A stop or target; one that was not set (a level no price reaches) is "-".
std::string level(double value) {
    return std::isfinite(value) ? fmt::format("{:.4f}", value) : "-";
}

std::string signed_number(double value, int decimals) {
    return fmt::format("{:+.{}f}", value, decimals);
}

std::string trade_line(const Trade& trade) {
    return fmt::format("{} {:.4f} -> {} {:.4f}, pnl {:.4f} ({})", trade.direction_name(), trade.entry_price,
                       short_time(trade.exit_time_ns), trade.exit_price, trade.pnl, to_string(trade.exit_reason));
}

}  // namespace

void print_replay(std::ostream& out, const ReplayOutcome& outcome, const RecordingInfo& recording,
                  std::size_t positions_shown, std::size_t differences_shown) {
    const ReplayResult& r = outcome.result;
    const ReplayMetrics& m = r.metrics;
    const Comparison& c = outcome.comparison;
    out << fmt::format("replay of {} with {} on {}\n", recording.recording_id, r.strategy_name,
                       fmt::join(recording.symbols, ", "));
    if (outcome.modified_parameters.empty()) {
        out << "parameters: as recorded\n";
    } else {
        const StrategyInfo& strategy = find_strategy(r.strategy_name);
        std::vector<std::string> changes;
        for (const auto& [name, value] : outcome.modified_parameters) {
            const std::size_t index = *find_param(strategy.params, name);
            changes.push_back(
                fmt::format("{} {} -> {}", name, strategy.params[index].format(outcome.original_params[index]), value));
        }
        out << fmt::format("parameters: {} (the others as recorded)\n", fmt::join(changes, ", "));
    }
    out << '\n';
    Table summary({"", "original", "replay", "diff"});
    summary.add_row({"trades", std::to_string(c.original_trades), std::to_string(c.replay_trades),
                     fmt::format("{:+d}", c.trades_diff)});
    summary.add_row({"total_pnl", fmt::format("{:.2f}", c.original_pnl), fmt::format("{:.2f}", c.replay_pnl),
                     signed_number(c.pnl_diff, 2)});
    summary.add_row({"win_rate", fmt::format("{:.1f}%", c.original_win_rate), fmt::format("{:.1f}%", c.replay_win_rate),
                     signed_number(c.win_rate_diff, 1) + "%"});
    summary.print(out);
    out << fmt::format(
        "\nreplay: {} winning, {} losing; max_drawdown {:.2f} ({:.2f}%); sharpe {:.3f}; sortino {:.3f}; "
        "profit_factor {}; average_trade {:.4f}; exposure {:.1f}%\n",
        m.winning_trades, m.losing_trades, m.max_drawdown, m.max_drawdown_pct, m.sharpe_ratio, m.sortino_ratio,
        std::isfinite(m.profit_factor) ? fmt::format("{:.3f}", m.profit_factor) : std::string("inf"), m.average_trade,
        m.exposure_pct);

    if (c.original_events_recorded || c.count_signals(DiffStatus::kOnlyOriginal) > 0) {
        out << fmt::format(
            "\ntrades vs the original: {} same, {} changed, {} only in the original, {} only in the replay\n",
            c.count(DiffStatus::kSame), c.count(DiffStatus::kChanged), c.count(DiffStatus::kOnlyOriginal),
            c.count(DiffStatus::kOnlyReplay));
        out << fmt::format(
            "signals vs the original: {} same, {} changed, {} only in the original, {} only in the replay\n",
            c.count_signals(DiffStatus::kSame), c.count_signals(DiffStatus::kChanged),
            c.count_signals(DiffStatus::kOnlyOriginal), c.count_signals(DiffStatus::kOnlyReplay));
        std::size_t shown = 0;
        for (const auto& diff : c.trades) {
            if (diff.status == DiffStatus::kSame) continue;
            if (shown++ == differences_shown) {
                out << "  ... (--json lists every difference)\n";
                break;
            }
            std::string detail;
            if (diff.status == DiffStatus::kOnlyOriginal)
                detail = trade_line(*diff.original);
            else if (diff.status == DiffStatus::kOnlyReplay)
                detail = trade_line(*diff.replay);
            else
                detail = fmt::format("{}: {} | was {}", fmt::join(diff.changed_fields, ", "), trade_line(*diff.replay),
                                     trade_line(*diff.original));
            out << fmt::format("  {:<13} {:<8} {}  {}\n", to_string(diff.status), diff.symbol,
                               short_time(diff.entry_time_ns), detail);
        }
    } else {
        out << "\n(the recording holds no trade events to compare trade by trade)\n";
    }

    out << fmt::format("\npositions ({} in all{}):\n", r.trades.size(),
                       r.trades.size() > positions_shown ? fmt::format(", the first {} shown", positions_shown) : "");
    if (r.trades.empty()) return;
    Table positions({"symbol", "side", "entry (UTC)", "exit (UTC)", "entry", "stop", "target", "exit", "qty", "pnl",
                     "pnl%", "exit_reason", "bars"});
    for (std::size_t i = 0; i < r.trades.size() && i < positions_shown; ++i) {
        const Trade& t = r.trades[i];
        positions.add_row({t.symbol, t.direction_name(), short_time(t.entry_time_ns), short_time(t.exit_time_ns),
                           fmt::format("{:.4f}", t.entry_price), level(t.stop_loss), level(t.take_profit),
                           fmt::format("{:.4f}", t.exit_price), fmt::format("{}", t.quantity),
                           fmt::format("{:.4f}", t.pnl), fmt::format("{:.3f}", t.pnl_pct),
                           std::string(to_string(t.exit_reason)), std::to_string(t.duration_bars())});
    }
    positions.print(out);
}

}  // namespace tapegrid::cli
