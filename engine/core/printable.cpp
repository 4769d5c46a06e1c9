// Escaping user text for messages, and finding invalid UTF-8.
#include "engine/core/printable.h"

#include <fmt/format.h>

namespace tapegrid {

namespace {

// The length of the valid UTF-8 sequence at `text[at]` (1..4), or 0 when it is not one.
// Overlong forms, surrogates and code points above U+10FFFF are not valid.
std::size_t utf8_sequence(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;
        if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;
    } else {
        return 0;
    }
    if (at + length > text.size()) return 0;
    if (byte(at + 1) < low || byte(at + 1) > high) return 0;
    for (std::size_t i = 2; i < length; ++i)
        if (byte(at + i) < 0x80 || byte(at + i) > 0xBF) return 0;
    return length;
}

}  // namespace

std::size_t first_invalid_utf8(std::string_view text) {
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t length = utf8_sequence(text, at);
        if (length == 0) return at;
        at += length;
    }
    return std::string_view::npos;
}

std::string printable(std::string_view text, std::size_t max_bytes) {
    std::string out;
    const std::size_t end = std::min(text.size(), max_bytes);
    for (std::size_t at = 0; at < end;) {
        const auto byte = static_cast<unsigned char>(text[at]);
        const std::size_t length = utf8_sequence(text, at);
        if (length > 1 && at + length <= end) {
            out.append(text.substr(at, length));
            at += length;
        } else if (length == 1 && byte >= 0x20 && byte != 0x7F) {
            out.push_back(static_cast<char>(byte));
            ++at;
        } else {
            out += fmt::format("\\x{:02x}", byte);
            ++at;
        }
    }
    if (text.size() > max_bytes) out += fmt::format("... ({} bytes in all)", text.size());
    return out;
}

}  // namespace tapegrid
