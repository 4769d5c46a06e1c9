// Cell text: trimming and strict numbers with std::from_chars (locale-independent, no partial reads).
#include "io/csv/csv_cells.h"

#include <cctype>
#include <charconv>

namespace tapegrid {

std::string trim(std::string_view text) {
    std::size_t begin = 0, end = text.size();
    while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
    while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
    return std::string(text.substr(begin, end - begin));
}

bool parse_number(std::string_view text, double& value) {
    const std::string trimmed = trim(text);
    if (trimmed.empty()) return false;
    const char* begin = trimmed.data();
    if (*begin == '+') ++begin;
    const auto [end, error] = std::from_chars(begin, trimmed.data() + trimmed.size(), value);
    return error == std::errc() && end == trimmed.data() + trimmed.size();
}

}  // namespace tapegrid
