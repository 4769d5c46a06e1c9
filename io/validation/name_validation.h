// Which symbol and indicator names tapegrid accepts, wherever a name comes in (import, recorder,
// writer, an export read back), and the one message that states the rule.
#pragma once

#include <string>
#include <string_view>

namespace tapegrid {

// The rule, as messages state it.
inline constexpr const char* kNameRule =
    "a name is 1 to 128 bytes of UTF-8 text with no '/', no control characters, and no leading '.'";

// Symbols and indicator names become HDF5 link names and file names of exports.
bool is_valid_name(std::string_view name);

// Throws UserError "<kind> '<name>' is not usable: <the rule>" when `name` breaks the rule;
// `kind` says what it names ("symbol", "indicator"), `where` (may be empty) where it came from.
void require_valid_name(std::string_view name, std::string_view kind, const std::string& where = "");

}  // namespace tapegrid
