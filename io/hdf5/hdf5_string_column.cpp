// String columns as bytes + ends.
#include "io/hdf5/hdf5_string_column.h"

#include <fmt/format.h>

#include "io/hdf5/hdf5_column.h"

namespace tapegrid::h5 {

namespace {

std::string bytes_name(const std::string& name) {
    return name + "_bytes";
}
std::string ends_name(const std::string& name) {
    return name + "_ends";
}

std::int64_t end_before(const StringColumn& column, std::size_t row) {
    if (row == 0) return 0;
    std::int64_t end = 0;
    read_column(column.ends.get(), row - 1, 1, &end, column.where + "_ends");
    return end;
}

}  // namespace

StringColumn create_string_column(hid_t group, const std::string& name, std::size_t chunk_rows) {
    StringColumn column;
    // Text rows run to tens of bytes: a byte chunk of 64 rows' worth keeps appends cheap.
    column.bytes = create_column(group, bytes_name(name), ColumnType::kUInt8, chunk_rows * 64);
    column.ends = create_column(group, ends_name(name), ColumnType::kInt64, chunk_rows);
    column.where = name;
    return column;
}

StringColumn open_string_column(hid_t group, const std::string& name, const std::string& where) {
    StringColumn column;
    column.where = where + "/" + name;
    column.bytes = open_column(group, bytes_name(name), where);
    column.ends = open_column(group, ends_name(name), where);
    column.byte_count = static_cast<std::int64_t>(column_rows(column.bytes.get(), column.where + "_bytes"));
    return column;
}

std::size_t string_column_rows(const StringColumn& column) {
    return column_rows(column.ends.get(), column.where + "_ends");
}

void append_strings(StringColumn& column, const std::vector<std::string>& values) {
    if (values.empty()) return;
    std::string bytes;
    std::vector<std::int64_t> ends;
    ends.reserve(values.size());
    std::int64_t end = column.byte_count;
    for (const auto& value : values) {
        bytes += value;
        end += static_cast<std::int64_t>(value.size());
        ends.push_back(end);
    }
    append_column(column.bytes.get(), reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    append_column(column.ends.get(), ends.data(), ends.size());
    column.byte_count = end;
}

std::vector<std::string> read_strings(const StringColumn& column, std::size_t first, std::size_t count) {
    std::vector<std::string> values;
    if (count == 0) return values;
    std::vector<std::int64_t> ends(count);
    read_column(column.ends.get(), first, count, ends.data(), column.where + "_ends");
    const std::int64_t start = end_before(column, first);
    std::int64_t previous = start;
    for (std::size_t i = 0; i < count; ++i) {
        if (ends[i] < previous || ends[i] > column.byte_count)
            throw UserError(fmt::format("{}_ends: row {}: expected an end between {} and {}, found {} (damaged file)",
                                        column.where, first + i, previous, column.byte_count, ends[i]));
        previous = ends[i];
    }
    std::string bytes(static_cast<std::size_t>(ends.back() - start), '\0');
    read_column(column.bytes.get(), static_cast<std::size_t>(start), bytes.size(),
                reinterpret_cast<std::uint8_t*>(bytes.data()), column.where + "_bytes");
    values.reserve(count);
    std::int64_t row_start = start;
    for (const std::int64_t end : ends) {
        values.emplace_back(bytes, static_cast<std::size_t>(row_start - start),
                            static_cast<std::size_t>(end - row_start));
        row_start = end;
    }
    return values;
}

void truncate_string_column(StringColumn& column, std::size_t rows) {
    const std::int64_t end = end_before(column, rows);
    resize_column(column.ends.get(), rows, column.where + "_ends");
    resize_column(column.bytes.get(), static_cast<std::size_t>(end), column.where + "_bytes");
    column.byte_count = end;
}

}  // namespace tapegrid::h5
