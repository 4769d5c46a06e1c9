// Header-to-field mapping: aliases, --map, the lone time column, and the columns left over.
#include "io/csv/csv_columns.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "engine/core/errors.h"
#include "engine/core/printable.h"
#include "io/csv/csv_cells.h"

namespace tapegrid {

namespace {

const std::vector<std::string> kFields = {"timestamp", "date", "time", "open", "high", "low", "close", "volume"};

// Header names each field is recognised by, compared after normalize().
const std::map<std::string, std::vector<std::string>> kAliases = {
    {"timestamp", {"timestamp", "datetime", "time_stamp", "date_time"}},
    {"date", {"date", "day"}},
    {"time", {"time"}},
    {"open", {"open", "o"}},
    {"high", {"high", "h"}},
    {"low", {"low", "l"}},
    {"close", {"close", "c", "last"}},
    {"volume", {"volume", "vol", "v"}},
};

std::string normalize(const std::string& name) {
    return snake_case(trim(name));
}

}  // namespace

ColumnLayout map_columns(std::vector<std::string> header, const std::map<std::string, std::string>& column_map,
                         bool no_volume, const std::string& path) {
    ColumnLayout layout;
    layout.header = std::move(header);
    std::map<std::string, std::size_t> by_name;
    for (std::size_t i = 0; i < layout.header.size(); ++i) {
        const auto [existing, added] = by_name.emplace(normalize(layout.header[i]), i);
        // Two columns of one name: which one is the close? Refuse rather than guess.
        if (!added && !normalize(layout.header[i]).empty())
            throw UserError(fmt::format("{}:1: the header names column '{}' twice (columns {} and {}); rename one",
                                        path, printable(layout.header[i]), existing->second + 1, i + 1));
    }
    for (const auto& [field, column] : column_map) {
        if (std::find(kFields.begin(), kFields.end(), field) == kFields.end())
            throw UserError(fmt::format("--map {}={}: unknown field '{}'; expected one of {}", field, column, field,
                                        fmt::join(kFields, ", ")));
        const auto found = by_name.find(normalize(column));
        if (found == by_name.end())
            throw UserError(fmt::format("{}:1: --map {}={}: no column '{}' in the header (found: {})", path, field,
                                        column, column, fmt::join(layout.header, ", ")));
        layout.field_index[field] = found->second;
    }
    for (const auto& [field, aliases] : kAliases) {
        if (layout.field_index.count(field)) continue;
        for (const auto& alias : aliases) {
            const auto found = by_name.find(alias);
            if (found != by_name.end()) {
                layout.field_index[field] = found->second;
                break;
            }
        }
    }
    // A lone "time" column holding whole timestamps is the timestamp.
    if (!layout.field_index.count("timestamp") && !layout.field_index.count("date") &&
        layout.field_index.count("time")) {
        layout.field_index["timestamp"] = layout.field_index["time"];
        layout.field_index.erase("time");
    }
    std::vector<std::string> required = {"open", "high", "low", "close"};
    if (!no_volume) required.push_back("volume");
    if (!layout.field_index.count("timestamp") && !layout.field_index.count("date"))
        throw UserError(
            fmt::format("{}:1: missing a date or timestamp column (found: {}); name it with "
                        "--map date=NAME or --map timestamp=NAME",
                        path, fmt::join(layout.header, ", ")));
    for (const auto& field : required)
        if (!layout.field_index.count(field))
            throw UserError(fmt::format("{}:1: missing column '{}' (found: {}); name it with --map {}=NAME{}", path,
                                        field, fmt::join(layout.header, ", "), field,
                                        field == "volume" ? " or pass --no-volume" : ""));
    std::vector<bool> used(layout.header.size(), false);
    for (const auto& [field, index] : layout.field_index) used[index] = true;
    for (std::size_t i = 0; i < layout.header.size(); ++i)
        if (!used[i]) layout.extra.emplace_back(i, normalize(layout.header[i]));
    return layout;
}

std::string snake_case(const std::string& name) {
    std::string out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const auto c = static_cast<unsigned char>(name[i]);
        if (std::isalnum(c)) {
            const bool upper = std::isupper(c);
            const bool after_lower = i > 0 && std::islower(static_cast<unsigned char>(name[i - 1]));
            if (upper && after_lower && !out.empty() && out.back() != '_') out += '_';
            out += static_cast<char>(std::tolower(c));
        } else if (!out.empty() && out.back() != '_') {
            out += '_';
        }
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    return out;
}

}  // namespace tapegrid
