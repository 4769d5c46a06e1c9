// Connects a paper session to a SessionRecorder: every bar with its indicators, every event.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/live/paper_session.h"
#include "io/hdf5/session_recorder.h"

namespace tapegrid {

class RecorderObserver final : public SessionObserver {
  public:
    explicit RecorderObserver(SessionRecorder& recorder) : recorder_(recorder) {}

    void on_bar(const std::string& symbol, TimestampNs timestamp_ns, const BarPrices& bar,
                const std::vector<std::pair<std::string, double>>& indicators) override {
        values_.clear();
        for (const auto& [name, value] : indicators) values_.push_back({name, value});
        recorder_.record_market_data(symbol, timestamp_ns, bar.open, bar.high, bar.low, bar.close, bar.volume, values_);
    }
    void on_event(const Event& event) override { recorder_.record_event(event); }

  private:
    SessionRecorder& recorder_;
    std::vector<IndicatorValue> values_;  // reused: no allocation per bar once warm
};

}  // namespace tapegrid
