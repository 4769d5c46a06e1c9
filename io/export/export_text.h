// How an export writes values as text: CSV rows of bars and events, and the pieces of its JSON
// documents, appended a batch at a time so that no file's whole text is ever held.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/core/bars.h"
#include "engine/core/event.h"

namespace tapegrid::export_text {

// The columns every bars file starts with, and the events file's.
inline constexpr const char* kBarColumns[] = {"timestamp", "open", "high", "low", "close", "volume", "sequence"};
inline constexpr const char* kEventColumns[] = {"sequence",   "timestamp",         "type",        "symbol",
                                                "event_data", "decision_metadata", "market_state"};

// timestamp,open,...,sequence,<indicators...> and a line break.
std::string bars_csv_header(const std::vector<std::string>& indicator_names);
// One line per row of `batch`: ISO 8601 times, numbers in their shortest exact form, NaN as an
// empty field; the indicators in the batch's order, which is the header's.
void append_bars_csv(const SymbolBars& batch, std::string& out);

std::string events_csv_header();
void append_events_csv(std::span<const Event> events, std::string& out);

// The elements of a JSON array, comma-separated, exactly as nlohmann's dump() writes them in
// the whole array, so that an array written a batch at a time reads as if dumped whole;
// `continued`: elements came before (a comma goes first). NaN is null and an infinity the
// string "inf" or "-inf", as JSON has no such numbers.
void append_json_numbers(std::span<const double> values, bool continued, std::string& out);
void append_json_integers(std::span<const std::int64_t> values, bool continued, std::string& out);
void append_json_times(std::span<const std::int64_t> timestamps_ns, bool continued, std::string& out);
// Each event as a JSON object (its JSON text fields parsed, so they nest as objects).
void append_json_events(std::span<const Event> events, bool continued, std::string& out);

// `text` as a JSON string, quoted and escaped.
std::string json_string(const std::string& text);

}  // namespace tapegrid::export_text
