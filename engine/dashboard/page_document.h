// What every dashboard page is built from: escaping, cells and tables, links, and the whole document.
//
// Internal to engine/dashboard/: the pages (dashboard_pages.h) share these so that every text put
// into a page is escaped the same way and every page is the same self-contained document.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/metric_names.h"
#include "engine/core/timestamp.h"
#include "engine/dashboard/dashboard_pages.h"
#include "engine/dashboard/decimate.h"

namespace tapegrid::page {

// Whether a metric counts trades, so is shown with no decimals.
bool is_count(Metric metric);

// `text` with & < > " ' as entities, safe in an element's text and in a quoted attribute.
std::string escape_html(std::string_view text);

// JSON text made safe inside a <script> element ("</" written "<\/", "<!--" written "<\u0021--").
void make_script_safe(std::string& text);

// JSON text; bytes that are not valid UTF-8 (recorded text may hold them) become U+FFFD.
std::string dump_json(const nlohmann::json& value);

// A path segment of a served link: every byte but the unreserved ones percent-encoded.
std::string url_segment(std::string_view text);

// object[key], or null when `object` is not an object or lacks the key.
const nlohmann::json& field(const nlohmann::json& object, const char* key);

// object[key] when it is a number.
std::optional<double> number_field(const nlohmann::json& object, const char* key);

// object[key] when it is a string, else "".
std::string string_field(const nlohmann::json& object, const char* key);

// `value` with `decimals` decimals; "—" for NaN, "∞" and "-∞" for the infinities.
std::string format_number(double value, int decimals);

// A JSON value as a cell's text: strings as they are, numbers as written, lists joined.
std::string json_text(const nlohmann::json& value);

// A <td> holding `text`, escaped.
std::string text_cell(std::string_view text);

// A <td> holding an ISO 8601 time, kept on one line.
std::string time_cell(std::string_view text);

// How a number is coloured: by whether it is good news (a gain, a better metric) or bad.
enum class Tint { kNone, kHigherIsBetter, kLowerIsBetter };

// A numeric cell: shown with `decimals` (-1: as written), sorted by its full value (data-value);
// blank sorts last.
std::string number_cell(std::optional<double> value, int decimals, Tint tint = Tint::kNone);

// A JSON value's cell: integers with no decimals, other numbers with `decimals`, the rest as text.
std::string json_number_cell(const nlohmann::json& value, int decimals, Tint tint = Tint::kNone);

// A table's <thead> with one escaped header per name.
std::string header_row(std::initializer_list<std::string_view> names);

// A key/value table of a JSON object, nested objects as tables of their own; `skip`: keys left out.
std::string key_value_table(const nlohmann::json& object, std::initializer_list<std::string_view> skip = {});

// Milliseconds since the epoch (what the charts take), rounded down.
std::int64_t epoch_ms(TimestampNs timestamp_ns);

// The served page of a recording.
std::string recording_link(const std::string& recording_id);

// The served page of a recording's replay.
std::string replay_link(const std::string& recording_id, const std::string& replay_id);

// `text`, escaped, as a link to `href` when the pages are served.
std::string maybe_link(const PageLinks& links, const std::string& href, std::string_view text);

// The whole document: `title`, the page's `body` (HTML), its data (`data_text`, JSON, made
// script-safe here), the style sheet and the script.
std::string html_document(std::string_view title, const PageLinks& links, const std::string& body,
                          std::string data_text);

// A chart's series: {name, x (epoch ms), y, color when given}.
nlohmann::json series_json(std::string_view name, const DecimatedSeries& series, const char* colour = nullptr);

}  // namespace tapegrid::page
