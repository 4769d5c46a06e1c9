// The two sources of an export: a Recording in memory, and a recording file read in batches.
#include "io/export/export_source.h"

#include <algorithm>

namespace tapegrid {

namespace {

class MemorySymbol final : public ExportSymbolSource {
  public:
    explicit MemorySymbol(const SymbolBars& bars) : bars_(bars) {
        for (const auto& indicator : bars.indicators) names_.push_back(indicator.name);
    }

    std::size_t rows() const override { return bars_.size(); }
    const std::vector<std::string>& indicator_names() const override { return names_; }
    const SymbolBars* next_batch() override { return std::exchange(given_, true) ? nullptr : &bars_; }
    std::span<const std::int64_t> integers(BarField field, std::size_t first, std::size_t count) override {
        const auto& column = field == BarField::kTimestamp ? bars_.timestamp_ns : bars_.sequence;
        return std::span(column).subspan(first, count);
    }
    std::span<const double> numbers(BarField field, std::size_t first, std::size_t count) override {
        const std::vector<double>* columns[] = {nullptr,      &bars_.open,   &bars_.high, &bars_.low,
                                                &bars_.close, &bars_.volume, nullptr};
        return std::span(*columns[static_cast<std::size_t>(field)]).subspan(first, count);
    }
    std::span<const double> indicator(std::size_t index, std::size_t first, std::size_t count) override {
        return std::span(bars_.indicators.at(index).values).subspan(first, count);
    }

  private:
    const SymbolBars& bars_;
    std::vector<std::string> names_;
    bool given_ = false;
};

class MemorySource final : public ExportSource {
  public:
    explicit MemorySource(const Recording& recording) : recording_(recording) {
        for (const auto& bars : recording.bars) symbols_.push_back(bars.symbol);
    }

    const RecordingInfo& info() const override { return recording_.info; }
    const std::vector<std::string>& symbols() const override { return symbols_; }
    std::unique_ptr<ExportSymbolSource> open_symbol(std::size_t index) override {
        return std::make_unique<MemorySymbol>(recording_.bars.at(index));
    }
    std::size_t event_count() override { return recording_.events.size(); }
    std::vector<Event> events(std::size_t first, std::size_t count) override {
        const auto begin = recording_.events.begin() + static_cast<std::ptrdiff_t>(first);
        return {begin, begin + static_cast<std::ptrdiff_t>(count)};
    }

  private:
    const Recording& recording_;
    std::vector<std::string> symbols_;
};

class FileSymbol final : public ExportSymbolSource {
  public:
    FileSymbol(SymbolBatchReader reader, std::size_t batch_rows)
        : reader_(std::move(reader)), batch_rows_(batch_rows) {}

    std::size_t rows() const override { return reader_.rows(); }
    const std::vector<std::string>& indicator_names() const override { return reader_.indicator_names(); }
    const SymbolBars* next_batch() override { return reader_.next(batch_rows_, batch_) ? &batch_ : nullptr; }
    std::span<const std::int64_t> integers(BarField field, std::size_t first, std::size_t count) override {
        reader_.read_field(field, first, count, integers_);
        return integers_;
    }
    std::span<const double> numbers(BarField field, std::size_t first, std::size_t count) override {
        reader_.read_field(field, first, count, numbers_);
        return numbers_;
    }
    std::span<const double> indicator(std::size_t index, std::size_t first, std::size_t count) override {
        reader_.read_indicator(index, first, count, numbers_);
        return numbers_;
    }

  private:
    SymbolBatchReader reader_;
    std::size_t batch_rows_;
    SymbolBars batch_;
    std::vector<std::int64_t> integers_;
    std::vector<double> numbers_;
};

class FileSource final : public ExportSource {
  public:
    FileSource(const std::string& path, std::size_t batch_rows) : reader_(path), batch_rows_(batch_rows) {}

    const RecordingInfo& info() const override { return reader_.info(); }
    const std::vector<std::string>& symbols() const override { return reader_.info().symbols; }
    std::unique_ptr<ExportSymbolSource> open_symbol(std::size_t index) override {
        return std::make_unique<FileSymbol>(reader_.open_symbol(symbols().at(index)), batch_rows_);
    }
    std::size_t event_count() override { return reader_.event_rows(); }
    std::vector<Event> events(std::size_t first, std::size_t count) override {
        return reader_.read_events(first, count);
    }

  private:
    RecordingBatchReader reader_;
    std::size_t batch_rows_;
};

}  // namespace

std::unique_ptr<ExportSource> memory_export_source(const Recording& recording) {
    return std::make_unique<MemorySource>(recording);
}

std::unique_ptr<ExportSource> file_export_source(const std::string& path, std::size_t batch_rows) {
    return std::make_unique<FileSource>(path, std::max<std::size_t>(batch_rows, 1));
}

}  // namespace tapegrid
