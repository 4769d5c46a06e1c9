// 1-D column datasets: created extendible and chunked, appended to, read whole or in part.
#pragma once

#include <hdf5.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/large_buffers.h"
#include "io/hdf5/hdf5_handle.h"

namespace tapegrid::h5 {

// The element types a column can hold, stored little-endian whatever the host.
enum class ColumnType { kFloat64, kInt64, kUInt8 };

// Creates an empty, unlimited, chunked column (corruption is caught by the file's seal).
Handle create_column(hid_t group, const std::string& name, ColumnType type, std::size_t chunk_rows);

// Opens an existing column; throws UserError naming `where` when it is missing.
Handle open_column(hid_t group, const std::string& name, const std::string& where);

// Number of rows of a 1-D dataset; throws UserError when it is not 1-D.
std::size_t column_rows(hid_t dataset, const std::string& where);

// Appends rows at the end, extending the dataset.
void append_column(hid_t dataset, const double* values, std::size_t rows);
void append_column(hid_t dataset, const std::int64_t* values, std::size_t rows);
void append_column(hid_t dataset, const std::uint8_t* values, std::size_t rows);

// Overwrites rows [first, first + count), which must exist.
void write_column(hid_t dataset, std::size_t first, std::size_t count, const std::int64_t* values,
                  const std::string& where);

// Reads rows [first, first + count) in one call. The element type must convert to the
// asked one (HDF5 converts integer and float widths); anything else is a UserError.
void read_column(hid_t dataset, std::size_t first, std::size_t count, double* out, const std::string& where);
void read_column(hid_t dataset, std::size_t first, std::size_t count, std::int64_t* out, const std::string& where);
void read_column(hid_t dataset, std::size_t first, std::size_t count, std::uint8_t* out, const std::string& where);

// Shrinks (or grows, with fill zeros) a column to `rows`.
void resize_column(hid_t dataset, std::size_t rows, const std::string& where);

// Reads the whole column, or only its first `row_limit` rows when it has more.
template <class T>
std::vector<T> read_whole_column(hid_t dataset, const std::string& where,
                                 std::size_t row_limit = static_cast<std::size_t>(-1)) {
    auto values = large_vector<T>(std::min(row_limit, column_rows(dataset, where)));
    if (!values.empty()) read_column(dataset, 0, values.size(), values.data(), where);
    return values;
}

}  // namespace tapegrid::h5
