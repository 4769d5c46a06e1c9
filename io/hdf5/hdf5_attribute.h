// Reading and writing the scalar and 1-D attributes a recording's metadata is made of.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tapegrid::h5 {

// Writers create the attribute or replace it in place (same type and shape) when it exists.
void write_attribute(hid_t object, const std::string& name, const std::string& value);
void write_attribute(hid_t object, const std::string& name, std::int64_t value);
void write_attribute(hid_t object, const std::string& name, double value);
void write_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values);
void write_attribute(hid_t object, const std::string& name, const std::vector<std::int64_t>& values);

bool has_attribute(hid_t object, const std::string& name);

// Readers return nothing when the attribute is absent and throw UserError when it exists
// with a type or shape that cannot be read as asked; `where` names the file for messages.
std::optional<std::string> read_string_attribute(hid_t object, const std::string& name, const std::string& where);
std::optional<std::int64_t> read_int_attribute(hid_t object, const std::string& name, const std::string& where);
std::optional<double> read_double_attribute(hid_t object, const std::string& name, const std::string& where);
std::optional<std::vector<std::string>> read_string_array_attribute(hid_t object, const std::string& name,
                                                                    const std::string& where);
std::optional<std::vector<std::int64_t>> read_int_array_attribute(hid_t object, const std::string& name,
                                                                  const std::string& where);

}  // namespace tapegrid::h5
