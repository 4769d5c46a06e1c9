// The checks every bar passes before the engine sees it; the engine then trusts the data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "engine/core/bars.h"

namespace tapegrid {

// The first problem found in row `row` of `bars`, in words ("" when the row is good):
// finite positive prices, low <= open, close <= high, finite volume >= 0, and a timestamp
// strictly after the previous row's.
std::string describe_bad_bar(const SymbolBars& bars, std::size_t row);

// Checks every column has the same length and every row is good; throws UserError naming
// `where` (a file and dataset), the row, its time, what was expected and what was found.
void validate_bars(const SymbolBars& bars, const std::string& where);

// The checks of validate_bars over a symbol's bars given a batch at a time (a reader that never
// holds the whole symbol): rows are numbered from the symbol's first row, and timestamps and
// sequence numbers must keep increasing across batch boundaries, so that the batches pass
// exactly when their concatenation would, with the same message.
class BarBatchValidator {
  public:
    explicit BarBatchValidator(std::string where) : where_(std::move(where)) {}

    // Checks the next batch; throws UserError as validate_bars does.
    void check(const SymbolBars& batch);
    std::size_t rows_checked() const { return rows_; }

  private:
    void check_lengths(const SymbolBars& batch) const;
    void check_sequences(const SymbolBars& batch) const;
    void check_rows(const SymbolBars& batch) const;

    std::string where_;
    std::size_t rows_ = 0;  // rows of the earlier batches
    TimestampNs last_timestamp_ns_ = 0;
    std::int64_t last_sequence_ = -1;
};

// The same checks for one bar given as values (the live recorder checks each bar it gets).
std::optional<std::string> check_bar(TimestampNs previous_timestamp_ns, bool has_previous, TimestampNs timestamp_ns,
                                     double open, double high, double low, double close, double volume);

}  // namespace tapegrid
