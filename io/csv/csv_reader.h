// A CSV tokenizer that knows its line numbers: quoted fields (RFC 4180), any one-byte delimiter.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tapegrid {

class CsvReader {
  public:
    // Reads the whole file; throws UserError when it cannot be read.
    CsvReader(const std::string& path, char delimiter);
    // Parses text already in memory (`path` only names it in messages).
    CsvReader(std::string text, const std::string& path, char delimiter);

    // The next non-blank record into `fields`; false at the end. Quoted fields may hold the
    // delimiter, doubled quotes and line breaks. line() is the record's first line (1-based).
    bool next(std::vector<std::string>& fields);
    std::size_t line() const { return record_line_; }
    const std::string& path() const { return path_; }
    const std::string& text() const { return text_; }

    // Guesses the delimiter from the first line: the most frequent of ',', ';', '\t', '|'.
    static char sniff_delimiter(std::string_view first_line);

  private:
    std::string path_;
    std::string text_;
    char delimiter_;
    std::size_t position_ = 0;
    std::size_t current_line_ = 1;
    std::size_t record_line_ = 0;
};

// Reads a whole file into a string; throws UserError naming it when it cannot.
std::string read_text_file(const std::string& path);

}  // namespace tapegrid
