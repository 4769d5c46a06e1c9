// A sweep's results.csv read back as columns, for the dashboard's sweep page.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace tapegrid {

// results.csv as columns, in the file's column order: combination, the strategy's parameters,
// then the metrics (io/results/sweep_writers.h writes it so). A column is numeric when every
// non-empty cell of it is a number (inf, -inf and nan included, as the writer spells them);
// otherwise, which only a parameter column may be (a choice, or true/false), it is kept as text.
struct ResultsTable {
    std::vector<std::string> names;
    // numeric[c]: `rows` values, NaN where the cell was empty; empty for a text column.
    std::vector<std::vector<double>> numeric;
    // text[c]: `rows` cells as written, for a text column; empty for a numeric one.
    std::vector<std::vector<std::string>> text;
    std::vector<bool> is_parameter;  // neither the combination nor a metric
    std::size_t rows = 0;
    bool truncated = false;  // the file holds more than the `max_rows` rows that were read

    bool is_text(std::size_t column) const { return numeric[column].empty() && !text[column].empty(); }
};

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
