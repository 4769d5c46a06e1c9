// A sweep config sent as JSON (`tapegrid serve`'s POST /api/v1/sweeps), shaped like the TOML file:
// turned into TOML text, so one reader checks both with the same messages.
#pragma once

#include <string>

namespace tapegrid {

// The TOML text of a JSON object; UserError when the text is not JSON, not an object, or holds
// a null (TOML has none) or a whole number beyond 64 bits.
std::string json_config_as_toml(const std::string& json_text);

}  // namespace tapegrid
