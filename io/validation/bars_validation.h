// The checks every bar passes before the engine sees it; the engine then trusts the data.
#pragma once

#include <optional>
#include <string>

#include "engine/core/bars.h"

namespace tapegrid {

// The first problem found in row `row` of `bars`, in words ("" when the row is good):
// finite positive prices, low <= open, close <= high, finite volume >= 0, and a timestamp
// strictly after the previous row's.
std::string describe_bad_bar(const SymbolBars& bars, std::size_t row);

// Checks every column has the same length and every row is good; throws UserError naming
// `where` (a file and dataset), the row, its time, what was expected and what was found.
void validate_bars(const SymbolBars& bars, const std::string& where);

// The same checks for one bar given as values (the live recorder checks each bar it gets).
std::optional<std::string> check_bar(TimestampNs previous_timestamp_ns, bool has_previous, TimestampNs timestamp_ns,
                                     double open, double high, double low, double close, double volume);

}  // namespace tapegrid
