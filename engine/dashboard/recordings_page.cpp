// The recordings page: the store's recordings as one sortable table.
#include <fmt/format.h>

#include <cstddef>
#include <string>

#include "engine/dashboard/dashboard_pages.h"
#include "engine/dashboard/page_document.h"

namespace tapegrid {

using nlohmann::json;
using namespace page;  // the parts every page shares (page_document.h), used throughout

std::string recordings_page(const json& recordings, const PageLinks& links) {
    std::string body = "<section><table class=\"sortable\">";
    body += header_row({"recording_id", "instance_id", "strategy_name", "status", "start", "end", "bars", "events",
                        "original_trades", "original_pnl", "original_win_rate"});
    body += "<tbody>";
    std::size_t count = 0;
    static const json kNone = json::array();
    for (const json& r : recordings.is_array() ? recordings : kNone) {
        const std::string id = string_field(r, "recording_id");
        body += "<tr><td class=\"mono\">" + maybe_link(links, recording_link(id), id) + "</td>";
        body += json_number_cell(field(r, "instance_id"), 0);
        body += text_cell(string_field(r, "strategy_name"));
        body += text_cell(string_field(r, "status"));
        body += time_cell(string_field(r, "recording_start_time"));
        body += time_cell(string_field(r, "recording_end_time"));
        body += json_number_cell(field(r, "total_bars_recorded"), 0);
        body += json_number_cell(field(r, "total_events_recorded"), 0);
        body += json_number_cell(field(r, "original_trades"), 0);
        body += json_number_cell(field(r, "original_pnl"), 2, Tint::kHigherIsBetter);
        body += json_number_cell(field(r, "original_win_rate"), 2);
        body += "</tr>";
        ++count;
    }
    body += "</tbody></table>";
    if (count == 0) body += "<p class=\"note\">The store holds no recordings.</p>";
    body += "</section>\n";
    json data = {{"page", "recordings"}, {"count", count}, {"recordings", recordings}};
    return html_document(fmt::format("Recordings ({})", count), links, body, dump_json(data));
}

}  // namespace tapegrid
