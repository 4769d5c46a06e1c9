// Aligned text tables for people (scripts use --json).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace tapegrid::cli {

class Table {
  public:
    explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}

    void add_row(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    bool empty() const { return rows_.empty(); }

    // Columns are left-aligned, except those whose cells all look like numbers.
    void print(std::ostream& out) const;

  private:
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
};

// Two-column "key: value" blocks.
void print_fields(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace tapegrid::cli
