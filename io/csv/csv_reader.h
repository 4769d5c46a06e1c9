// A CSV tokenizer that knows its line numbers: quoted fields (RFC 4180), any one-byte delimiter.
#pragma once

#include <array>
#include <cstddef>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tapegrid {

class CsvReader {
  public:
    // Streams the file a block at a time (memory holds one block, whatever the file's size);
    // throws UserError when it cannot be opened or read.
    CsvReader(const std::string& path, char delimiter);
    // Parses text already in memory (`path` only names it in messages).
    CsvReader(std::string text, const std::string& path, char delimiter);

    // The next non-blank record into `fields`; false at the end. Quoted fields may hold the
    // delimiter, doubled quotes and line breaks. line() is the record's first line (1-based).
    bool next(std::vector<std::string>& fields);
    std::size_t line() const { return record_line_; }
    const std::string& path() const { return path_; }

    // Guesses the delimiter from the first line: the most frequent of ',', ';', '\t', '|'.
    static char sniff_delimiter(std::string_view first_line);

  private:
    // The next byte, reading the next block when the buffered one is used up; false at the end.
    bool take(char& c) {
        if (position_ == buffer_.size() && !refill()) return false;
        c = buffer_[position_++];
        return true;
    }
    bool peek(char& c) {
        if (position_ == buffer_.size() && !refill()) return false;
        c = buffer_[position_];
        return true;
    }
    bool refill();
    // Appends the bytes up to the next delimiter, line break, carriage return or quote.
    void append_plain_run(std::string& field, bool& any_content);
    void skip_byte_order_mark();

    std::string path_;
    std::unique_ptr<std::ifstream> file_;  // none for text given in memory
    std::string buffer_;                   // the text, or the file's current block
    char delimiter_;
    std::array<bool, 256> ends_run_{};  // by byte: the delimiter, a line break, a carriage return, a quote
    std::size_t position_ = 0;
    std::size_t current_line_ = 1;
    std::size_t record_line_ = 0;
};

// Opens a text file to read, or throws UserError naming it: a directory, a device or a pipe
// (no end to read to: /dev/zero) or a file that cannot be opened.
std::ifstream open_text_file(const std::string& path);

// Reads a whole file into a string; throws UserError naming it when it cannot.
std::string read_text_file(const std::string& path);

}  // namespace tapegrid
