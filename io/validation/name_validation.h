// Which symbol and indicator names tapegrid accepts, wherever a name comes in (import, recorder, writer).
#pragma once

#include <string_view>

namespace tapegrid {

// Symbols and indicator names become HDF5 link names: no '/', no leading '.', printable.
bool is_valid_name(std::string_view name);

}  // namespace tapegrid
