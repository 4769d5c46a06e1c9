// A sweep's results.csv as columns: plain data, read by io/results/results_table.h and drawn by
// the dashboard's sweep page.
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

}  // namespace tapegrid
