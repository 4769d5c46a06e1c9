// Stops and targets a fixed percentage from the entry: per lane, as price multipliers.
#pragma once

#include <limits>

#include "engine/core/lanes.h"

namespace tapegrid {

template <int L>
struct PercentLevels {
    using V = typename Lanes<L>::Doubles;
    V stop_long, stop_short, target_long, target_short;

    // Long: stop = entry * (1 - stop_loss_pct/100), target = entry * (1 + take_profit_pct/100);
    // short, mirrored. With `zero_means_none`, a 0 percentage sets a level no price reaches: an
    // infinity on the side the price would have to cross (a long's stop -inf, its target +inf;
    // mirrored for shorts), which JSON shows as null and tables as "-".
    void set(int lane, double stop_loss_pct, double take_profit_pct, bool zero_means_none) {
        constexpr double kNever = std::numeric_limits<double>::infinity();
        const bool no_stop = zero_means_none && stop_loss_pct == 0.0;
        const bool no_target = zero_means_none && take_profit_pct == 0.0;
        stop_long[lane] = no_stop ? -kNever : 1.0 - stop_loss_pct / 100.0;
        stop_short[lane] = no_stop ? kNever : 1.0 + stop_loss_pct / 100.0;
        target_long[lane] = no_target ? kNever : 1.0 + take_profit_pct / 100.0;
        target_short[lane] = no_target ? -kNever : 1.0 - take_profit_pct / 100.0;
    }

    // The levels of positions entered at `entry` in `direction` (+1 long, -1 short).
    void apply(V entry, V direction, V& stop, V& target) const {
        const auto is_long = direction > 0.0;
        stop = is_long ? entry * stop_long : entry * stop_short;
        target = is_long ? entry * target_long : entry * target_short;
    }
};

}  // namespace tapegrid
