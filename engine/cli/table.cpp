// Text table layout.
#include "engine/cli/table.h"

#include <algorithm>
#include <cctype>

namespace tapegrid::cli {

namespace {

bool looks_numeric(const std::string& cell) {
    if (cell.empty()) return true;
    return std::all_of(cell.begin(), cell.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' || c == '%' ||
               c == 'e' || c == ',';
    });
}

// Display width of UTF-8 text: one column per code point.
std::size_t display_width(const std::string& text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

void Table::print(std::ostream& out) const {
    const std::size_t columns = header_.size();
    std::vector<std::size_t> width(columns, 0);
    std::vector<bool> numeric(columns, true);
    for (std::size_t c = 0; c < columns; ++c) width[c] = display_width(header_[c]);
    for (const auto& row : rows_)
        for (std::size_t c = 0; c < columns && c < row.size(); ++c) {
            width[c] = std::max(width[c], display_width(row[c]));
            numeric[c] = numeric[c] && looks_numeric(row[c]);
        }
    const auto print_row = [&](const std::vector<std::string>& row) {
        std::string line;
        for (std::size_t c = 0; c < columns; ++c) {
            const std::string cell = c < row.size() ? row[c] : "";
            const std::string pad(width[c] - display_width(cell), ' ');
            line += numeric[c] ? pad + cell : cell + (c + 1 < columns ? pad : "");
            if (c + 1 < columns) line += "  ";
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << '\n';
    };
    print_row(header_);
    std::vector<std::string> rule;
    for (std::size_t c = 0; c < columns; ++c) rule.emplace_back(width[c], '-');
    print_row(rule);
    for (const auto& row : rows_) print_row(row);
}

void print_fields(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& fields) {
    std::size_t width = 0;
    for (const auto& [key, value] : fields) width = std::max(width, key.size());
    for (const auto& [key, value] : fields)
        out << key << ':' << std::string(width - key.size() + 1, ' ') << value << '\n';
}

}  // namespace tapegrid::cli
