// The API's description as a page (/docs): the OpenAPI document rendered, nothing fetched.
#include <fmt/format.h>

#include <cctype>
#include <string>

#include "engine/dashboard/dashboard_pages.h"
#include "engine/dashboard/page_document.h"

namespace tapegrid {

using page::escape_html;

std::string api_docs_page(const nlohmann::json& document) {
    const std::string version = document["info"]["version"].get<std::string>();
    std::string html = fmt::format(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>tapegrid API {}</title><style>"
        "body{{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;color:#222}}"
        "h2{{font-size:1.05em;margin:1.6em 0 .3em}}code{{font:13px ui-monospace,monospace}}"
        ".m{{display:inline-block;min-width:4.5em;font-weight:600}}.GET{{color:#0a6}}.POST{{color:#06c}}"
        ".DELETE{{color:#c33}}table{{border-collapse:collapse;margin:.3em 0}}td,th{{border:1px solid #ddd;"
        "padding:.2em .6em;text-align:left}}</style></head><body><h1>tapegrid API {}</h1><p>{}</p>"
        "<p>The machine-readable document: <a href=\"/openapi.json\"><code>/openapi.json</code></a> (OpenAPI "
        "{}). Errors are <code>{{\"success\": false, \"error\": \"...\"}}</code>.</p>",
        escape_html(version), escape_html(version), escape_html(document["info"]["description"].get<std::string>()),
        escape_html(document["openapi"].get<std::string>()));
    for (const auto& [path, methods] : document["paths"].items()) {
        for (const auto& [method, operation] : methods.items()) {
            std::string upper = method;
            for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            html += fmt::format("<h2 id=\"{}\"><span class=\"m {}\">{}</span><code>{}</code></h2><p>{}</p>",
                                escape_html(operation["operationId"].get<std::string>()), upper, upper,
                                escape_html(path), escape_html(operation["summary"].get<std::string>()));
            if (!operation["parameters"].empty()) {
                html += "<table><tr><th>parameter</th><th>in</th><th>type</th></tr>";
                for (const auto& parameter : operation["parameters"])
                    html += fmt::format("<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                                        escape_html(parameter["name"].get<std::string>()),
                                        escape_html(parameter["in"].get<std::string>()),
                                        escape_html(parameter["schema"]["type"].get<std::string>()));
                html += "</table>";
            }
            if (operation.contains("requestBody")) {
                std::string types;
                for (const auto& [type, schema] : operation["requestBody"]["content"].items())
                    types += (types.empty() ? "" : ", ") + escape_html(type);
                html += "<p>body: " + types + "</p>";
            }
            html += "<table><tr><th>status</th><th>meaning</th></tr>";
            for (const auto& [code, answer] : operation["responses"].items())
                html += fmt::format("<tr><td>{}</td><td>{}</td></tr>", code,
                                    escape_html(answer["description"].get<std::string>()));
            html += "</table>";
        }
    }
    html += "</body></html>\n";
    return html;
}

}  // namespace tapegrid
