// Reading a sweep's results.csv back as columns (engine/core/results_table.h), for the dashboard's sweep page.
#pragma once

#include <cstddef>
#include <string>

#include "engine/core/results_table.h"

namespace tapegrid {

// Reads the header and up to `max_rows` rows of a sweep's results.csv. The header alone tells
// the parameters apart: the first column is `combination`, the metrics are the names
// engine/core/metric_names.h knows, every other column is a parameter. The file is streamed,
// not read whole, since a big sweep's results.csv outgrows what a page can show anyway; and it
// is split on commas without quoting, as the writer writes it (no value it writes holds a comma
// or a quote). Throws UserError naming the file and line, what was expected and what was found:
// a header that is not a sweep's, a row with the wrong number of fields, a metric that is not a
// number.
ResultsTable read_results_table(const std::string& csv_path, std::size_t max_rows);

}  // namespace tapegrid
