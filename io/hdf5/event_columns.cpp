// The /events columns: opened with their lengths checked, read a range of rows at a time.
#include "io/hdf5/event_columns.h"

#include <fmt/format.h>

#include "io/hdf5/hdf5_attribute.h"
#include "io/hdf5/hdf5_column.h"
#include "io/hdf5/recording_layout.h"

namespace tapegrid {

EventColumns open_event_columns(hid_t file, const std::string& path) {
    const std::string where = path + ": /events";
    EventColumns columns;
    columns.group = h5::open_group(file, layout::kEventsGroup, path);
    const auto open_text = [&](const char* name) { return h5::open_string_column(columns.group.get(), name, where); };
    columns.sequence = h5::open_column(columns.group.get(), layout::kEventSequence, where);
    columns.timestamp = h5::open_column(columns.group.get(), layout::kEventTimestamp, where);
    columns.type = open_text(layout::kEventType);
    columns.symbol = open_text(layout::kEventSymbol);
    columns.event_data = open_text(layout::kEventData);
    columns.decision_metadata = open_text(layout::kDecisionMetadata);
    columns.market_state = open_text(layout::kMarketState);
    columns.rows = h5::column_rows(columns.sequence.get(), where + "/sequence");
    const auto check_rows = [&](std::size_t rows, const std::string& name) {
        if (rows != columns.rows)
            throw UserError(fmt::format("{}/{}: expected {} rows like the sequence column, found {}", where, name,
                                        columns.rows, rows));
    };
    check_rows(h5::column_rows(columns.timestamp.get(), where), "timestamp");
    for (const auto* column :
         {&columns.type, &columns.symbol, &columns.event_data, &columns.decision_metadata, &columns.market_state})
        check_rows(h5::string_column_rows(*column), column->where.substr(where.size() + 1) + "_ends");
    return columns;
}

std::vector<Event> read_event_rows(const EventColumns& columns, std::size_t first, std::size_t count,
                                   const std::string& path) {
    const std::string where = path + ": /events";
    std::vector<std::int64_t> sequence(count), timestamp(count);
    h5::read_column(columns.sequence.get(), first, count, sequence.data(), where + "/sequence");
    h5::read_column(columns.timestamp.get(), first, count, timestamp.data(), where + "/timestamp");
    auto type = h5::read_strings(columns.type, first, count);
    auto symbol = h5::read_strings(columns.symbol, first, count);
    auto data = h5::read_strings(columns.event_data, first, count);
    auto decision = h5::read_strings(columns.decision_metadata, first, count);
    auto market = h5::read_strings(columns.market_state, first, count);
    std::vector<Event> events(count);
    for (std::size_t i = 0; i < count; ++i) {
        events[i] = Event{sequence[i],        timestamp[i],           std::move(type[i]),  std::move(symbol[i]),
                          std::move(data[i]), std::move(decision[i]), std::move(market[i])};
    }
    return events;
}

}  // namespace tapegrid
