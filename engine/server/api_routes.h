// Every route `tapegrid serve` answers, in one table: the server registers its handlers from it
// and /openapi.json is generated from it, so the documentation cannot drift from what is served.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

namespace tapegrid {

struct ApiRoute {
    std::string_view method;     // GET, POST or DELETE
    std::string_view path;       // an OpenAPI path template: /api/v1/recordings/{recording_id}
    std::string_view operation;  // the operationId, which names the handler
    std::string_view summary;
    std::string_view query;      // the query parameters, space-separated
    std::string_view responses;  // the status codes it answers with, space-separated ("200 404")
    std::string_view body;       // the request body's media types, space-separated ("" for none)
    std::string_view produces;   // the response's media type
};

// In the order the server matches them (specific paths before the ones they would also match).
std::span<const ApiRoute> api_routes();

// The route's path as a regular expression for the HTTP library: each {name} one path segment,
// and a trailing slash optional.
std::string route_pattern(std::string_view path);

// The OpenAPI 3.0 document of api_routes(), with the response and error schemas.
nlohmann::json openapi_document(std::string_view version);

}  // namespace tapegrid
