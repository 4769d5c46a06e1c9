// ConfigReader: toml++ parsing (TOML 1.0 with source positions for every node) and --set overrides.
#include "io/config/config_reader.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "engine/core/errors.h"

namespace tapegrid {

namespace fs = std::filesystem;

ConfigReader::ConfigReader(std::string path, const std::vector<std::pair<std::string, std::string>>& overrides)
    : path_(std::move(path)) {
    try {
        root_ = toml::parse_file(path_);
    } catch (const toml::parse_error& error) {
        throw UserError(fmt::format("{}:{}: not valid TOML: {}", path_, error.source().begin.line,
                                    std::string(error.description())));
    } catch (const std::exception& error) {
        throw UserError(path_ + ": cannot read: " + error.what());
    }
    for (const auto& [key, value] : overrides) apply_override(key, value);
}

std::string ConfigReader::where(const toml::node& node, const std::string& key) const {
    // A key under an override (grid.bb_std.step, grid.bb_std[1]) came from --set too: its
    // node's line is in the override's text, not in the file.
    for (const auto& overridden : overridden_)
        if (key == overridden || key.rfind(overridden + ".", 0) == 0 || key.rfind(overridden + "[", 0) == 0)
            return "--set " + key;
    // A table that only an override made (--set nosuch.key=1 makes [nosuch]) has no line either.
    if (node.source().begin.line == 0)
        for (const auto& overridden : overridden_)
            if (overridden.rfind(key + ".", 0) == 0) return "--set " + overridden;
    return fmt::format("{}:{}: {}", path_, node.source().begin.line, key);
}

void ConfigReader::fail(const toml::node& node, const std::string& key, const std::string& message) const {
    throw UserError(fmt::format("{}: {}", where(node, key), message));
}

const toml::table& ConfigReader::section(const char* name, bool required) {
    const toml::node* node = root_.get(name);
    if (node == nullptr) {
        if (required) throw UserError(fmt::format("{}: missing the [{}] table", path_, name));
        static const toml::table kEmpty;
        return kEmpty;
    }
    if (!node->is_table()) fail(*node, name, "expected a table");
    return *node->as_table();
}

void ConfigReader::check_keys(const toml::table& table, const std::string& prefix,
                              std::initializer_list<const char*> known) const {
    for (auto&& [key, node] : table) {
        bool found = false;
        for (const char* name : known) found = found || key.str() == name;
        if (!found) {
            std::vector<std::string> names(known.begin(), known.end());
            fail(node, prefix + std::string(key.str()),
                 fmt::format("unknown key; expected one of {}", fmt::join(names, ", ")));
        }
    }
}

std::string ConfigReader::type_name(const toml::node& node) const {
    switch (node.type()) {
        case toml::node_type::string:
            return fmt::format("the string \"{}\"", *node.value<std::string>());
        case toml::node_type::integer:
            return fmt::format("the integer {}", *node.value<std::int64_t>());
        case toml::node_type::floating_point:
            return fmt::format("the number {}", *node.value<double>());
        case toml::node_type::boolean:
            return *node.value<bool>() ? "true" : "false";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::table:
            return "a table";
        default:
            return "a date or time";
    }
}

std::string ConfigReader::string(const toml::node& node, const std::string& key) const {
    if (!node.is_string()) fail(node, key, "expected a string, found " + type_name(node));
    return *node.value<std::string>();
}

double ConfigReader::number(const toml::node& node, const std::string& key) const {
    if (!node.is_number()) fail(node, key, "expected a number, found " + type_name(node));
    if (node.is_integer()) {
        // toml++ gives no double for an integer a double cannot hold exactly: say so.
        const std::int64_t integer = *node.value<std::int64_t>();
        constexpr std::int64_t kExact = std::int64_t{1} << 53;
        if (integer > kExact || integer < -kExact)
            fail(node, key,
                 fmt::format("the integer {} is too large to be taken exactly as a number (beyond 2^53)", integer));
        return static_cast<double>(integer);
    }
    const auto value = node.value<double>();
    if (!value || !std::isfinite(*value)) fail(node, key, "expected a finite number, found " + type_name(node));
    return *value;
}

std::int64_t ConfigReader::integer(const toml::node& node, const std::string& key) const {
    if (!node.is_integer()) fail(node, key, "expected an integer, found " + type_name(node));
    return *node.value<std::int64_t>();
}

std::vector<std::string> ConfigReader::strings(const toml::node& node, const std::string& key) const {
    std::vector<std::string> values;
    if (node.is_string()) return {*node.value<std::string>()};
    if (!node.is_array()) fail(node, key, "expected an array of strings, found " + type_name(node));
    std::size_t i = 0;
    for (const auto& item : *node.as_array()) values.push_back(string(item, fmt::format("{}[{}]", key, i++)));
    return values;
}

std::string ConfigReader::directory() const {
    return fs::path(path_).parent_path().string();
}

std::string ConfigReader::text() const {
    std::ostringstream out;
    out << root_ << '\n';
    return out.str();
}

void ConfigReader::apply_override(const std::string& dotted, const std::string& text) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t dot; (dot = dotted.find('.', start)) != std::string::npos; start = dot + 1)
        parts.push_back(dotted.substr(start, dot - start));
    parts.push_back(dotted.substr(start));
    for (const auto& part : parts)
        if (part.empty()) throw UserError("--set " + dotted + ": expected a dotted key such as rank.by or grid.bb_std");
    toml::table* table = &root_;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        toml::node* next = table->get(parts[i]);
        if (next == nullptr) next = &table->insert_or_assign(parts[i], toml::table{}).first->second;
        if (!next->is_table()) throw UserError("--set " + dotted + ": '" + parts[i] + "' is not a table");
        table = next->as_table();
    }
    toml::table parsed;
    try {
        parsed = toml::parse("value = " + text);
    } catch (const toml::parse_error&) {
        parsed.insert_or_assign("value", text);  // not a TOML value: taken as a string
    }
    table->insert_or_assign(parts.back(), *parsed.get("value"));
    overridden_.insert(dotted);
}

}  // namespace tapegrid
