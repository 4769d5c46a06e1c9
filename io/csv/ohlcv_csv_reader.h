// One OHLCV CSV file read a batch of rows at a time, each row with its line in the file.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/bars.h"
#include "io/csv/csv_columns.h"
#include "io/csv/csv_reader.h"
#include "io/csv/ohlcv_csv_options.h"

namespace tapegrid {

class OhlcvCsvReader {
  public:
    // Opens `path` and reads its header and first data row: the columns (ColumnLayout), the
    // symbol (options.symbol, or the file's name) and the indicator columns. Throws UserError
    // naming the file and line for an empty file, a header of numbers, no data rows, a missing
    // column or an unusable symbol.
    OhlcvCsvReader(const std::string& path, const CsvImportOptions& options);

    const std::string& path() const { return reader_.path(); }
    const std::string& symbol() const { return symbol_; }
    // What the reader decided on the user's behalf (a time field the header does not name,
    // text columns not imported), in the order it decided them.
    const std::vector<std::string>& notes() const { return notes_; }

    // Parses up to `max_rows` more rows into `batch` (replacing its rows; sequence numbers are
    // the rows' places in the file) and their line numbers into `lines`; false after the last
    // row. Rows are parsed, not checked as bars (bars_validation.h): throws UserError naming the
    // line and column for a field that is not a number or a time, or a row of the wrong width.
    bool next(std::size_t max_rows, SymbolBars& batch, std::vector<std::size_t>& lines);

  private:
    void parse_row(SymbolBars& batch);
    double number(const char* field) const;

    CsvReader reader_;
    CsvImportOptions options_;
    ColumnLayout layout_;
    std::string symbol_;
    std::vector<std::string> notes_;
    std::vector<std::pair<std::size_t, std::string>> extra_;  // indicator columns: index, name
    std::vector<std::string> fields_;                         // the row read ahead, if any
    bool has_row_ = false;
    std::size_t rows_ = 0;  // rows parsed so far
};

// Turns a file whose rows are newest first (strictly decreasing times) around, saying so in a
// note, then checks every row as a bar (check_bar), naming its line in the file: what
// import_ohlcv_csv does with a file read whole.
void order_and_check_rows(SymbolBars& bars, std::vector<std::size_t>& lines, const std::string& path,
                          std::vector<std::string>& notes);

}  // namespace tapegrid
