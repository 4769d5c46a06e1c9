// Name rules of the recording layout.
#include "io/hdf5/recording_layout.h"

namespace tapegrid::layout {

bool is_valid_name(std::string_view name) {
    if (name.empty() || name.size() > 128 || name.front() == '.') return false;
    for (const char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '/' || byte < 0x20 || byte == 0x7f) return false;
    }
    return true;
}

}  // namespace tapegrid::layout
