// Which CSV column holds which bar field: the names tapegrid recognises in a header, and --map.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tapegrid {

// Where a file's bar fields are. Fields: timestamp (date and time in one column), date, time,
// open, high, low, close, volume.
struct ColumnLayout {
    std::vector<std::string> header;  // as read (after the one-field-short fix)
    std::map<std::string, std::size_t> field_index;
    std::vector<std::pair<std::size_t, std::string>> extra;  // index, indicator name
};

// Finds the fields in `header`: those `column_map` names (field -> header name, from --map) first,
// then by the header names tapegrid recognises, in any case and spacing. A date or timestamp and
// open, high, low, close are required, and volume unless `no_volume`; the other columns are
// `extra`, named in snake_case. Throws UserError naming `path` and the header when one is missing.
ColumnLayout map_columns(std::vector<std::string> header, const std::map<std::string, std::string>& column_map,
                         bool no_volume, const std::string& path);

// "Adj Close" -> "adj_close", "OpenInterest" -> "open_interest".
std::string snake_case(const std::string& name);

}  // namespace tapegrid
