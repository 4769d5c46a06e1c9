// Reading a request's query and body strictly, and writing JSON answers: a bad value is the
// client's mistake (HttpError 400 naming the parameter), never a crash or a silent default.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace tapegrid {

// The query parameter's value, or nothing when absent.
std::optional<std::string> query_text(const httplib::Request& request, const char* name);

// A whole number in [min, max] (digits only), `fallback` when absent; HttpError 400 otherwise.
std::uint64_t query_count(const httplib::Request& request, const char* name, std::uint64_t fallback, std::uint64_t min,
                          std::uint64_t max);

// A signed whole number, or nothing when absent; HttpError 400 when it is not one.
std::optional<std::int64_t> query_integer(const httplib::Request& request, const char* name);

// Refuses query parameters the route does not take (a typo would otherwise be ignored silently).
void refuse_unknown_query(const httplib::Request& request, std::initializer_list<const char*> known);

// The body as a JSON object; HttpError 400 when it is not one.
nlohmann::json json_body(const httplib::Request& request);

// The n-th {parameter} of the route's path.
std::string path_parameter(const httplib::Request& request, std::size_t n);

void send_json(httplib::Response& response, int status, const nlohmann::json& json);
void send_error(httplib::Response& response, int status, const std::string& message);

}  // namespace tapegrid
