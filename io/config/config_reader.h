// A sweep config's TOML with its --set overrides applied, read with errors that say file:line: key.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace tapegrid {

class ConfigReader {
  public:
    // Parses `path`, then applies `overrides` (a dotted key and a TOML value; text that is not a
    // TOML value is taken as a string). Throws UserError for a file that is not valid TOML.
    ConfigReader(std::string path, const std::vector<std::pair<std::string, std::string>>& overrides);

    const toml::table& root() const { return root_; }

    // "file:line: key", or "--set key" for a key that an override gave.
    std::string where(const toml::node& node, const std::string& key) const;
    [[noreturn]] void fail(const toml::node& node, const std::string& key, const std::string& message) const;

    // The top-level table `name`; an empty one when it is absent and not required.
    const toml::table& section(const char* name, bool required);
    // Fails on the first key of `table` not in `known`, naming it `prefix` + key.
    void check_keys(const toml::table& table, const std::string& prefix,
                    std::initializer_list<const char*> known) const;

    // A node's type, and its value where short, for "expected ..., found ..." messages.
    std::string type_name(const toml::node& node) const;

    // Typed reads of `node`, which is at `key`: each fails saying what it found otherwise.
    std::string string(const toml::node& node, const std::string& key) const;
    double number(const toml::node& node, const std::string& key) const;
    std::int64_t integer(const toml::node& node, const std::string& key) const;
    std::vector<std::string> strings(const toml::node& node, const std::string& key) const;  // one, or an array

    // The config file's directory: relative paths in the config start there.
    std::string directory() const;
    const std::string& path() const { return path_; }

    // The effective config, overrides applied, as TOML.
    std::string text() const;

  private:
    void apply_override(const std::string& dotted, const std::string& text);

    std::string path_;
    toml::table root_;
    std::set<std::string> overridden_;
};

}  // namespace tapegrid
