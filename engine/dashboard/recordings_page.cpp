// The recordings page: the store's recordings as one sortable table.
#include <fmt/format.h>

#include <cstddef>
#include <string>

#include "engine/dashboard/dashboard_pages.h"
#include "engine/dashboard/page_document.h"

namespace tapegrid {

using nlohmann::json;
using namespace page;  // the parts every page shares (page_document.h), used throughout

namespace {

// The server's sweeps (its GET /api/v1/sweeps answer), newest first, each linked to its page
// once it has results.
std::string sweeps_section(const json& sweeps, const PageLinks& links) {
    std::string body = "<section><h2>Sweeps</h2><table class=\"sortable\">";
    body += header_row(
        {"sweep_id", "state", "strategy", "submitted", "finished", "combinations", "done", "bar-evaluations/s"});
    body += "<tbody>";
    for (const json& sweep : sweeps) {
        const std::string id = string_field(sweep, "sweep_id");
        const std::string state = string_field(sweep, "state");
        const bool has_results = state == "finished" || state == "cancelled" || state == "interrupted";
        const json& plan = field(sweep, "plan");
        const json& progress = field(sweep, "progress");
        body += "<tr><td class=\"mono\">" +
                (has_results ? maybe_link(links, "/sweeps/" + url_segment(id), id) : escape_html(id)) + "</td>";
        body += text_cell(state);
        body += text_cell(string_field(plan, "strategy"));
        body += time_cell(string_field(sweep, "submitted_at"));
        body += time_cell(string_field(sweep, "finished_at"));
        body += json_number_cell(field(plan, "combinations"), 0);
        body += number_cell(number_field(progress, "fraction").value_or(0.0) * 100.0, 1);
        body += json_number_cell(field(sweep, "bar_evaluations_per_second"), 0);
        body += "</tr>";
    }
    body +=
        "</tbody></table><p class=\"note\">done: percent of the combinations. <code>POST /api/v1/sweeps</code> "
        "submits one (<a href=\"/docs\">the API</a>).</p></section>\n";
    return body;
}

}  // namespace

std::string recordings_page(const json& recordings, const PageLinks& links, const json& sweeps) {
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
    if (sweeps.is_array() && !sweeps.empty()) body += sweeps_section(sweeps, links);
    json data = {{"page", "recordings"}, {"count", count}, {"recordings", recordings}};
    return html_document(fmt::format("Recordings ({})", count), links, body, dump_json(data));
}

}  // namespace tapegrid
