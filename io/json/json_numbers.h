// Whole numbers read from JSON that a user wrote. nlohmann's get<T>() converts any JSON number to
// T, and a float beyond T's range (4.4e44 as an int) is undefined behaviour: found by the
// export_reader fuzzer under UBSan. These accept JSON integers within T's range only.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/core/errors.h"

namespace tapegrid {

// `value` as T, or UserError "<where>: expected a whole number in [min, max], found <value>".
template <class T>
T json_whole_number(const nlohmann::json& value, const std::string& where) {
    static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
    if (value.is_number_unsigned()) {
        const auto number = value.get<std::uint64_t>();
        if (number <= static_cast<std::uint64_t>(std::numeric_limits<T>::max())) return static_cast<T>(number);
    } else if (value.is_number_integer()) {
        const auto number = value.get<std::int64_t>();
        if (std::is_signed_v<T> ? number >= static_cast<std::int64_t>(std::numeric_limits<T>::min()) : number >= 0) {
            if (number < 0 ||
                static_cast<std::uint64_t>(number) <= static_cast<std::uint64_t>(std::numeric_limits<T>::max()))
                return static_cast<T>(number);
        }
    }
    throw UserError(fmt::format("{}: expected a whole number in [{}, {}], found {}", where,
                                std::numeric_limits<T>::min(), std::numeric_limits<T>::max(),
                                value.dump().substr(0, 100)));
}

// A JSON array of whole numbers.
template <class T>
std::vector<T> json_whole_numbers(const nlohmann::json& array, const std::string& where) {
    if (!array.is_array()) throw UserError(where + ": expected an array of whole numbers");
    std::vector<T> numbers;
    numbers.reserve(array.size());
    for (const auto& value : array) numbers.push_back(json_whole_number<T>(value, where));
    return numbers;
}

// A JSON object of whole numbers, by key.
template <class T>
std::map<std::string, T> json_whole_numbers_by_key(const nlohmann::json& object, const std::string& where) {
    if (!object.is_object()) throw UserError(where + ": expected an object of whole numbers");
    std::map<std::string, T> numbers;
    for (const auto& [key, value] : object.items()) numbers[key] = json_whole_number<T>(value, where + "." + key);
    return numbers;
}

}  // namespace tapegrid
