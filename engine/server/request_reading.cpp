// Strict request reading and JSON answers.
#include "engine/server/request_reading.h"

#include <algorithm>
#include <charconv>

#include "engine/core/printable.h"
#include "engine/server/http_error.h"

namespace tapegrid {

std::optional<std::string> query_text(const httplib::Request& request, const char* name) {
    if (!request.has_param(name)) return std::nullopt;
    return request.get_param_value(name);
}

std::uint64_t query_count(const httplib::Request& request, const char* name, std::uint64_t fallback, std::uint64_t min,
                          std::uint64_t max) {
    const auto text = query_text(request, name);
    if (!text) return fallback;
    std::uint64_t value = 0;
    const char* end = text->data() + text->size();
    const auto [stop, error] = std::from_chars(text->data(), end, value);
    if (text->empty() || error != std::errc() || stop != end || value < min || value > max)
        throw HttpError(400, std::string(name) + ": expected a whole number in [" + std::to_string(min) + ", " +
                                 std::to_string(max) + "], found '" + printable(*text) + "'");
    return value;
}

std::optional<std::int64_t> query_integer(const httplib::Request& request, const char* name) {
    const auto text = query_text(request, name);
    if (!text) return std::nullopt;
    std::int64_t value = 0;
    const char* end = text->data() + text->size();
    const auto [stop, error] = std::from_chars(text->data(), end, value);
    if (text->empty() || error != std::errc() || stop != end)
        throw HttpError(400, std::string(name) + ": expected a whole number, found '" + printable(*text) + "'");
    return value;
}

void refuse_unknown_query(const httplib::Request& request, std::initializer_list<const char*> known) {
    // The names in the URL's query string only: the library also files the fields of a body sent
    // as application/x-www-form-urlencoded (curl's default for --data) under the parameters.
    const auto question = request.target.find('?');
    std::string_view query =
        question == std::string::npos ? std::string_view() : std::string_view(request.target).substr(question + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        const std::string name(pair.substr(0, pair.find('=')));
        if (name.empty() || std::any_of(known.begin(), known.end(), [&](const char* k) { return name == k; })) continue;
        std::string expected;
        for (const char* k : known) expected += (expected.empty() ? "" : ", ") + std::string(k);
        throw HttpError(400, "unknown query parameter '" + printable(name) + "'" +
                                 (expected.empty() ? "; this route takes none" : "; expected " + expected));
    }
}

nlohmann::json json_body(const httplib::Request& request) {
    nlohmann::json body;
    try {
        body = nlohmann::json::parse(request.body);
    } catch (const nlohmann::json::parse_error& error) {
        throw HttpError(400, std::string("the body is not JSON: ") + error.what());
    }
    if (!body.is_object())
        throw HttpError(400, "expected a JSON object as the body, found " + std::string(body.type_name()));
    return body;
}

std::string path_parameter(const httplib::Request& request, std::size_t n) {
    return n < request.matches.size() ? request.matches[n].str() : std::string();
}

void send_json(httplib::Response& response, int status, const nlohmann::json& json) {
    response.status = status;
    // Replace: invalid UTF-8 in recorded text must not turn an answer into an exception.
    response.set_content(json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

void send_error(httplib::Response& response, int status, const std::string& message) {
    send_json(response, status, {{"success", false}, {"error", message}});
}

}  // namespace tapegrid
