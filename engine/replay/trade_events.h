// The events a trade produces, as a paper session records them and as `replay --verify` expects them.
//
// Entry, at the close of the signal bar: SIGNAL_DETECTED, ORDER_PLACED (a market-on-close
// order at the close), ORDER_FILLED (at the fill, slippage included), POSITION_OPENED.
// Exit, on the exit bar: ORDER_PLACED (STOP, LIMIT or MARKET_ON_CLOSE at the level that
// triggered it), ORDER_FILLED, POSITION_CLOSED. Both the live session and the verifier build
// events with these functions, so that a faithful replay reproduces them field for field.
#pragma once

#include <string>
#include <vector>

#include "engine/core/event.h"
#include "engine/core/trade.h"
#include "strategies/strategy.h"

namespace tapegrid {

// "ORCL-000007": the order id stem of a symbol's 7th trade.
std::string trade_reference(const std::string& symbol, std::size_t trade_number);

// `trade` holds the entry fields (symbol, direction, entry time and fill, stop, target, quantity).
std::vector<Event> entry_events(const Trade& trade, std::size_t trade_number, const BarPrices& bar,
                                const SignalExplanation& why, const std::string& strategy_name,
                                double commission_per_share);

// `trade` is complete.
std::vector<Event> exit_events(const Trade& trade, std::size_t trade_number, const BarPrices& bar,
                               double commission_per_share);

// The OHLCV of a bar as the market_state of its events.
std::string market_state_json(const BarPrices& bar);

}  // namespace tapegrid
