// Column dataset helpers over the HDF5 C API.
#include "io/hdf5/hdf5_column.h"

#include <algorithm>

namespace tapegrid::h5 {

namespace {

Handle file_type(ColumnType type) {
    switch (type) {
        case ColumnType::kFloat64:
            return make_datatype(H5Tcopy(H5T_IEEE_F64LE));
        case ColumnType::kInt64:
            return make_datatype(H5Tcopy(H5T_STD_I64LE));
        case ColumnType::kUInt8:
            return make_datatype(H5Tcopy(H5T_STD_U8LE));
    }
    throw InternalError("unknown column type");
}

// Extends the dataset by `rows` and returns the file space selecting the new rows.
Handle extend_for_append(hid_t dataset, std::size_t rows, hsize_t& old_rows) {
    Handle space = make_dataspace(check_id(H5Dget_space(dataset), "column dataspace"));
    hsize_t dims[1] = {0};
    H5Sget_simple_extent_dims(space.get(), dims, nullptr);
    old_rows = dims[0];
    const hsize_t new_dims[1] = {old_rows + rows};
    check_status(H5Dset_extent(dataset, new_dims), "extending column");
    Handle file_space = make_dataspace(check_id(H5Dget_space(dataset), "column dataspace"));
    const hsize_t start[1] = {old_rows};
    const hsize_t count[1] = {rows};
    check_status(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr),
                 "selecting appended rows");
    return file_space;
}

void append_raw(hid_t dataset, hid_t memory_type, const void* values, std::size_t rows) {
    if (rows == 0) return;
    hsize_t old_rows = 0;
    Handle file_space = extend_for_append(dataset, rows, old_rows);
    const hsize_t count[1] = {rows};
    Handle memory_space = make_dataspace(check_id(H5Screate_simple(1, count, nullptr), "dataspace"));
    check_status(H5Dwrite(dataset, memory_type, memory_space.get(), file_space.get(), H5P_DEFAULT, values),
                 "appending rows to a column");
}

// Selects rows [first, first + count) of the dataset, checking they exist.
Handle select_rows(hid_t dataset, std::size_t first, std::size_t count, const std::string& where) {
    Handle file_space = make_dataspace(check_id<UserError>(H5Dget_space(dataset), where));
    const std::size_t rows = column_rows(dataset, where);
    if (first + count > rows)
        throw UserError(where + ": asked for rows " + std::to_string(first) + ".." + std::to_string(first + count) +
                        ", the column has " + std::to_string(rows));
    const hsize_t start[1] = {first};
    const hsize_t size[1] = {count};
    check_status(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, size, nullptr),
                 where + ": selecting rows");
    return file_space;
}

void read_numeric(hid_t dataset, std::size_t first, std::size_t count, hid_t memory_type, void* out,
                  const std::string& where, H5T_class_t expected_class) {
    if (count == 0) return;
    Handle type = make_datatype(check_id<UserError>(H5Dget_type(dataset), where));
    const H5T_class_t type_class = H5Tget_class(type.get());
    const bool convertible = type_class == expected_class || (expected_class == H5T_FLOAT && type_class == H5T_INTEGER);
    if (!convertible)
        throw UserError(where + ": expected a " + (expected_class == H5T_FLOAT ? "floating-point" : "integer") +
                        " column, found another type");
    Handle file_space = select_rows(dataset, first, count, where);
    const hsize_t size[1] = {count};
    Handle memory_space = make_dataspace(check_id(H5Screate_simple(1, size, nullptr), "dataspace"));
    check_status<UserError>(H5Dread(dataset, memory_type, memory_space.get(), file_space.get(), H5P_DEFAULT, out),
                            where + ": cannot read the column (corrupted or truncated file?)");
}

}  // namespace

Handle create_column(hid_t group, const std::string& name, ColumnType type, std::size_t chunk_rows) {
    const hsize_t dims[1] = {0};
    const hsize_t max_dims[1] = {H5S_UNLIMITED};
    Handle space = make_dataspace(check_id(H5Screate_simple(1, dims, max_dims), "dataspace"));
    Handle create_plist = make_plist(check_id(H5Pcreate(H5P_DATASET_CREATE), "dataset plist"));
    const hsize_t chunk[1] = {std::max<hsize_t>(1, chunk_rows)};
    check_status(H5Pset_chunk(create_plist.get(), 1, chunk), "setting chunk size");
    // No per-chunk checksum filter: a recorder appends into the last chunk again and again,
    // and a crash in the middle of rewriting it would make the whole chunk (rows flushed
    // long before) fail its checksum. Finished recordings are sealed instead (recording_seal.h).
    Handle datatype = file_type(type);
    return make_dataset(check_id(
        H5Dcreate2(group, name.c_str(), datatype.get(), space.get(), H5P_DEFAULT, create_plist.get(), H5P_DEFAULT),
        "creating column " + name));
}

Handle open_column(hid_t group, const std::string& name, const std::string& where) {
    if (!link_exists(group, name)) throw UserError(where + ": missing column '" + name + "'");
    // No chunk cache for reading: whole columns are read once, and without a cache HDF5 reads
    // each chunk straight into the caller's array instead of through a cached copy.
    static const hid_t uncached = [] {
        const hid_t plist = H5Pcreate(H5P_DATASET_ACCESS);
        H5Pset_chunk_cache(plist, 0, 0, H5D_CHUNK_CACHE_W0_DEFAULT);
        return plist;
    }();
    return make_dataset(
        check_id<UserError>(H5Dopen2(group, name.c_str(), uncached), where + ": cannot open column '" + name + "'"));
}

std::size_t column_rows(hid_t dataset, const std::string& where) {
    Handle space = make_dataspace(check_id<UserError>(H5Dget_space(dataset), where));
    if (H5Sget_simple_extent_ndims(space.get()) != 1)
        throw UserError(where + ": expected a 1-D column, found " +
                        std::to_string(H5Sget_simple_extent_ndims(space.get())) + " dimensions");
    hsize_t dims[1] = {0};
    H5Sget_simple_extent_dims(space.get(), dims, nullptr);
    return static_cast<std::size_t>(dims[0]);
}

void append_column(hid_t dataset, const double* values, std::size_t rows) {
    append_raw(dataset, H5T_NATIVE_DOUBLE, values, rows);
}

void append_column(hid_t dataset, const std::int64_t* values, std::size_t rows) {
    append_raw(dataset, H5T_NATIVE_INT64, values, rows);
}

void append_column(hid_t dataset, const std::uint8_t* values, std::size_t rows) {
    append_raw(dataset, H5T_NATIVE_UINT8, values, rows);
}

void write_column(hid_t dataset, std::size_t first, std::size_t count, const std::int64_t* values,
                  const std::string& where) {
    if (count == 0) return;
    Handle file_space = select_rows(dataset, first, count, where);
    const hsize_t size[1] = {count};
    Handle memory_space = make_dataspace(check_id(H5Screate_simple(1, size, nullptr), "dataspace"));
    check_status(H5Dwrite(dataset, H5T_NATIVE_INT64, memory_space.get(), file_space.get(), H5P_DEFAULT, values),
                 where + ": rewriting rows");
}

void read_column(hid_t dataset, std::size_t first, std::size_t count, double* out, const std::string& where) {
    read_numeric(dataset, first, count, H5T_NATIVE_DOUBLE, out, where, H5T_FLOAT);
}

void read_column(hid_t dataset, std::size_t first, std::size_t count, std::int64_t* out, const std::string& where) {
    read_numeric(dataset, first, count, H5T_NATIVE_INT64, out, where, H5T_INTEGER);
}

void read_column(hid_t dataset, std::size_t first, std::size_t count, std::uint8_t* out, const std::string& where) {
    read_numeric(dataset, first, count, H5T_NATIVE_UINT8, out, where, H5T_INTEGER);
}

void resize_column(hid_t dataset, std::size_t rows, const std::string& where) {
    const hsize_t dims[1] = {rows};
    check_status(H5Dset_extent(dataset, dims), where + ": resizing a column");
}

}  // namespace tapegrid::h5
