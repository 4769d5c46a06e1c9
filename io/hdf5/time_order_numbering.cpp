// The on-disk k-way merge that gives an import's bars their sequence numbers.
#include "io/hdf5/time_order_numbering.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <queue>
#include <utility>

#include "io/hdf5/hdf5_column.h"
#include "io/hdf5/hdf5_handle.h"
#include "io/hdf5/recording_layout.h"

namespace tapegrid {

namespace {

// One symbol's place in the merge: a batch of its timestamps read ahead, a batch of its new
// sequence numbers waiting to be written.
class SymbolCursor {
  public:
    SymbolCursor(hid_t market_data, const std::string& symbol, std::size_t batch_rows, const std::string& where)
        : where_(where + "/" + symbol), batch_rows_(batch_rows) {
        group_ = h5::open_group(market_data, symbol, where);
        timestamp_ = h5::open_column(group_.get(), layout::kTimestamp, where_);
        sequence_ = h5::open_column(group_.get(), layout::kSequence, where_);
        rows_ = h5::column_rows(timestamp_.get(), where_ + "/timestamp");
        refill();
    }

    bool done() const { return position_ == times_.size(); }
    std::int64_t time() const { return times_[position_]; }

    // Gives the current bar `sequence` and moves to the next.
    void number(std::int64_t sequence) {
        numbers_.push_back(sequence);
        if (numbers_.size() == batch_rows_) write_numbers();
        if (++position_ == times_.size()) refill();
    }

    void write_numbers() {
        h5::write_column(sequence_.get(), written_, numbers_.size(), numbers_.data(), where_ + "/sequence");
        written_ += numbers_.size();
        numbers_.clear();
    }

  private:
    void refill() {
        const std::size_t count = std::min(batch_rows_, rows_ - read_);
        times_.resize(count);
        h5::read_column(timestamp_.get(), read_, count, times_.data(), where_ + "/timestamp");
        read_ += count;
        position_ = 0;
    }

    std::string where_;
    std::size_t batch_rows_;
    h5::Handle group_, timestamp_, sequence_;
    std::size_t rows_ = 0;
    std::size_t read_ = 0;     // timestamps read so far
    std::size_t written_ = 0;  // sequence numbers written so far
    std::vector<std::int64_t> times_;
    std::size_t position_ = 0;
    std::vector<std::int64_t> numbers_;
};

}  // namespace

void number_bars_in_time_order(hid_t market_data, const std::vector<std::string>& symbols, std::size_t batch_rows,
                               const std::string& where) {
    std::vector<SymbolCursor> cursors;
    cursors.reserve(symbols.size());
    for (const auto& symbol : symbols)
        cursors.emplace_back(market_data, symbol, std::max<std::size_t>(batch_rows, 1), where);
    // (time, symbol index): the earliest bar first, a tie to the symbol named first.
    using Head = std::pair<std::int64_t, std::size_t>;
    std::priority_queue<Head, std::vector<Head>, std::greater<>> heads;
    for (std::size_t s = 0; s < cursors.size(); ++s)
        if (!cursors[s].done()) heads.emplace(cursors[s].time(), s);
    std::int64_t sequence = 0;
    while (!heads.empty()) {
        const std::size_t s = heads.top().second;
        heads.pop();
        cursors[s].number(sequence++);
        if (!cursors[s].done()) heads.emplace(cursors[s].time(), s);
    }
    for (auto& cursor : cursors) cursor.write_numbers();
}

}  // namespace tapegrid
