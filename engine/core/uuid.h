// Random (version 4) UUIDs for recording and replay ids.
#pragma once

#include <string>
#include <string_view>

namespace tapegrid {

std::string make_uuid_v4();

}  // namespace tapegrid
