// A sweep's reports as JSON: plan.json (the plan, then how the run went) and top.json (the best rows).
#pragma once

#include <nlohmann/json.hpp>

#include "engine/sweep/sweep_runner.h"

namespace tapegrid {

// The plan, as planned: grid size, combinations, groups, tasks, series, estimates.
nlohmann::json sweep_plan_json(const SweepRunner& runner);

// How the run went: rows and tasks in all and in this run, where it resumed, speed.
nlohmann::json sweep_run_json(const SweepOutcome& outcome);

// Whether the best row is skill or luck (null when not assessed): PSR, DSR, PBO and how it was computed.
nlohmann::json overfitting_json(const std::optional<OverfittingReport>& report);

// top.json: the ranking, the best rows with their trades, and the original parameters' row.
nlohmann::json sweep_top_json(const SweepRunner& runner, const SweepOutcome& outcome);

}  // namespace tapegrid
