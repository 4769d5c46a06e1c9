// The CSV tokenizer, over a file read a block at a time or text in memory.
#include "io/csv/csv_reader.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "engine/core/errors.h"

namespace tapegrid {

namespace {

constexpr std::size_t kBlockBytes = std::size_t{1} << 20;

}  // namespace

std::ifstream open_text_file(const std::string& path) {
    // A device, a pipe or a directory has no end to read to (/dev/zero) or is not text at all.
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (!error && std::filesystem::is_directory(status)) throw UserError(path + ": is a directory; expected a file");
    if (!error && !std::filesystem::is_regular_file(status))
        throw UserError(path + ": is not a regular file (a device or a pipe); expected a text file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UserError(path + ": cannot open: " + std::strerror(errno));
    return in;
}

std::string read_text_file(const std::string& path) {
    std::ifstream in = open_text_file(path);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw UserError(path + ": cannot read: " + std::strerror(errno));
    return std::move(buffer).str();
}

CsvReader::CsvReader(const std::string& path, char delimiter)
    : path_(path), file_(std::make_unique<std::ifstream>(open_text_file(path))), delimiter_(delimiter) {
    for (const char c : {delimiter, '\n', '\r', '"'}) ends_run_[static_cast<unsigned char>(c)] = true;
    refill();
    skip_byte_order_mark();
}

CsvReader::CsvReader(std::string text, const std::string& path, char delimiter)
    : path_(path), buffer_(std::move(text)), delimiter_(delimiter) {
    for (const char c : {delimiter, '\n', '\r', '"'}) ends_run_[static_cast<unsigned char>(c)] = true;
    skip_byte_order_mark();
}

void CsvReader::skip_byte_order_mark() {
    // A UTF-8 byte-order mark would otherwise stick to the first header name.
    if (buffer_.size() >= 3 && buffer_.compare(0, 3, "\xEF\xBB\xBF") == 0) position_ = 3;
}

bool CsvReader::refill() {
    if (!file_) return false;
    buffer_.resize(kBlockBytes);
    file_->read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    if (file_->bad()) throw UserError(path_ + ": cannot read: " + std::strerror(errno));
    buffer_.resize(static_cast<std::size_t>(file_->gcount()));
    position_ = 0;
    return !buffer_.empty();
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

namespace {

// The next field of a record: the vector's strings are reused, so that reading a file does not
// allocate a string per field.
std::string& next_field(std::vector<std::string>& fields, std::size_t& count) {
    if (count == fields.size()) fields.emplace_back();
    std::string& field = fields[count++];
    field.clear();
    return field;
}

}  // namespace

void CsvReader::append_plain_run(std::string& field, bool& any_content) {
    while (position_ < buffer_.size() || refill()) {
        const char* begin = buffer_.data() + position_;
        const char* end = buffer_.data() + buffer_.size();
        const char* at = begin;
        // Whether the field holds more than blanks matters only until it does.
        for (; !any_content && at < end && !ends_run_[static_cast<unsigned char>(*at)]; ++at)
            any_content = *at != ' ' && *at != '\t';
        while (at < end && !ends_run_[static_cast<unsigned char>(*at)]) ++at;
        field.append(begin, at);
        position_ += static_cast<std::size_t>(at - begin);
        if (at < end) return;
    }
}

bool CsvReader::next(std::vector<std::string>& fields) {
    char c = 0;
    while (peek(c)) {
        record_line_ = current_line_;
        std::size_t count = 0;
        std::string* field = &next_field(fields, count);
        bool in_quotes = false;
        bool any_content = false;
        for (bool record_ends = false; !record_ends;) {
            // Unquoted text up to the next delimiter, line break, carriage return or quote at once.
            if (!in_quotes) append_plain_run(*field, any_content);
            if (!take(c)) break;
            if (in_quotes) {
                if (c == '"') {
                    char after = 0;
                    if (peek(after) && after == '"') {
                        *field += '"';
                        ++position_;
                    } else {
                        in_quotes = false;
                    }
                } else {
                    if (c == '\n') ++current_line_;
                    *field += c;
                }
            } else if (c == '"') {
                in_quotes = true;
                any_content = true;
            } else if (c == delimiter_) {
                field = &next_field(fields, count);
                any_content = true;
            } else if (c == '\n') {
                ++current_line_;
                record_ends = true;
            }  // a carriage return outside quotes is dropped
        }
        if (in_quotes)
            throw UserError(path_ + ":" + std::to_string(record_line_) +
                            ": a quoted field is not closed before the end of the file");
        if (!any_content) continue;  // blank line
        fields.resize(count);
        return true;
    }
    fields.clear();
    return false;
}

}  // namespace tapegrid
