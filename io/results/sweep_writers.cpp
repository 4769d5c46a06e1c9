// Sweep output writers.
#include "io/results/sweep_writers.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <filesystem>

#include "engine/core/metric_names.h"
#include "engine/core/printable.h"
#include "io/hdf5/hdf5_attribute.h"
#include "io/hdf5/hdf5_column.h"
#include "io/json/replay_json.h"

namespace tapegrid {

namespace {

std::string csv_number(double value) {
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    return fmt::format("{}", value);
}

constexpr std::size_t kResultChunkRows = 4096;

}  // namespace

std::vector<std::string> sweep_columns(const StrategyInfo& strategy) {
    std::vector<std::string> columns = {"combination"};
    for (const auto& spec : strategy.params) columns.emplace_back(spec.name);
    for (const Metric metric : kAllMetrics) columns.emplace_back(metric_name(metric));
    return columns;
}

CsvResultsWriter::CsvResultsWriter(const std::string& path, const ParameterGrid& grid,
                                   std::optional<std::uint64_t> resume_at_bytes)
    : path_(path), grid_(grid) {
    if (resume_at_bytes) {
        std::error_code error;
        std::filesystem::resize_file(path, *resume_at_bytes, error);
        if (error) throw UserError(path + ": cannot cut back to the checkpoint: " + error.message());
        out_.open(path, std::ios::app);
        bytes_ = *resume_at_bytes;
    } else {
        out_.open(path, std::ios::trunc);
    }
    if (!out_) throw UserError(path + ": cannot write");
    if (!resume_at_bytes) {
        const std::string header = fmt::format("{}\n", fmt::join(sweep_columns(grid.strategy()), ","));
        out_ << header;
        bytes_ = header.size();
    }
}

std::uint64_t CsvResultsWriter::position() {
    out_.flush();
    return bytes_;
}

void CsvResultsWriter::write(const std::vector<SweepRow>& rows) {
    const StrategyInfo& strategy = grid_.strategy();
    ParamSet params;
    buffer_.clear();
    for (const auto& row : rows) {
        grid_.fill(row.combination, params);
        buffer_ += std::to_string(row.combination);
        for (std::size_t i = 0; i < strategy.params.size(); ++i) {
            buffer_ += ',';
            buffer_ += strategy.params[i].format(params.values[i]);
        }
        for (const Metric metric : kAllMetrics) {
            buffer_ += ',';
            buffer_ += csv_number(metric_value(row.metrics, metric));
        }
        buffer_ += '\n';
    }
    out_ << buffer_;
    bytes_ += buffer_.size();
    if (!out_) throw InternalError(path_ + ": write failed (disk full?)");
}

void CsvResultsWriter::close() {
    out_.flush();
    out_.close();
}

Hdf5ResultsWriter::Hdf5ResultsWriter(const std::string& path, const ParameterGrid& grid, const std::string& config_text)
    : path_(path), grid_(grid) {
    h5::silence_hdf5_errors();
    file_ = h5::make_file(h5::check_id<UserError>(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                                                  path + ": cannot create"));
    const std::vector<std::string> names = sweep_columns(grid.strategy());
    h5::write_attribute(file_.get(), "columns", names);
    h5::write_attribute(file_.get(), "strategy_name", grid.strategy().name);
    h5::write_attribute(file_.get(), "config", config_text);
    const std::size_t parameters = grid.strategy().params.size();
    for (std::size_t c = 0; c < names.size(); ++c) {
        const bool integer = c == 0;  // the combination index; parameters and metrics are float64
        columns_.push_back(h5::create_column(
            file_.get(), names[c], integer ? h5::ColumnType::kInt64 : h5::ColumnType::kFloat64, kResultChunkRows));
        if (c >= 1 && c <= parameters) {
            const ParamSpec& spec = grid.strategy().params[c - 1];
            if (spec.type == ParamType::kChoice)
                h5::write_attribute(columns_.back().get(), "choices",
                                    std::vector<std::string>(spec.choices.begin(), spec.choices.end()));
        }
    }
}

Hdf5ResultsWriter::~Hdf5ResultsWriter() = default;

void Hdf5ResultsWriter::write(const std::vector<SweepRow>& rows) {
    if (rows.empty()) return;
    const std::size_t parameters = grid_.strategy().params.size();
    std::vector<std::int64_t> combinations(rows.size());
    std::vector<std::vector<double>> values(columns_.size() - 1, std::vector<double>(rows.size()));
    ParamSet params;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        combinations[r] = static_cast<std::int64_t>(rows[r].combination);
        grid_.fill(rows[r].combination, params);
        for (std::size_t p = 0; p < parameters; ++p) values[p][r] = params.values[p];
        for (std::size_t m = 0; m < kAllMetrics.size(); ++m)
            values[parameters + m][r] = metric_value(rows[r].metrics, kAllMetrics[m]);
    }
    h5::append_column(columns_[0].get(), combinations.data(), rows.size());
    for (std::size_t c = 1; c < columns_.size(); ++c)
        h5::append_column(columns_[c].get(), values[c - 1].data(), rows.size());
}

void Hdf5ResultsWriter::close() {
    columns_.clear();
    if (file_ && file_.close() < 0) throw InternalError(path_ + ": closing failed: " + h5::hdf5_error_text());
}

ResultsCsvReader::ResultsCsvReader(const std::string& path, const ParameterGrid& grid)
    : path_(path), in_(path), metrics_from_(1 + grid.strategy().params.size()) {
    if (!in_) throw UserError(path + ": cannot read");
    const std::string expected = fmt::format("{}", fmt::join(sweep_columns(grid.strategy()), ","));
    if (!std::getline(in_, line_)) throw UserError(path + ": empty; expected the header of a sweep's results");
    if (line_ != expected)
        throw UserError(fmt::format("{}:1: expected the header '{}' (a {} sweep's results), found '{}'", path, expected,
                                    grid.strategy().name, printable(line_.substr(0, 200))));
}

bool ResultsCsvReader::next(std::vector<SweepRow>& rows, std::size_t max_rows) {
    rows.clear();
    const std::size_t fields_expected = metrics_from_ + kAllMetrics.size();
    while (rows.size() < max_rows && std::getline(in_, line_)) {
        const std::uint64_t line_number = rows_read_ + 2;
        const auto refuse = [&](const std::string& what) {
            return UserError(fmt::format("{}:{}: {}", path_, line_number, what));
        };
        SweepRow row;
        std::size_t field = 0, start = 0;
        for (;;) {
            const std::size_t comma = line_.find(',', start);
            const std::string_view text =
                std::string_view(line_).substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            if (field == 0) {
                const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), row.combination);
                if (text.empty() || error != std::errc() || end != text.data() + text.size())
                    throw refuse(
                        fmt::format("expected a combination number, found '{}'", printable(std::string(text))));
            } else if (field >= metrics_from_ && field < fields_expected) {
                // inf, -inf and nan as results.csv writes them; from_chars reads those too.
                double value = 0;
                const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
                if (text.empty() || error != std::errc() || end != text.data() + text.size())
                    throw refuse(fmt::format("{}: expected a number, found '{}'",
                                             metric_name(kAllMetrics[field - metrics_from_]),
                                             printable(std::string(text))));
                set_metric_value(row.metrics, kAllMetrics[field - metrics_from_], value);
            }
            ++field;
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
        if (field != fields_expected) throw refuse(fmt::format("expected {} fields, found {}", fields_expected, field));
        rows.push_back(row);
        ++rows_read_;
    }
    return !rows.empty();
}

std::vector<SweepRow> read_results_csv(const std::string& path, const ParameterGrid& grid, std::uint64_t rows) {
    ResultsCsvReader reader(path, grid);
    std::vector<SweepRow> read;
    reader.next(read, rows);
    if (read.size() != rows)
        throw UserError(fmt::format("{}: holds {} rows where its checkpoint says {}; cannot resume from it", path,
                                    read.size(), rows));
    return read;
}

nlohmann::json metrics_json(const ReplayMetrics& metrics) {
    nlohmann::json json = nlohmann::json::object();
    for (const Metric metric : kAllMetrics)
        json[std::string(metric_name(metric))] = finite_or_null(metric_value(metrics, metric));
    // Counts as integers, as `tapegrid replay --json` writes them.
    json["total_trades"] = metrics.total_trades;
    json["winning_trades"] = metrics.winning_trades;
    json["losing_trades"] = metrics.losing_trades;
    return json;
}

nlohmann::json sweep_row_json(const ParameterGrid& grid, const SweepRow& row) {
    nlohmann::json json = metrics_json(row.metrics);
    json["combination"] = row.combination;
    json["parameters"] = params_to_json(grid.strategy(), grid.at(row.combination));
    return json;
}

}  // namespace tapegrid

namespace tapegrid {

void write_search_trace(const std::string& path, const SweepSpec& spec, const std::vector<SearchTraceEntry>& trace) {
    const ParameterGrid& grid = *spec.grid;
    const StrategyInfo& strategy = grid.strategy();
    const Metric metric = spec.rank.keys.front().metric;
    const std::string name(metric_name(metric));
    std::string text = "evaluation,round,combination";
    // Appended piece by piece: `"," + string` trips GCC 12's -Wrestrict (a false positive).
    for (const auto& param : strategy.params) {
        text += ',';
        text += param.name;
    }
    text += fmt::format(",{0},ranked,best_combination,best_{0}\n", name);
    ParamSet params;
    for (const SearchTraceEntry& entry : trace) {
        grid.fill(entry.row.combination, params);
        text += fmt::format("{},{},{}", entry.evaluation, entry.round, entry.row.combination);
        for (std::size_t i = 0; i < strategy.params.size(); ++i) {
            text += ',';
            text += strategy.params[i].format(params.values[i]);
        }
        text += fmt::format(",{},{}", csv_number(metric_value(entry.row.metrics, metric)), entry.ranked ? 1 : 0);
        if (entry.best)
            text +=
                fmt::format(",{},{}\n", entry.best->combination, csv_number(metric_value(entry.best->metrics, metric)));
        else
            text += ",,\n";
    }
    std::ofstream out(path, std::ios::trunc);
    out << text;
    if (!out) throw UserError(path + ": cannot write");
}

}  // namespace tapegrid
