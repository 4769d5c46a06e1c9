// A sweep's block returns on disk while it runs (block_returns.bin), and the overfitting
// report's matrix and logits in results.h5 once it has run.
#pragma once

#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "engine/sweep/overfitting_report.h"

namespace tapegrid {

// block_returns.bin: per row, in the table's order, its S block sums then its S block sums of
// squares, as little-endian float64; appended in task order, cut back to a checkpoint's rows
// when a sweep resumes.
class BlockReturnsFile {
  public:
    // A new file, or, with `resume_rows`, the file cut back to that many rows of `blocks` blocks
    // (left as it is when it is shorter: the report then says the matrix is incomplete).
    BlockReturnsFile(std::string path, std::size_t blocks, std::optional<std::uint64_t> resume_rows);
    void append(const std::vector<double>& sums_and_squares);
    void flush();  // before a checkpoint records the rows
    std::vector<double> read_all();

  private:
    std::string path_;
    std::ofstream out_;
};

// A block_returns.bin's values (a shard's, for `tapegrid merge`).
std::vector<double> read_block_returns_file(const std::string& path);

// Adds the group /overfitting to a closed results.h5: block_sums and block_squares (rows x S,
// row i the table's row i), block_counts (S), logits, in_sample_sharpe, out_of_sample_sharpe
// (one per evaluated split) and the report's figures as attributes.
void write_overfitting_results(const std::string& results_h5, const OverfittingReport& report);

}  // namespace tapegrid
