// User text as a message can show it: control bytes, NULs and bytes that are not UTF-8 escaped
// (\x00), and very long text cut, so that a message is never truncated or garbled by what it quotes.
#pragma once

#include <string>
#include <string_view>

namespace tapegrid {

// `text` with every byte that is not printable ASCII or part of valid UTF-8 written as \xNN, and
// cut after `max_bytes` of input with "... (N bytes in all)".
std::string printable(std::string_view text, std::size_t max_bytes = 200);

// The byte offset of the first byte of `text` that is not valid UTF-8, or npos.
std::size_t first_invalid_utf8(std::string_view text);

}  // namespace tapegrid
