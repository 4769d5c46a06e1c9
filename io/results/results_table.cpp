// Reading a sweep's results.csv back as columns.
#include "io/results/results_table.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "engine/core/errors.h"
#include "engine/core/metric_names.h"
#include "engine/core/printable.h"

namespace tapegrid {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The whole cell as a number: "12abc" is not 12. from_chars reads inf, -inf and nan as well,
// which is how the writer spells a profit factor without losses.
bool parse_cell(std::string_view text, double& value) {
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

void split_fields(std::string_view line, std::vector<std::string_view>& fields) {
    fields.clear();
    for (std::size_t start = 0;;) {
        const std::size_t comma = line.find(',', start);
        fields.push_back(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (comma == std::string_view::npos) return;
        start = comma + 1;
    }
}

bool next_line(std::ifstream& in, std::string& line, std::size_t& line_number) {
    if (!std::getline(in, line)) return false;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
}

// A parameter column while it is read: its cells interned, since a grid has few levels per
// parameter; whether it is numeric is decided once every cell has been seen.
struct ParameterCells {
    std::unordered_map<std::string, std::uint32_t> codes;
    std::vector<std::string> levels;
    std::vector<std::uint32_t> cells;

    void add(std::string_view text) {
        const auto [it, inserted] = codes.try_emplace(std::string(text), static_cast<std::uint32_t>(levels.size()));
        if (inserted) levels.emplace_back(text);
        cells.push_back(it->second);
    }
};

void finish_parameter(ParameterCells& cells, std::vector<double>& numeric, std::vector<std::string>& text) {
    std::vector<double> level_values(cells.levels.size(), kNaN);
    bool all_numbers = true;
    for (std::size_t l = 0; l < cells.levels.size(); ++l)
        if (!cells.levels[l].empty() && !parse_cell(cells.levels[l], level_values[l])) all_numbers = false;
    if (all_numbers) {
        numeric.reserve(cells.cells.size());
        for (const std::uint32_t code : cells.cells) numeric.push_back(level_values[code]);
    } else {
        text.reserve(cells.cells.size());
        for (const std::uint32_t code : cells.cells) text.push_back(cells.levels[code]);
    }
}

ResultsTable read_header(std::ifstream& in, const std::string& path, std::size_t& line_number) {
    std::string line;
    if (!next_line(in, line, line_number))
        throw UserError(path + ": empty; expected a sweep's results.csv (combination, parameters, metrics)");
    std::vector<std::string_view> fields;
    split_fields(line, fields);
    if (fields.front() != "combination")
        throw UserError(fmt::format("{}:1: expected a sweep's results header starting with 'combination', found '{}'",
                                    path, printable(line)));
    ResultsTable table;
    std::size_t metrics = 0;
    for (const std::string_view name : fields) {
        for (const auto& earlier : table.names)
            if (earlier == name)
                throw UserError(fmt::format("{}:1: the column '{}' appears twice", path, printable(name)));
        table.names.emplace_back(name);
        const bool metric = parse_metric(name).has_value();
        metrics += metric ? 1 : 0;
        table.is_parameter.push_back(table.names.size() > 1 && !metric);
    }
    if (metrics == 0)
        throw UserError(
            fmt::format("{}:1: expected metric columns ({}), found '{}'", path, list_metric_names(), printable(line)));
    table.numeric.resize(fields.size());
    table.text.resize(fields.size());
    return table;
}

}  // namespace

ResultsTable read_results_table(const std::string& csv_path, std::size_t max_rows) {
    std::ifstream in(csv_path);
    if (!in) throw UserError(csv_path + ": cannot read");
    std::size_t line_number = 0;
    ResultsTable table = read_header(in, csv_path, line_number);
    const std::size_t columns = table.names.size();
    std::vector<ParameterCells> parameters(columns);

    std::string line;
    std::vector<std::string_view> fields;
    while (next_line(in, line, line_number)) {
        if (line.empty()) continue;
        if (table.rows == max_rows) {
            table.truncated = true;
            break;
        }
        split_fields(line, fields);
        if (fields.size() != columns)
            throw UserError(fmt::format("{}:{}: expected {} fields (as the header names), found {}", csv_path,
                                        line_number, columns, fields.size()));
        for (std::size_t c = 0; c < columns; ++c) {
            if (table.is_parameter[c]) {
                parameters[c].add(fields[c]);
                continue;
            }
            double value = kNaN;
            if (!fields[c].empty() && !parse_cell(fields[c], value))
                throw UserError(fmt::format("{}:{}: {}: expected a number, found '{}'", csv_path, line_number,
                                            table.names[c], printable(fields[c])));
            table.numeric[c].push_back(value);
        }
        ++table.rows;
    }
    if (in.bad()) throw UserError(fmt::format("{}:{}: read failed", csv_path, line_number + 1));
    for (std::size_t c = 0; c < columns; ++c)
        if (table.is_parameter[c]) finish_parameter(parameters[c], table.numeric[c], table.text[c]);
    return table;
}

}  // namespace tapegrid
