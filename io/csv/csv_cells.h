// The text of one CSV cell: blanks around it trimmed, numbers read strictly.
#pragma once

#include <string>
#include <string_view>

namespace tapegrid {

// `text` without the white space around it.
std::string trim(std::string_view text);

// Reads the whole trimmed cell as a number (a leading '+' allowed); false for anything else,
// an empty cell included, so "12abc" is never read as 12.
bool parse_number(std::string_view text, double& value);

}  // namespace tapegrid
