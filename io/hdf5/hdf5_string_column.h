// A column of strings stored as two numeric columns: NAME_bytes and NAME_ends.
//
// NAME_bytes (uint8) holds the UTF-8 text of every row back to back; NAME_ends (int64) holds
// where each row's text ends, so row i is bytes[ends[i-1] : ends[i]] (ends[-1] = 0), the
// layout Apache Arrow uses. Unlike HDF5's variable-length strings, it keeps nothing in the
// global heap: appending never rewrites a byte of an earlier row, so a crash in the middle of
// a flush cannot damage rows flushed before it, and a whole column reads in two calls.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/hdf5/hdf5_handle.h"

namespace tapegrid::h5 {

struct StringColumn {
    Handle bytes;
    Handle ends;
    std::string where;            // "file: /events/type", for messages
    std::int64_t byte_count = 0;  // bytes written so far (the last end)
};

StringColumn create_string_column(hid_t group, const std::string& name, std::size_t chunk_rows);
StringColumn open_string_column(hid_t group, const std::string& name, const std::string& where);

std::size_t string_column_rows(const StringColumn& column);

void append_strings(StringColumn& column, const std::vector<std::string>& values);

// Reads rows [first, first + count); throws UserError when the ends are not increasing or
// point past the bytes (a damaged file).
std::vector<std::string> read_strings(const StringColumn& column, std::size_t first, std::size_t count);

// Keeps the first `rows` rows.
void truncate_string_column(StringColumn& column, std::size_t rows);

}  // namespace tapegrid::h5
