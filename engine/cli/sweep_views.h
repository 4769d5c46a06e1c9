// How a sweep's outcome is shown on the terminal (tapegrid sweep, tapegrid merge).
#pragma once

#include "engine/sweep/sweep_runner.h"

namespace tapegrid::cli {

// The ranked table: the grid's parameters, then the figures users compare first; the original
// parameters' row and rank below the top rows.
void print_sweep_ranking(const SweepRunner& runner, const SweepOutcome& outcome);

// PSR, DSR and PBO, under the table.
void print_overfitting(const OverfittingReport& report);

}  // namespace tapegrid::cli
