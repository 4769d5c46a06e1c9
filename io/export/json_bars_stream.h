// An export's JSON bars file converted to columns as it is parsed, never held as a document.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "engine/core/bars.h"

namespace tapegrid {

// The bars of a file in the layout the JSON export writes (an object whose timestamp, open,
// high, low, close, volume and sequence are arrays of plain values and whose indicators are an
// object of such arrays), each value converted as the parser reaches it and then dropped from
// the document: memory holds the symbol's columns (8 bytes a value), not a document of them
// (about 30 bytes a value, and a string a time).
//
// Anything else (a missing or repeated column, a column that is not an array of plain values,
// a value that does not convert) stops it, and it returns nothing: the caller then reads the
// file as a document, whose refusal says exactly what is wrong. A file that is not JSON is
// refused here, with the parser's message, as the document reader would refuse it.
std::optional<SymbolBars> read_json_bars_streamed(const std::string& symbol, const std::filesystem::path& path);

}  // namespace tapegrid
