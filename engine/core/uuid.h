// Random (version 4) UUIDs for recording and replay ids.
#pragma once

#include <string>
#include <string_view>

namespace tapegrid {

std::string make_uuid_v4();

// True for the canonical 8-4-4-4-12 lowercase or uppercase hex form.
bool is_uuid(std::string_view text);

}  // namespace tapegrid
