// The batch reader: a symbol's columns opened and their lengths checked, rows read by hyperslab.
#include "io/hdf5/recording_batch_reader.h"

#include <fmt/format.h>

#include <algorithm>

#include "io/hdf5/hdf5_column.h"
#include "io/hdf5/recording_layout.h"

namespace tapegrid {

namespace {

constexpr std::array<const char*, 7> kFieldNames = {layout::kTimestamp, layout::kOpen,   layout::kHigh,    layout::kLow,
                                                    layout::kClose,     layout::kVolume, layout::kSequence};

bool is_integer_field(BarField field) {
    return field == BarField::kTimestamp || field == BarField::kSequence;
}

}  // namespace

SymbolBatchReader::SymbolBatchReader(const RecordingForRows& recording, hid_t market_data, const std::string& symbol)
    : symbol_(symbol),
      where_(recording.path + ": /market_data/" + symbol),
      recovery_hint_(recording.recovery_hint()),
      validator_(where_) {
    try {
        group_ = h5::open_group(market_data, symbol, recording.path + ": /market_data");
        for (std::size_t f = 0; f < kFieldNames.size(); ++f)
            fields_[f] = h5::open_column(group_.get(), kFieldNames[f], where_);
        if (h5::link_exists(group_.get(), layout::kIndicatorsGroup)) {
            h5::Handle group = h5::open_group(group_.get(), layout::kIndicatorsGroup, where_);
            indicator_names_ = h5::link_names(group.get(), where_ + "/indicators");
            for (const auto& name : indicator_names_)
                indicators_.push_back(h5::open_column(group.get(), name, where_ + "/indicators"));
        }
        // As load_recording reads them: each column up to the committed rows, and all as long
        // as the timestamps (the message validate_bars gives).
        const std::size_t limit = recording.bar_row_limit(symbol);
        const auto rows_of = [&](hid_t column, const std::string& name) {
            return std::min(limit, h5::column_rows(column, where_ + "/" + name));
        };
        rows_ = rows_of(fields_[0].get(), layout::kTimestamp);
        const auto check_rows = [&](hid_t column, const std::string& name) {
            const std::size_t rows = rows_of(column, name);
            if (rows != rows_)
                throw UserError(fmt::format("{}/{}: expected {} rows like the timestamp column, found {}", where_, name,
                                            rows_, rows));
        };
        for (std::size_t f = 1; f < kFieldNames.size(); ++f) check_rows(fields_[f].get(), kFieldNames[f]);
        for (std::size_t i = 0; i < indicators_.size(); ++i)
            check_rows(indicators_[i].get(), "indicators/" + indicator_names_[i]);
    } catch (const UserError& error) {
        throw UserError(error.what() + recovery_hint_);
    }
}

template <class T>
void SymbolBatchReader::read_rows(hid_t column, const std::string& name, std::size_t first, std::size_t count,
                                  std::vector<T>& out) const {
    out.resize(count);
    try {
        h5::read_column(column, first, count, out.data(), where_ + "/" + name);
    } catch (const UserError& error) {
        throw UserError(error.what() + recovery_hint_);
    }
}

bool SymbolBatchReader::next(std::size_t max_rows, SymbolBars& batch) {
    const std::size_t count = std::min(max_rows, rows_ - next_row_);
    batch.symbol = symbol_;
    read_rows(fields_[0].get(), layout::kTimestamp, next_row_, count, batch.timestamp_ns);
    read_rows(fields_[1].get(), layout::kOpen, next_row_, count, batch.open);
    read_rows(fields_[2].get(), layout::kHigh, next_row_, count, batch.high);
    read_rows(fields_[3].get(), layout::kLow, next_row_, count, batch.low);
    read_rows(fields_[4].get(), layout::kClose, next_row_, count, batch.close);
    read_rows(fields_[5].get(), layout::kVolume, next_row_, count, batch.volume);
    read_rows(fields_[6].get(), layout::kSequence, next_row_, count, batch.sequence);
    batch.indicators.resize(indicators_.size());
    for (std::size_t i = 0; i < indicators_.size(); ++i) {
        batch.indicators[i].name = indicator_names_[i];
        read_rows(indicators_[i].get(), "indicators/" + indicator_names_[i], next_row_, count,
                  batch.indicators[i].values);
    }
    try {
        validator_.check(batch);
    } catch (const UserError& error) {
        throw UserError(error.what() + recovery_hint_);
    }
    next_row_ += count;
    return count > 0;
}

void SymbolBatchReader::read_field(BarField field, std::size_t first, std::size_t count,
                                   std::vector<std::int64_t>& out) const {
    if (!is_integer_field(field)) throw InternalError(where_ + ": read an integer field as a price");
    const auto index = static_cast<std::size_t>(field);
    read_rows(fields_[index].get(), kFieldNames[index], first, count, out);
}

void SymbolBatchReader::read_field(BarField field, std::size_t first, std::size_t count,
                                   std::vector<double>& out) const {
    if (is_integer_field(field)) throw InternalError(where_ + ": read an integer field as a price");
    const auto index = static_cast<std::size_t>(field);
    read_rows(fields_[index].get(), kFieldNames[index], first, count, out);
}

void SymbolBatchReader::read_indicator(std::size_t index, std::size_t first, std::size_t count,
                                       std::vector<double>& out) const {
    read_rows(indicators_.at(index).get(), "indicators/" + indicator_names_.at(index), first, count, out);
}

RecordingBatchReader::RecordingBatchReader(const std::string& path, bool verify_seal)
    : recording_(open_recording_for_rows(path, verify_seal)) {
    try {
        market_data_ = h5::open_group(recording_.file.get(), layout::kMarketDataGroup, path);
    } catch (const UserError& error) {
        throw recording_.explain(error);
    }
}

SymbolBatchReader RecordingBatchReader::open_symbol(const std::string& symbol) const {
    return SymbolBatchReader(recording_, market_data_.get(), symbol);
}

const EventColumns& RecordingBatchReader::events() {
    if (!events_) {
        try {
            events_ = open_event_columns(recording_.file.get(), recording_.path);
        } catch (const UserError& error) {
            throw recording_.explain(error);
        }
    }
    return *events_;
}

std::size_t RecordingBatchReader::event_rows() {
    return recording_.event_rows(events().rows);
}

std::vector<Event> RecordingBatchReader::read_events(std::size_t first, std::size_t count) {
    const std::size_t rows = event_rows();
    first = std::min(first, rows);
    count = std::min(count, rows - first);
    try {
        return read_event_rows(events(), first, count, recording_.path);
    } catch (const UserError& error) {
        throw recording_.explain(error);
    }
}

}  // namespace tapegrid
