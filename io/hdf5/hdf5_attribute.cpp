// Attribute helpers over the HDF5 C API, with every id owned by a Handle.
#include "io/hdf5/hdf5_attribute.h"

#include <algorithm>

#include "io/hdf5/hdf5_handle.h"

namespace tapegrid::h5 {

namespace {

// Deletes an existing attribute whose type or shape differs, so that the caller can
// create it anew; a matching one is kept and overwritten in place (no file growth).
Handle open_or_create(hid_t object, const std::string& name, hid_t type, hid_t space) {
    if (H5Aexists(object, name.c_str()) > 0) {
        Handle existing = make_attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT));
        if (existing) {
            Handle existing_type = make_datatype(H5Aget_type(existing.get()));
            Handle existing_space = make_dataspace(H5Aget_space(existing.get()));
            const bool same_type = H5Tequal(existing_type.get(), type) > 0;
            const bool same_shape = H5Sextent_equal(existing_space.get(), space) > 0;
            if (same_type && same_shape) return existing;
        }
        existing.reset();
        check_status(H5Adelete(object, name.c_str()), "replacing attribute " + name);
    }
    return make_attribute(check_id(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                                   "creating attribute " + name));
}

// Strings are stored fixed-length, inside the (checksummed) object header: variable-length
// strings would live in the global heap, which carries no checksum. NULLPAD: a string of
// exactly the type's size has no terminator.
Handle fixed_string_type(std::size_t size) {
    Handle type = make_datatype(check_id(H5Tcopy(H5T_C_S1), "string type"));
    check_status(H5Tset_size(type.get(), std::max<std::size_t>(1, size)), "string type size");
    check_status(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), "string type padding");
    check_status(H5Tset_cset(type.get(), H5T_CSET_UTF8), "string type charset");
    return type;
}

Handle scalar_space() {
    return make_dataspace(check_id(H5Screate(H5S_SCALAR), "dataspace"));
}

Handle vector_space(std::size_t size) {
    const hsize_t dims[1] = {static_cast<hsize_t>(size)};
    return make_dataspace(check_id(H5Screate_simple(1, dims, nullptr), "dataspace"));
}

struct OpenedAttribute {
    Handle attribute;
    Handle type;
    Handle space;
};

std::optional<OpenedAttribute> open_attribute(hid_t object, const std::string& name, const std::string& where) {
    if (H5Aexists(object, name.c_str()) <= 0) return std::nullopt;
    OpenedAttribute opened;
    opened.attribute = make_attribute(
        check_id<UserError>(H5Aopen(object, name.c_str(), H5P_DEFAULT), where + ": attribute '" + name + "'"));
    opened.type = make_datatype(check_id<UserError>(H5Aget_type(opened.attribute.get()), where));
    opened.space = make_dataspace(check_id<UserError>(H5Aget_space(opened.attribute.get()), where));
    return opened;
}

[[noreturn]] void wrong_attribute(const std::string& where, const std::string& name, const std::string& expected) {
    throw UserError(where + ": attribute '" + name + "': expected " + expected + ", found another type or shape");
}

hssize_t element_count(const OpenedAttribute& opened) {
    return H5Sget_simple_extent_npoints(opened.space.get());
}

}  // namespace

void write_attribute(hid_t object, const std::string& name, const std::string& value) {
    Handle type = fixed_string_type(value.size());
    Handle space = scalar_space();
    Handle attribute = open_or_create(object, name, type.get(), space.get());
    std::string padded = value;
    padded.resize(std::max<std::size_t>(1, value.size()), '\0');
    check_status(H5Awrite(attribute.get(), type.get(), padded.data()), "writing attribute " + name);
}

void write_attribute(hid_t object, const std::string& name, std::int64_t value) {
    Handle space = scalar_space();
    Handle attribute = open_or_create(object, name, H5T_STD_I64LE, space.get());
    check_status(H5Awrite(attribute.get(), H5T_NATIVE_INT64, &value), "writing attribute " + name);
}

void write_attribute(hid_t object, const std::string& name, double value) {
    Handle space = scalar_space();
    Handle attribute = open_or_create(object, name, H5T_IEEE_F64LE, space.get());
    check_status(H5Awrite(attribute.get(), H5T_NATIVE_DOUBLE, &value), "writing attribute " + name);
}

void write_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values) {
    std::size_t width = 1;
    for (const auto& value : values) width = std::max(width, value.size());
    Handle type = fixed_string_type(width);
    Handle space = vector_space(values.size());
    Handle attribute = open_or_create(object, name, type.get(), space.get());
    std::string packed(width * values.size(), '\0');
    for (std::size_t i = 0; i < values.size(); ++i) packed.replace(i * width, values[i].size(), values[i]);
    if (!values.empty())
        check_status(H5Awrite(attribute.get(), type.get(), packed.data()), "writing attribute " + name);
}

void write_attribute(hid_t object, const std::string& name, const std::vector<std::int64_t>& values) {
    Handle space = vector_space(values.size());
    Handle attribute = open_or_create(object, name, H5T_STD_I64LE, space.get());
    if (!values.empty())
        check_status(H5Awrite(attribute.get(), H5T_NATIVE_INT64, values.data()), "writing attribute " + name);
}

bool has_attribute(hid_t object, const std::string& name) {
    return H5Aexists(object, name.c_str()) > 0;
}

std::optional<std::string> read_string_attribute(hid_t object, const std::string& name, const std::string& where) {
    auto opened = open_attribute(object, name, where);
    if (!opened) return std::nullopt;
    if (H5Tget_class(opened->type.get()) != H5T_STRING || element_count(*opened) != 1)
        wrong_attribute(where, name, "a string");
    if (H5Tis_variable_str(opened->type.get()) > 0) {
        Handle memory_type = vlen_string_type();
        char* text = nullptr;
        check_status<UserError>(H5Aread(opened->attribute.get(), memory_type.get(), &text),
                                where + ": reading attribute '" + name + "'");
        std::string value = text != nullptr ? text : "";
        H5free_memory(text);
        return value;
    }
    const std::size_t size = H5Tget_size(opened->type.get());
    std::string value(size, '\0');
    // Read with the file's own type: HDF5 converts no string between character sets.
    check_status<UserError>(H5Aread(opened->attribute.get(), opened->type.get(), value.data()),
                            where + ": reading attribute '" + name + "'");
    value.resize(std::min(value.size(), value.find('\0')));
    return value;
}

std::optional<std::int64_t> read_int_attribute(hid_t object, const std::string& name, const std::string& where) {
    auto opened = open_attribute(object, name, where);
    if (!opened) return std::nullopt;
    if (H5Tget_class(opened->type.get()) != H5T_INTEGER || element_count(*opened) != 1)
        wrong_attribute(where, name, "an integer");
    std::int64_t value = 0;
    check_status<UserError>(H5Aread(opened->attribute.get(), H5T_NATIVE_INT64, &value),
                            where + ": reading attribute '" + name + "'");
    return value;
}

std::optional<double> read_double_attribute(hid_t object, const std::string& name, const std::string& where) {
    auto opened = open_attribute(object, name, where);
    if (!opened) return std::nullopt;
    const H5T_class_t type_class = H5Tget_class(opened->type.get());
    if ((type_class != H5T_FLOAT && type_class != H5T_INTEGER) || element_count(*opened) != 1)
        wrong_attribute(where, name, "a number");
    double value = 0.0;
    check_status<UserError>(H5Aread(opened->attribute.get(), H5T_NATIVE_DOUBLE, &value),
                            where + ": reading attribute '" + name + "'");
    return value;
}

std::optional<std::vector<std::string>> read_string_array_attribute(hid_t object, const std::string& name,
                                                                    const std::string& where) {
    auto opened = open_attribute(object, name, where);
    if (!opened) return std::nullopt;
    if (H5Tget_class(opened->type.get()) != H5T_STRING) wrong_attribute(where, name, "an array of strings");
    const auto count = static_cast<std::size_t>(element_count(*opened));
    std::vector<std::string> values;
    if (count == 0) return values;
    values.reserve(count);
    if (H5Tis_variable_str(opened->type.get()) > 0) {
        std::vector<char*> pointers(count, nullptr);
        Handle memory_type = vlen_string_type();
        check_status<UserError>(H5Aread(opened->attribute.get(), memory_type.get(), pointers.data()),
                                where + ": reading attribute '" + name + "'");
        for (char* pointer : pointers) {
            values.emplace_back(pointer != nullptr ? pointer : "");
            H5free_memory(pointer);
        }
        return values;
    }
    const std::size_t width = H5Tget_size(opened->type.get());
    std::string packed(width * count, '\0');
    check_status<UserError>(H5Aread(opened->attribute.get(), opened->type.get(), packed.data()),
                            where + ": reading attribute '" + name + "'");
    for (std::size_t i = 0; i < count; ++i) {
        std::string value = packed.substr(i * width, width);
        value.resize(std::min(value.size(), value.find('\0')));
        values.push_back(std::move(value));
    }
    return values;
}

std::optional<std::vector<std::int64_t>> read_int_array_attribute(hid_t object, const std::string& name,
                                                                  const std::string& where) {
    auto opened = open_attribute(object, name, where);
    if (!opened) return std::nullopt;
    if (H5Tget_class(opened->type.get()) != H5T_INTEGER) wrong_attribute(where, name, "an array of integers");
    std::vector<std::int64_t> values(static_cast<std::size_t>(element_count(*opened)));
    if (!values.empty())
        check_status<UserError>(H5Aread(opened->attribute.get(), H5T_NATIVE_INT64, values.data()),
                                where + ": reading attribute '" + name + "'");
    return values;
}

}  // namespace tapegrid::h5
