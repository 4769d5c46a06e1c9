// The CSV tokenizer.
#include "io/csv/csv_reader.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/core/errors.h"

namespace tapegrid {

std::string read_text_file(const std::string& path) {
    // A device, a pipe or a directory has no end to read to (/dev/zero) or is not text at all.
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (!error && std::filesystem::is_directory(status)) throw UserError(path + ": is a directory; expected a file");
    if (!error && !std::filesystem::is_regular_file(status))
        throw UserError(path + ": is not a regular file (a device or a pipe); expected a text file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UserError(path + ": cannot open: " + std::strerror(errno));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw UserError(path + ": cannot read: " + std::strerror(errno));
    return std::move(buffer).str();
}

CsvReader::CsvReader(const std::string& path, char delimiter) : CsvReader(read_text_file(path), path, delimiter) {}

CsvReader::CsvReader(std::string text, const std::string& path, char delimiter)
    : path_(path), text_(std::move(text)), delimiter_(delimiter) {
    // A UTF-8 byte-order mark would otherwise stick to the first header name.
    if (text_.size() >= 3 && text_.compare(0, 3, "\xEF\xBB\xBF") == 0) position_ = 3;
}

char CsvReader::sniff_delimiter(std::string_view first_line) {
    char best = ',';
    std::size_t best_count = 0;
    for (const char candidate : {',', ';', '\t', '|'}) {
        std::size_t count = 0;
        for (const char c : first_line) count += c == candidate;
        if (count > best_count) {
            best = candidate;
            best_count = count;
        }
    }
    return best;
}

bool CsvReader::next(std::vector<std::string>& fields) {
    const std::size_t size = text_.size();
    while (position_ < size) {
        fields.clear();
        record_line_ = current_line_;
        std::string field;
        bool in_quotes = false;
        bool any_content = false;
        while (position_ < size) {
            const char c = text_[position_++];
            if (in_quotes) {
                if (c == '"') {
                    if (position_ < size && text_[position_] == '"') {
                        field += '"';
                        ++position_;
                    } else {
                        in_quotes = false;
                    }
                } else {
                    if (c == '\n') ++current_line_;
                    field += c;
                }
                continue;
            }
            if (c == '"') {
                in_quotes = true;
                any_content = true;
            } else if (c == delimiter_) {
                fields.push_back(std::move(field));
                field.clear();
                any_content = true;
            } else if (c == '\n') {
                ++current_line_;
                break;
            } else if (c != '\r') {
                field += c;
                if (c != ' ' && c != '\t') any_content = true;
            }
        }
        if (in_quotes)
            throw UserError(path_ + ":" + std::to_string(record_line_) +
                            ": a quoted field is not closed before the end of the file");
        if (!any_content) continue;  // blank line
        fields.push_back(std::move(field));
        return true;
    }
    return false;
}

}  // namespace tapegrid
