// Random (version 4) UUIDs for recording and replay ids.
#pragma once

#include <string>
#include <string_view>

namespace tapegrid {

std::string make_uuid_v4();

// Whether `text` is a UUID in its 8-4-4-4-12 hexadecimal form: what recording and replay ids
// must be, since they name files.
bool is_uuid(std::string_view text);

}  // namespace tapegrid
