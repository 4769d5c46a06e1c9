// Text a recording keeps (descriptions, tags, ids, event text) must be valid UTF-8: every JSON
// output would otherwise fail on it later, far from where it came in.
#pragma once

#include <string>
#include <string_view>

#include "engine/core/recording.h"

namespace tapegrid {

// UserError "<what>: not valid UTF-8 at byte N: '<text, escaped>'" when it is not.
void require_utf8(std::string_view text, const std::string& what);

// Every text field of a recording's metadata.
void require_utf8_metadata(const RecordingInfo& info, const std::string& where);

}  // namespace tapegrid
