// SessionReplayer: the original Python API. Load a recording once, change parameters, replay, compare.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/recording.h"
#include "engine/replay/comparison.h"
#include "engine/replay/replay_data.h"
#include "engine/replay/replay_result.h"
#include "strategies/strategy.h"

namespace tapegrid {

struct ReplayOutcome {
    ReplayResult result;
    ParamSet original_params;  // the recording's parameters (defaults where it had none)
    std::vector<std::pair<std::string, std::string>> modified_parameters;  // name, new value
    Comparison comparison;
};

// The recording's original_parameters (JSON text) as a parameter set of `strategy`, on top of
// its defaults; UserError when the text is not a JSON object of known parameters and valid values.
ParamSet recorded_params(const StrategyInfo& strategy, const std::string& original_parameters);

class SessionReplayer {
  public:
    // `periods_per_year`: nothing infers it from the bars (engine/replay/timeline.h).
    explicit SessionReplayer(Recording recording, std::optional<double> periods_per_year = std::nullopt);

    // Values are checked against the strategy's parameters when replay() runs.
    void set_parameter(const std::string& name, const std::string& value);
    void set_parameter(const std::string& name, double value);
    void set_parameters(const std::map<std::string, std::string>& values);

    // Replays with the recording's strategy (or `strategy_name`), its original parameters and
    // the ones set here, and compares the outcome with the original session. Throws UserError
    // for an unknown strategy or parameter, a bad value, or a recording too short to replay.
    ReplayOutcome replay(const std::string& strategy_name = "") const;

    // The strategy and parameters replay() would use, checked.
    std::pair<std::string, ParamSet> resolve(const std::string& strategy_name = "") const;
    ParamSet original_params(const std::string& strategy_name) const;

    const Recording& recording() const { return recording_; }
    const ReplayData& data() const { return data_; }

  private:
    Recording recording_;
    ReplayData data_;
    std::vector<std::pair<std::string, std::string>> overrides_;
};

}  // namespace tapegrid
