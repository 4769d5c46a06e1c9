// The name rule: what an HDF5 link name and an export's file name may hold, checked before a name
// reaches a file.
#include "io/validation/name_validation.h"

#include <fmt/format.h>

#include "engine/core/errors.h"
#include "engine/core/printable.h"

namespace tapegrid {

bool is_valid_name(std::string_view name) {
    if (name.empty() || name.size() > 128 || name.front() == '.') return false;
    for (const char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '/' || byte < 0x20 || byte == 0x7f) return false;
    }
    return first_invalid_utf8(name) == std::string_view::npos;
}

void require_valid_name(std::string_view name, std::string_view kind, const std::string& where) {
    if (is_valid_name(name)) return;
    throw UserError(fmt::format("{}{} '{}' is not usable: {}", where.empty() ? "" : where + ": ", kind, printable(name),
                                kNameRule));
}

}  // namespace tapegrid
