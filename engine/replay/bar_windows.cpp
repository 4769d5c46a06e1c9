// Windows of a recording's timeline: their layout, the series across them, and the walk over them.
#include "engine/replay/bar_windows.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <functional>
#include <queue>
#include <utility>

#include "engine/core/errors.h"

namespace tapegrid {

namespace {

constexpr std::int64_t kNsPerDay = 86'400'000'000'000;

std::int64_t day_of(TimestampNs t) {
    return t >= 0 ? t / kNsPerDay : (t - kNsPerDay + 1) / kNsPerDay;
}

// The window statistics (exact sums over the period, engine/indicators/window_statistics.h):
// a value depends on the period's rows alone, so the window and its history give it exactly.
bool is_window_statistic(IndicatorKind kind) {
    return kind == IndicatorKind::kSma || kind == IndicatorKind::kStdDev || kind == IndicatorKind::kPriorMeanVolume;
}

}  // namespace

std::uint64_t WindowLayout::total_bars() const {
    std::uint64_t total = 0;
    for (const std::uint64_t count : bars) total += count;
    return total;
}

double WindowLayout::inferred_periods_per_year() const {
    if (timestamps == 0) return 252.0;
    return 252.0 * static_cast<double>(timestamps) / static_cast<double>(days);
}

WindowLayout layout_windows(std::vector<std::string> symbols, std::vector<std::uint64_t> bars,
                            std::uint64_t window_timestamps, const TimestampReader& read_timestamps) {
    WindowLayout layout;
    layout.symbols = std::move(symbols);
    layout.bars = std::move(bars);
    const std::uint64_t chunk = kTimelineChunk;
    layout.window_timestamps = std::max(chunk, (window_timestamps + chunk - 1) / chunk * chunk);
    const std::size_t k = layout.symbols.size();
    if (layout.bars.size() != k) throw InternalError("layout_windows: a bar count per symbol");

    // Each symbol's timestamps a batch at a time; `row` is the row of buffer[at], its next unread one.
    constexpr std::uint64_t kBatchRows = 8192;
    struct Cursor {
        std::vector<TimestampNs> buffer;
        std::size_t at = 0;
        std::uint64_t row = 0;
    };
    std::vector<Cursor> cursors(k);
    const auto current = [&](std::size_t s) -> bool {
        Cursor& cursor = cursors[s];
        if (cursor.at < cursor.buffer.size()) return true;
        if (cursor.row >= layout.bars[s]) return false;
        cursor.at = 0;
        read_timestamps(s, cursor.row, std::min(kBatchRows, layout.bars[s] - cursor.row), cursor.buffer);
        if (cursor.buffer.empty()) throw InternalError("layout_windows: a batch of timestamps came back empty");
        return true;
    };
    using Entry = std::pair<TimestampNs, std::size_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
    for (std::size_t s = 0; s < k; ++s)
        if (current(s)) heap.emplace(cursors[s].buffer[0], s);
    TimestampNs last = 0;
    std::int64_t last_day = 0;
    while (!heap.empty()) {
        const auto [time, s] = heap.top();
        heap.pop();
        if (layout.timestamps == 0 || time != last) {
            // A new timestamp; the first of a window: every earlier row is read, none at or after it.
            if (layout.timestamps % layout.window_timestamps == 0) {
                layout.window_start.push_back(time);
                std::vector<std::uint64_t> rows(k);
                for (std::size_t j = 0; j < k; ++j) rows[j] = cursors[j].row;
                layout.first_row.push_back(std::move(rows));
            }
            const std::int64_t day = day_of(time);
            if (layout.timestamps == 0 || day != last_day) ++layout.days;
            last_day = day;
            last = time;
            ++layout.timestamps;
        }
        Cursor& cursor = cursors[s];
        ++cursor.at;
        ++cursor.row;
        if (current(s)) heap.emplace(cursor.buffer[cursor.at], s);
    }
    layout.first_row.push_back(layout.bars);
    return layout;
}

InMemoryBarWindows::InMemoryBarWindows(const std::vector<SymbolBars>& symbols, std::uint64_t window_timestamps)
    : symbols_(symbols) {
    std::vector<std::string> names;
    std::vector<std::uint64_t> bars;
    for (const auto& symbol : symbols) {
        names.push_back(symbol.symbol);
        bars.push_back(symbol.size());
    }
    layout_ = layout_windows(std::move(names), std::move(bars), window_timestamps,
                             [this](std::size_t s, std::uint64_t first, std::uint64_t count, auto& out) {
                                 const auto& column = symbols_[s].timestamp_ns;
                                 out.assign(column.begin() + static_cast<std::ptrdiff_t>(first),
                                            column.begin() + static_cast<std::ptrdiff_t>(first + count));
                             });
}

void InMemoryBarWindows::read(std::size_t symbol, std::uint64_t first, std::uint64_t count, SymbolBars& out) {
    const SymbolBars& bars = symbols_[symbol];
    const auto from = static_cast<std::ptrdiff_t>(first);
    const auto to = static_cast<std::ptrdiff_t>(first + count);
    out.symbol = bars.symbol;
    out.timestamp_ns.assign(bars.timestamp_ns.begin() + from, bars.timestamp_ns.begin() + to);
    out.open.assign(bars.open.begin() + from, bars.open.begin() + to);
    out.high.assign(bars.high.begin() + from, bars.high.begin() + to);
    out.low.assign(bars.low.begin() + from, bars.low.begin() + to);
    out.close.assign(bars.close.begin() + from, bars.close.begin() + to);
    out.volume.assign(bars.volume.begin() + from, bars.volume.begin() + to);
    out.sequence.clear();
    out.indicators.clear();
}

WindowSeries::WindowSeries(const std::vector<IndicatorKey>& keys, std::size_t symbols) {
    for (const auto& key : keys) {
        // The strategies read a series at i and i - 1; the window statistics, `period` rows back.
        history_ = std::max(history_, static_cast<std::size_t>(std::max(key.period, 1)) + 1);
        Series series;
        if (!is_window_statistic(key.kind))
            for (std::size_t s = 0; s < symbols; ++s) series.streaming.emplace_back(key);
        series.values.resize(symbols);
        series.tail.resize(symbols);
        series_.emplace(key, std::move(series));
    }
}

void WindowSeries::advance(const ReplayData& window, const std::vector<std::size_t>& prefix) {
    const auto& symbols = *window.symbols;
    std::vector<std::pair<const IndicatorKey*, Series*>> keys;
    for (auto& [key, series] : series_) keys.emplace_back(&key, &series);
    tbb::parallel_for(std::size_t{0}, keys.size() * symbols.size(), [&](std::size_t job) {
        const IndicatorKey& key = *keys[job / symbols.size()].first;
        Series& series = *keys[job / symbols.size()].second;
        const std::size_t s = job % symbols.size();
        const SymbolBars& bars = symbols[s];
        const std::size_t history_rows = prefix[s];
        const std::size_t rows = bars.size();
        std::vector<double>& values = series.values[s];
        if (is_window_statistic(key.kind)) {
            values = compute_indicator(key, bars);
        } else {
            values.resize(rows);
            StreamingIndicator& indicator = series.streaming[s];
            for (std::size_t i = history_rows; i < rows; ++i)
                values[i] = indicator.push(bars.high[i], bars.low[i], bars.close[i], bars.volume[i]);
        }
        // The history rows as the windows before computed them (a window statistic near the
        // history's start lacks its period; a recursive one never saw those rows this time).
        std::vector<double>& tail = series.tail[s];
        if (history_rows > tail.size()) throw InternalError("WindowSeries: more history rows than values carried");
        std::copy(tail.end() - static_cast<std::ptrdiff_t>(history_rows), tail.end(), values.begin());
        const std::size_t keep = std::min(history_, rows);
        tail.assign(values.end() - static_cast<std::ptrdiff_t>(keep), values.end());
    });
}

const std::vector<std::vector<double>>& WindowSeries::operator()(const IndicatorKey& key) const {
    const auto found = series_.find(key);
    if (found == series_.end()) throw InternalError("WindowSeries: no series for " + key.describe());
    return found->second.values;
}

WindowWalker::WindowWalker(BarWindowSource& source, const std::vector<IndicatorKey>& keys, double periods_per_year)
    : source_(source), periods_per_year_(periods_per_year), series_(keys, source.layout().symbols.size()) {}

std::uint64_t WindowWalker::returns() const {
    const std::uint64_t timestamps = source_.layout().timestamps;
    return timestamps > 0 ? timestamps - 1 : 0;
}

bool WindowWalker::next() {
    const WindowLayout& layout = source_.layout();
    if (window_ >= layout.window_count()) return false;
    const std::size_t w = window_++;
    const std::size_t symbols = layout.symbols.size();
    bars_.resize(symbols);
    std::vector<std::size_t> prefix(symbols), offset(symbols), last(symbols);
    for (std::size_t s = 0; s < symbols; ++s) {
        const std::uint64_t first = layout.first_row[w][s];
        const std::uint64_t end = layout.first_row[w + 1][s];
        prefix[s] = static_cast<std::size_t>(std::min<std::uint64_t>(series_.history(), first));
        offset[s] = static_cast<std::size_t>(first) - prefix[s];
        last[s] = layout.bars[s] > 0 ? static_cast<std::size_t>(layout.bars[s] - 1) : 0;
        source_.read(s, offset[s], end - offset[s], bars_[s]);
    }
    data_ = prepare_replay_data(bars_, periods_per_year_, layout.window_start[w]);
    data_.total_bars = static_cast<std::size_t>(layout.total_bars());
    data_.bar_offset = std::move(offset);
    data_.last_bar = std::move(last);
    series_.advance(data_, prefix);
    return true;
}

}  // namespace tapegrid
