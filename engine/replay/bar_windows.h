// A recording read a window of its timeline at a time: how sweeps replay recordings larger than memory.
//
// The timeline (the union of the symbols' timestamps) is cut into windows of a whole number of
// kTimelineChunk timestamps, so that a window's chunks are the whole timeline's chunks: a lane
// block run over the windows in order runs the same chunks, in the same order, with the same
// arithmetic, as over the whole recording, and gives the same bits. Each window's bars come
// with a few rows before it (the history), which the strategies read at i - 1 and the window
// statistics over their period; the indicator series carry across windows (WindowSeries).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/bars.h"
#include "engine/indicators/indicator_key.h"
#include "engine/indicators/streaming_indicator.h"
#include "engine/replay/replay_data.h"

namespace tapegrid {

// Where the windows fall, from one streaming pass over the timestamps (layout_windows).
struct WindowLayout {
    std::vector<std::string> symbols;
    std::vector<std::uint64_t> bars;        // per symbol
    std::uint64_t timestamps = 0;           // the union timeline's length
    std::uint64_t days = 0;                 // distinct UTC calendar days on it
    std::uint64_t window_timestamps = 0;    // a whole number of kTimelineChunk
    std::vector<TimestampNs> window_start;  // per window: its first timestamp
    // Per window, and once more for the end: each symbol's first row at or after the window's start.
    std::vector<std::vector<std::uint64_t>> first_row;

    std::size_t window_count() const { return window_start.size(); }
    std::uint64_t total_bars() const;
    // As infer_periods_per_year over the whole timeline (252 x timestamps per day with any).
    double inferred_periods_per_year() const;
};

// Rows [first, first + count) of one symbol's timestamps, into `out` (replacing what it held).
using TimestampReader =
    std::function<void(std::size_t symbol, std::uint64_t first, std::uint64_t count, std::vector<TimestampNs>& out)>;

// The layout of windows of `window_timestamps` (rounded up to a whole number of chunks) over
// symbols of `bars` rows each, read a batch at a time by a k-way merge of their timestamps
// (sorted, as validation guarantees): memory stays a batch per symbol, whatever the length.
WindowLayout layout_windows(std::vector<std::string> symbols, std::vector<std::uint64_t> bars,
                            std::uint64_t window_timestamps, const TimestampReader& read_timestamps);

// Where a windowed replay reads its bars.
class BarWindowSource {
  public:
    virtual ~BarWindowSource() = default;
    virtual const WindowLayout& layout() const = 0;
    // Rows [first, first + count) of symbol `symbol`: time, prices and volume (no recorded
    // indicators), replacing `out`'s columns; out.symbol is set.
    virtual void read(std::size_t symbol, std::uint64_t first, std::uint64_t count, SymbolBars& out) = 0;
};

// Bars already in memory, read as windows: what tests compare the windowed path with.
class InMemoryBarWindows : public BarWindowSource {
  public:
    InMemoryBarWindows(const std::vector<SymbolBars>& symbols, std::uint64_t window_timestamps);
    const WindowLayout& layout() const override { return layout_; }
    void read(std::size_t symbol, std::uint64_t first, std::uint64_t count, SymbolBars& out) override;

  private:
    const std::vector<SymbolBars>& symbols_;
    WindowLayout layout_;
};

// Indicator series over the windows, each value the one compute_indicator gives over the whole
// recording: the window statistics (exact sums) are computed over the window and its history;
// the recursive indicators (RSI, EMA, ATR, channel extremes) carry their state from window to
// window; the history rows take the values the window before computed for them.
class WindowSeries {
  public:
    WindowSeries(const std::vector<IndicatorKey>& keys, std::size_t symbols);

    // The rows before a window that its bars must come with.
    std::size_t history() const { return history_; }

    // Computes every key's series over `window` (its symbols in parallel); `prefix[s]`: how many
    // of symbol s's rows are history.
    void advance(const ReplayData& window, const std::vector<std::size_t>& prefix);

    const std::vector<std::vector<double>>& operator()(const IndicatorKey& key) const;

  private:
    struct Series {
        std::vector<StreamingIndicator> streaming;  // per symbol; the recursive kinds only
        std::vector<std::vector<double>> values;    // per symbol, over the window's rows
        std::vector<std::vector<double>> tail;      // per symbol: the last `history` values so far
    };
    std::size_t history_ = 1;
    std::map<IndicatorKey, Series> series_;
};

// Walks a source's windows in order: each one's bars (with their history) and its ReplayData,
// whose bar indices, total_bars and periods_per_year are the whole recording's
// (ReplayData::bar_offset), and the series of `keys` over it.
class WindowWalker {
  public:
    WindowWalker(BarWindowSource& source, const std::vector<IndicatorKey>& keys, double periods_per_year);

    // Loads the next window; false after the last.
    bool next();
    std::size_t window() const { return window_ - 1; }
    const ReplayData& data() const { return data_; }
    const WindowSeries& series() const { return series_; }
    // The returns of the whole timeline (timestamps - 1): what the return blocks divide.
    std::uint64_t returns() const;

  private:
    BarWindowSource& source_;
    double periods_per_year_;
    WindowSeries series_;
    std::size_t window_ = 0;
    std::vector<SymbolBars> bars_;
    ReplayData data_;
};

}  // namespace tapegrid
