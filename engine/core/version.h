// tapegrid's version, as written into every file it creates.
#pragma once

namespace tapegrid {
inline constexpr const char* kVersion = "0.1.0";
}
