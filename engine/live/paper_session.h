// A paper-trading session: a strategy run bar by bar as bars arrive, reporting what it does.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/event.h"
#include "engine/core/params.h"
#include "engine/core/trade.h"
#include "strategies/strategy.h"

namespace tapegrid {

// Receives a session's bars (with the indicators the strategy computed) and its events, in
// order. The CLI forwards them to a SessionRecorder.
class SessionObserver {
  public:
    virtual ~SessionObserver() = default;
    virtual void on_bar(const std::string& symbol, TimestampNs timestamp_ns, const BarPrices& bar,
                        const std::vector<std::pair<std::string, double>>& indicators) = 0;
    virtual void on_event(const Event& event) = 0;
};

struct SessionOutcome {
    std::int64_t trades = 0;
    double pnl = 0.0;
    double win_rate = 0.0;  // percent
    std::vector<Trade> closed_trades;
};

class PaperSession {
  public:
    virtual ~PaperSession() = default;

    // The next bar of `symbol` (bars of a symbol in strictly increasing time).
    virtual void on_bar(const std::string& symbol, TimestampNs timestamp_ns, const BarPrices& bar) = 0;
    // The feed ended (or the user stopped it): open positions close at each symbol's last close.
    virtual void finish() = 0;
    virtual SessionOutcome outcome() const = 0;

    // `params` must have passed check_params(). The strategy's step is the replay's step
    // (engine/replay/execution.h), run one bar at a time.
    static std::unique_ptr<PaperSession> create(std::string_view strategy_name, const ParamSet& params,
                                                const std::vector<std::string>& symbols, SessionObserver& observer);
};

}  // namespace tapegrid
