// JSON sweep configs as TOML.
#include "io/config/json_config.h"

#include <toml++/toml.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/core/errors.h"
#include "io/json/json_numbers.h"

namespace tapegrid {

namespace {

void add_toml(toml::table& table, const std::string& key, const nlohmann::json& value);

toml::array toml_array(const std::string& key, const nlohmann::json& values) {
    toml::array array;
    for (const auto& value : values) {
        toml::table holder;
        add_toml(holder, key, value);
        array.push_back(*holder.get(key));
    }
    return array;
}

void add_toml(toml::table& table, const std::string& key, const nlohmann::json& value) {
    if (value.is_object()) {
        toml::table inner;
        for (const auto& [name, item] : value.items()) add_toml(inner, name, item);
        table.insert(key, std::move(inner));
    } else if (value.is_array()) {
        table.insert(key, toml_array(key, value));
    } else if (value.is_string()) {
        table.insert(key, value.get<std::string>());
    } else if (value.is_boolean()) {
        table.insert(key, value.get<bool>());
    } else if (value.is_number_integer() || value.is_number_unsigned()) {
        table.insert(key, json_whole_number<std::int64_t>(value, key));
    } else if (value.is_number_float()) {
        table.insert(key, value.get<double>());
    } else {
        throw UserError("'" + key + "': null has no TOML form; leave the key out");
    }
}

}  // namespace

std::string json_config_as_toml(const std::string& json_text) {
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(json_text);
    } catch (const nlohmann::json::parse_error& error) {
        throw UserError(std::string("the config is not JSON: ") + error.what());
    }
    if (!json.is_object()) throw UserError("expected a JSON object shaped like the sweep's TOML config");
    toml::table root;
    for (const auto& [key, value] : json.items()) add_toml(root, key, value);
    std::ostringstream out;
    out << root << '\n';
    return out.str();
}

}  // namespace tapegrid
