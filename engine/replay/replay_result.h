// The result of one replay: its parameters, its figures and its trades.
#pragma once

#include <string>
#include <vector>

#include "engine/core/metrics.h"
#include "engine/core/params.h"
#include "engine/core/trade.h"

namespace tapegrid {

struct ReplayResult {
    std::string strategy_name;
    ParamSet params;
    ReplayMetrics metrics;
    std::vector<Trade> trades;  // by entry time, then symbol
};

}  // namespace tapegrid
