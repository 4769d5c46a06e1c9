// The [rank] table: how a sweep's rows are ordered, filtered and cut to the top ones.
#pragma once

#include <toml++/toml.h>

#include "engine/sweep/ranking.h"
#include "io/config/config_reader.h"

namespace tapegrid {

// Reads `rank` (by, order, then, min_trades, filters, top); by defaults to the Sharpe ratio and
// each order to the metric's better direction. Fails on the first bad key or value.
RankSpec read_rank(const ConfigReader& config, const toml::table& rank);

}  // namespace tapegrid
