// The name rule: what an HDF5 link name may hold, checked before a name reaches a file.
#include "io/validation/name_validation.h"

namespace tapegrid {

bool is_valid_name(std::string_view name) {
    if (name.empty() || name.size() > 128 || name.front() == '.') return false;
    for (const char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '/' || byte < 0x20 || byte == 0x7f) return false;
    }
    return true;
}

}  // namespace tapegrid
