// Terminal views of recordings.
#include "engine/cli/recording_views.h"

#include <fmt/format.h>

namespace tapegrid::cli {

std::string short_time(TimestampNs timestamp_ns) {
    if (timestamp_ns == 0) return "-";
    std::string text = format_iso8601(timestamp_ns);
    text[10] = ' ';
    const auto dot = text.find('.');
    return text.substr(0, dot == std::string::npos ? text.size() - 1 : dot);
}

Table recordings_table() {
    return Table({"recording_id", "status", "strategy", "instance", "started (UTC)", "symbols", "bars", "events",
                  "trades", "pnl"});
}

void add_recording_row(Table& table, const RecordingInfo& info, const std::string& path) {
    (void)path;
    std::string symbols = info.symbols.size() <= 3
                              ? fmt::format("{}", fmt::join(info.symbols, ","))
                              : fmt::format("{},{},... ({})", info.symbols[0], info.symbols[1], info.symbols.size());
    table.add_row({info.recording_id, std::string(to_string(info.status)),
                   info.strategy_name.empty() ? "-" : info.strategy_name, std::to_string(info.instance_id),
                   short_time(info.recording_start_time_ns), symbols, std::to_string(info.total_bars_recorded),
                   std::to_string(info.total_events_recorded), std::to_string(info.original_trades),
                   fmt::format("{:.2f}", info.original_pnl)});
}

void print_recording(std::ostream& out, const RecordingInfo& info, const std::string& path) {
    std::vector<std::pair<std::string, std::string>> fields = {
        {"recording_id", info.recording_id},
        {"file", path},
        {"status", std::string(to_string(info.status))},
        {"session_id", info.session_id.empty() ? "-" : info.session_id},
        {"instance_id", std::to_string(info.instance_id)},
        {"strategy_name", info.strategy_name.empty() ? "-" : info.strategy_name},
        {"original_parameters", info.original_parameters},
        {"symbols", fmt::format("{}", fmt::join(info.symbols, ", "))},
        {"recording_start_time", short_time(info.recording_start_time_ns)},
        {"recording_end_time", short_time(info.recording_end_time_ns)},
        {"description", info.description.empty() ? "-" : info.description},
        {"tags", info.tags.empty() ? "-" : fmt::format("{}", fmt::join(info.tags, ", "))},
        {"total_bars_recorded", std::to_string(info.total_bars_recorded)},
        {"total_events_recorded", std::to_string(info.total_events_recorded)},
        {"original_trades", std::to_string(info.original_trades)},
        {"original_pnl", fmt::format("{:.2f}", info.original_pnl)},
        {"original_win_rate", fmt::format("{:.1f}%", info.original_win_rate)},
    };
    if (!info.error_message.empty()) fields.emplace_back("error_message", info.error_message);
    fields.emplace_back("created_by", info.created_by.empty() ? "-" : info.created_by);
    print_fields(out, fields);
    out << "\nevent_counts:\n";
    if (info.event_counts.empty()) out << "  (no events)\n";
    for (const auto& [type, count] : info.event_counts) out << fmt::format("  {:<20} {:>8}\n", type, count);
}

}  // namespace tapegrid::cli
