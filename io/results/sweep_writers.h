// A sweep's outputs: results.csv and results.h5 (every row, streamed), top.json, plan.json.
#pragma once

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/replay/replay_result.h"
#include "engine/sweep/sweep_graph.h"
#include "engine/sweep/sweep_runner.h"
#include "engine/sweep/sweep_spec.h"
#include "io/hdf5/hdf5_handle.h"

namespace tapegrid {

// The table's columns: combination, every parameter of the strategy (named as the parameter),
// then every metric (named as the original system names it).
std::vector<std::string> sweep_columns(const StrategyInfo& strategy);

// results.csv: one row per combination, in task order, written as tasks finish.
class CsvResultsWriter final : public RowSink {
  public:
    // `resume_at_bytes`: carry on a stopped sweep's file, cut back to that many bytes (what its
    // checkpoint recorded); otherwise a new file.
    CsvResultsWriter(const std::string& path, const ParameterGrid& grid,
                     std::optional<std::uint64_t> resume_at_bytes = std::nullopt);
    void write(const std::vector<SweepRow>& rows) override;
    std::uint64_t position() override;  // flushes, then the file's size
    void close();

  private:
    std::string path_;
    const ParameterGrid& grid_;
    std::ofstream out_;
    std::string buffer_;
    std::uint64_t bytes_ = 0;
};

// results.h5: the same table as columns (chunked, appended as tasks finish), readable with
// h5py or pandas: pd.DataFrame({c: f[c][:] for c in f.attrs["columns"]}).
class Hdf5ResultsWriter final : public RowSink {
  public:
    Hdf5ResultsWriter(const std::string& path, const ParameterGrid& grid, const std::string& config_text);
    ~Hdf5ResultsWriter() override;
    void write(const std::vector<SweepRow>& rows) override;
    void close();

  private:
    std::string path_;
    const ParameterGrid& grid_;
    h5::Handle file_;
    std::vector<h5::Handle> columns_;
};

// Sends every row to each sink in turn.
class FanOutSink final : public RowSink {
  public:
    explicit FanOutSink(std::vector<RowSink*> sinks) : sinks_(std::move(sinks)) {}
    void write(const std::vector<SweepRow>& rows) override {
        for (RowSink* sink : sinks_) sink->write(rows);
    }
    std::uint64_t position() override { return sinks_.empty() ? 0 : sinks_.front()->position(); }

  private:
    std::vector<RowSink*> sinks_;
};

// A results.csv's rows (combination and metrics), read in batches: what a resumed sweep
// rebuilds results.h5 from, and what `tapegrid merge` joins. Every line is checked; UserError
// names the file and line.
class ResultsCsvReader {
  public:
    // Opens `path` and checks its header against the grid's strategy's columns.
    ResultsCsvReader(const std::string& path, const ParameterGrid& grid);
    // Up to `max_rows` next rows into `rows` (cleared first); false when none was left.
    bool next(std::vector<SweepRow>& rows, std::size_t max_rows);
    std::uint64_t rows_read() const { return rows_read_; }

  private:
    std::string path_;
    std::ifstream in_;
    std::size_t metrics_from_ = 0;
    std::uint64_t rows_read_ = 0;
    std::string line_;
};

// The first `rows` rows of a results.csv, to rebuild results.h5 when a sweep resumes; UserError
// when the file does not hold them.
std::vector<SweepRow> read_results_csv(const std::string& path, const ParameterGrid& grid, std::uint64_t rows);

// trace.csv: a search's evaluations in the order they ran: evaluation, round, combination, the
// parameters, the first ranking metric, whether the row ranked, then the best ranked row so far
// (its combination and metric value; empty before any ranked).
void write_search_trace(const std::string& path, const SweepSpec& spec, const std::vector<SearchTraceEntry>& trace);

// Every metric by its name (counts as integers, values that are not finite as null).
nlohmann::json metrics_json(const ReplayMetrics& metrics);

// One row as JSON: combination, parameters (typed), metrics.
nlohmann::json sweep_row_json(const ParameterGrid& grid, const SweepRow& row);

}  // namespace tapegrid
