// The four strategies' rules and indicators as docs/STRATEGIES.md writes them, for the reference
// backtester (reference_backtest.h): parameters read from the docs' tables, series from
// tests/support/reference_indicators.h, nothing from strategies/ or engine/indicators/.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/bars.h"
#include "tests/support/reference_indicators.h"

namespace tapegrid::reference {

using Overrides = std::vector<std::pair<std::string, std::string>>;
inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

// A strategy by name and the parameters that differ from its defaults, as on the command line.
struct ParameterCase {
    std::string strategy;
    Overrides overrides;
};

// ---- Parameters, read the docs' way -----------------------------------------------------------

// The defaults of the docs' parameter tables, then the case's overrides.
class DocumentedParams {
  public:
    explicit DocumentedParams(const ParameterCase& c) {
        values_ = {{"position_size", "10"},
                   {"initial_capital", "100000"},
                   {"commission_per_share", "0"},
                   {"slippage_bps", "0"}};
        static const std::map<std::string, std::map<std::string, std::string>> kDefaults = {
            {"mean_reversion",
             {{"bb_period", "20"},
              {"bb_std", "2"},
              {"rsi_period", "14"},
              {"rsi_threshold", "30"},
              {"rsi_overbought", "70"},
              {"stop_loss_pct", "1"},
              {"take_profit_pct", "2"},
              {"allow_short", "false"}}},
            {"momentum",
             {{"lookback", "20"},
              {"volume_period", "20"},
              {"min_volume_ratio", "1.5"},
              {"atr_period", "14"},
              {"atr_stop_mult", "2"},
              {"atr_target_mult", "3"},
              {"allow_short", "false"}}},
            {"ma_crossover",
             {{"fast_period", "10"},
              {"slow_period", "30"},
              {"ma_type", "sma"},
              {"stop_loss_pct", "0"},
              {"take_profit_pct", "0"},
              {"allow_short", "false"}}},
            {"breakout",
             {{"channel_period", "20"},
              {"exit_period", "10"},
              {"atr_period", "20"},
              {"atr_mult", "2"},
              {"allow_short", "false"}}},
        };
        values_.insert(kDefaults.at(c.strategy).begin(), kDefaults.at(c.strategy).end());
        for (const auto& [name, value] : c.overrides) values_.at(name) = value;
    }

    double number(const std::string& name) const { return std::stod(values_.at(name)); }
    std::size_t count(const std::string& name) const { return std::stoul(values_.at(name)); }
    bool flag(const std::string& name) const { return values_.at(name) == "true"; }
    const std::string& text(const std::string& name) const { return values_.at(name); }

  private:
    std::map<std::string, std::string> values_;
};

// ---- Reference indicator series of one symbol, each computed once -----------------------------

class ReferenceSeries {
  public:
    explicit ReferenceSeries(const SymbolBars& bars) : bars_(&bars) {}

    const std::vector<double>& get(const std::string& name, std::size_t period) {
        auto [it, fresh] = cache_.try_emplace({name, period});
        if (fresh) it->second = compute(name, period);
        return it->second;
    }

  private:
    std::vector<double> compute(const std::string& name, std::size_t n) const {
        const SymbolBars& b = *bars_;
        if (name == "sma") return reference::sma(b.close, n);
        if (name == "sd") return reference::standard_deviation(b.close, n);
        if (name == "ema") return reference::ema(b.close, n);
        if (name == "rsi") return reference::rsi(b.close, n);
        if (name == "atr") return reference::atr(b.high, b.low, b.close, n);
        if (name == "prior_high") return reference::prior_high(b.high, n);
        if (name == "prior_low") return reference::prior_low(b.low, n);
        if (name == "prior_mean_volume") return reference::prior_mean_volume(b.volume, n);
        throw std::logic_error("no reference series " + name);
    }

    const SymbolBars* bars_;
    std::map<std::pair<std::string, std::size_t>, std::vector<double>> cache_;
};

// ---- The strategies' rules, as the docs write them ------------------------------------------

struct Levels {
    double stop;
    double target;
};

// What a strategy decides at the close of bar t (the execution rules do the rest).
struct Rules {
    std::size_t first_signal_bar = 0;
    std::function<int(std::size_t)> entry;                   // +1 long, -1 short, 0 none
    std::function<bool(std::size_t, int)> exit_signal;       // for an open position of that direction
    std::function<Levels(std::size_t, int, double)> levels;  // from the entry's fill
};

// A level no price reaches: -inf below a long, +inf above a short (a missing stop), and the
// reverse for a missing target.
inline double no_stop(int direction) {
    return direction > 0 ? -kInfinity : kInfinity;
}
inline double no_target(int direction) {
    return -no_stop(direction);
}

// A percentage stop entry * (1 - (stop_loss_pct / 100)) for a long, entry * (1 + (stop_loss_pct /
// 100)) for a short, and targets mirrored: the quotient, the difference (or sum), the product.
// 0 % sets no level (ma_crossover).
inline Levels percent_levels(int direction, double entry, double stop_loss_pct, double take_profit_pct) {
    Levels levels{no_stop(direction), no_target(direction)};
    if (stop_loss_pct > 0)
        levels.stop = direction > 0 ? entry * (1 - (stop_loss_pct / 100)) : entry * (1 + (stop_loss_pct / 100));
    if (take_profit_pct > 0)
        levels.target = direction > 0 ? entry * (1 + (take_profit_pct / 100)) : entry * (1 - (take_profit_pct / 100));
    return levels;
}

// An ATR level: entry - (mult * ATR) below the entry (side -1), entry + (mult * ATR) above it.
inline double atr_level(int side, double entry, double mult, double atr) {
    const double distance = mult * atr;
    return side < 0 ? entry - distance : entry + distance;
}

inline Rules mean_reversion_rules(const DocumentedParams& p, const SymbolBars& bars, ReferenceSeries& series) {
    const std::size_t bb_period = p.count("bb_period");
    const std::size_t rsi_period = p.count("rsi_period");
    const auto& close = bars.close;
    const auto& mid = series.get("sma", bb_period);
    const auto& sd = series.get("sd", bb_period);
    const auto& rsi = series.get("rsi", rsi_period);
    const double bb_std = p.number("bb_std");
    const double threshold = p.number("rsi_threshold");
    const double overbought = p.number("rsi_overbought");
    const bool allow_short = p.flag("allow_short");
    const double stop_pct = p.number("stop_loss_pct");
    const double target_pct = p.number("take_profit_pct");
    Rules rules;
    rules.first_signal_bar = std::max(bb_period - 1, rsi_period);
    rules.entry = [&, bb_std, threshold, overbought, allow_short](std::size_t t) {
        const double width = bb_std * sd[t];
        const double lower = mid[t] - width;
        const double upper = mid[t] + width;
        if (close[t] < lower && rsi[t] < threshold) return 1;
        if (allow_short && close[t] > upper && rsi[t] > overbought) return -1;
        return 0;
    };
    rules.exit_signal = [](std::size_t, int) { return false; };
    rules.levels = [stop_pct, target_pct](std::size_t, int direction, double entry) {
        return percent_levels(direction, entry, stop_pct, target_pct);
    };
    return rules;
}

inline Rules momentum_rules(const DocumentedParams& p, const SymbolBars& bars, ReferenceSeries& series) {
    const std::size_t lookback = p.count("lookback");
    const std::size_t volume_period = p.count("volume_period");
    const std::size_t atr_period = p.count("atr_period");
    const auto& close = bars.close;
    const auto& volume = bars.volume;
    const auto& prior_high = series.get("prior_high", lookback);
    const auto& prior_low = series.get("prior_low", lookback);
    const auto& prior_mean_volume = series.get("prior_mean_volume", volume_period);
    const auto& atr = series.get("atr", atr_period);
    const double min_volume_ratio = p.number("min_volume_ratio");
    const bool allow_short = p.flag("allow_short");
    const double stop_mult = p.number("atr_stop_mult");
    const double target_mult = p.number("atr_target_mult");
    Rules rules;
    rules.first_signal_bar = std::max({lookback, volume_period, atr_period});
    rules.entry = [&, min_volume_ratio, allow_short](std::size_t t) {
        // 0 when no volume was recorded before the bar: only min_volume_ratio = 0 trades then.
        const double ratio = prior_mean_volume[t] == 0 ? 0.0 : volume[t] / prior_mean_volume[t];
        const bool heavy = ratio >= min_volume_ratio;
        if (close[t] > prior_high[t] && heavy) return 1;
        if (allow_short && close[t] < prior_low[t] && heavy) return -1;
        return 0;
    };
    rules.exit_signal = [](std::size_t, int) { return false; };
    rules.levels = [&atr, stop_mult, target_mult](std::size_t t, int direction, double entry) {
        return Levels{atr_level(-direction, entry, stop_mult, atr[t]),
                      atr_level(direction, entry, target_mult, atr[t])};
    };
    return rules;
}

inline Rules ma_crossover_rules(const DocumentedParams& p, const SymbolBars&, ReferenceSeries& series) {
    const std::size_t slow_period = p.count("slow_period");
    const std::string& average = p.text("ma_type");
    const auto& fast = series.get(average, p.count("fast_period"));
    const auto& slow = series.get(average, slow_period);
    const bool allow_short = p.flag("allow_short");
    const double stop_pct = p.number("stop_loss_pct");
    const double target_pct = p.number("take_profit_pct");
    // An equal previous bar counts as on the other side; an equal current bar is no cross.
    const auto cross_up = [&fast, &slow](std::size_t t) { return fast[t - 1] <= slow[t - 1] && fast[t] > slow[t]; };
    const auto cross_down = [&fast, &slow](std::size_t t) { return fast[t - 1] >= slow[t - 1] && fast[t] < slow[t]; };
    Rules rules;
    rules.first_signal_bar = slow_period;
    rules.entry = [cross_up, cross_down, allow_short](std::size_t t) {
        if (cross_up(t)) return 1;
        if (allow_short && cross_down(t)) return -1;
        return 0;
    };
    rules.exit_signal = [cross_up, cross_down](std::size_t t, int direction) {
        return direction > 0 ? cross_down(t) : cross_up(t);
    };
    rules.levels = [stop_pct, target_pct](std::size_t, int direction, double entry) {
        return percent_levels(direction, entry, stop_pct, target_pct);
    };
    return rules;
}

inline Rules breakout_rules(const DocumentedParams& p, const SymbolBars& bars, ReferenceSeries& series) {
    const std::size_t channel_period = p.count("channel_period");
    const std::size_t exit_period = p.count("exit_period");
    const std::size_t atr_period = p.count("atr_period");
    const auto& close = bars.close;
    const auto& channel_high = series.get("prior_high", channel_period);
    const auto& channel_low = series.get("prior_low", channel_period);
    const auto& exit_high = series.get("prior_high", exit_period);
    const auto& exit_low = series.get("prior_low", exit_period);
    const auto& atr = series.get("atr", atr_period);
    const bool allow_short = p.flag("allow_short");
    const double atr_mult = p.number("atr_mult");
    Rules rules;
    rules.first_signal_bar = std::max({channel_period, exit_period, atr_period});
    rules.entry = [&, allow_short](std::size_t t) {
        if (close[t] > channel_high[t]) return 1;
        if (allow_short && close[t] < channel_low[t]) return -1;
        return 0;
    };
    rules.exit_signal = [&](std::size_t t, int direction) {
        return direction > 0 ? close[t] < exit_low[t] : close[t] > exit_high[t];
    };
    // No target; atr_mult = 0: no stop either.
    rules.levels = [&atr, atr_mult](std::size_t t, int direction, double entry) {
        const double stop = atr_mult > 0 ? atr_level(-direction, entry, atr_mult, atr[t]) : no_stop(direction);
        return Levels{stop, no_target(direction)};
    };
    return rules;
}

inline Rules documented_rules(const ParameterCase& c, const SymbolBars& bars, ReferenceSeries& series) {
    const DocumentedParams params(c);
    if (c.strategy == "mean_reversion") return mean_reversion_rules(params, bars, series);
    if (c.strategy == "momentum") return momentum_rules(params, bars, series);
    if (c.strategy == "ma_crossover") return ma_crossover_rules(params, bars, series);
    if (c.strategy == "breakout") return breakout_rules(params, bars, series);
    throw std::logic_error("no reference rules for " + c.strategy);
}

}  // namespace tapegrid::reference
