// Replays as a whole: lanes that do not affect each other, the SessionReplayer API, the
// comparison with the original, verification, and replays stored in recordings.
#include <gtest/gtest.h>

#include <cstring>

#include "engine/live/paper_session.h"
#include "engine/replay/group_series.h"
#include "engine/replay/lane_block.h"
#include "engine/replay/replay_runner.h"
#include "engine/replay/session_replayer.h"
#include "engine/replay/verify.h"
#include "engine/synthetic/market_generator.h"
#include "io/hdf5/recording_file_writer.h"
#include "io/hdf5/recording_reader.h"
#include "io/hdf5/recording_seal.h"
#include "io/hdf5/replay_store.h"
#include "io/json/replay_json.h"
#include "strategies/registry.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

bool same_bits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

void expect_same_metrics(const ReplayMetrics& a, const ReplayMetrics& b, const std::string& what) {
    EXPECT_EQ(a.total_trades, b.total_trades) << what;
    EXPECT_EQ(a.winning_trades, b.winning_trades) << what;
    for (const auto& [x, y, name] : {std::tuple{a.total_pnl, b.total_pnl, "total_pnl"},
                                     {a.max_drawdown, b.max_drawdown, "max_drawdown"},
                                     {a.max_drawdown_pct, b.max_drawdown_pct, "max_drawdown_pct"},
                                     {a.sharpe_ratio, b.sharpe_ratio, "sharpe_ratio"},
                                     {a.sortino_ratio, b.sortino_ratio, "sortino_ratio"},
                                     {a.profit_factor, b.profit_factor, "profit_factor"},
                                     {a.exposure_pct, b.exposure_pct, "exposure_pct"},
                                     {a.final_equity, b.final_equity, "final_equity"}})
        EXPECT_TRUE(same_bits(x, y)) << what << " " << name << ": " << x << " vs " << y;
}

Recording synthetic(std::size_t symbols, std::size_t bars, std::uint64_t seed) {
    MarketGeneratorOptions options;
    options.symbols = symbols;
    options.bars = bars;
    options.seed = seed;
    return generate_market(options);
}

ParamSet mean_reversion(std::vector<std::pair<std::string, std::string>> overrides) {
    return apply_overrides(strategy_info<MeanReversion>(), default_params(strategy_info<MeanReversion>().params),
                           overrides, "test");
}

TEST(Replay, EightLanesGiveEachCombinationItsSingleReplayBits) {
    const Recording recording = synthetic(3, 4000, 11);
    const ReplayData data = prepare_replay_data(recording.bars, std::nullopt);
    std::vector<ParamSet> sets;
    for (const char* threshold : {"25", "30", "35", "40"})
        for (const char* stop : {"0.5", "1.5"})
            sets.push_back(mean_reversion({{"rsi_threshold", threshold}, {"stop_loss_pct", stop}, {"bb_std", "1.5"}}));
    std::vector<const ParamSet*> pointers;
    for (const auto& set : sets) pointers.push_back(&set);
    OwnedSeries series(recording.bars);
    const auto columns = assemble_columns<MeanReversion>(sets[0], recording.bars.size(), series);
    LaneBlock<MeanReversion, 8> block(pointers, recording.bars.size());
    std::vector<Lanes<8>::Doubles> changes(kTimelineChunk);
    NullTradeSink sink;
    for (std::size_t chunk = 0; chunk < data.chunk_count(); ++chunk)
        block.run_chunk(data, columns, chunk, changes.data(), sink);
    for (int lane = 0; lane < 8; ++lane) {
        const ReplayResult single = run_replay(MeanReversion::kName, data, sets[static_cast<std::size_t>(lane)]);
        EXPECT_GT(single.metrics.total_trades, 0);
        expect_same_metrics(block.metrics(lane, data), single.metrics, "lane " + std::to_string(lane));
    }
}

TEST(Replay, ALaterSymbolWarmsUpOnItsOwnBarsAndHoldsNoOneBack) {
    Recording recording = synthetic(2, 3000, 5);
    // The second symbol starts 1,000 bars later.
    SymbolBars& late = recording.bars[1];
    for (auto* column : {&late.open, &late.high, &late.low, &late.close, &late.volume})
        column->erase(column->begin(), column->begin() + 1000);
    late.timestamp_ns.erase(late.timestamp_ns.begin(), late.timestamp_ns.begin() + 1000);
    late.sequence.erase(late.sequence.begin(), late.sequence.begin() + 1000);
    const ParamSet params = mean_reversion({{"bb_std", "1.5"}, {"rsi_threshold", "35"}});
    const ReplayData both = prepare_replay_data(recording.bars, 252.0);
    std::vector<SymbolBars> first_only{recording.bars[0]};
    const ReplayData alone = prepare_replay_data(first_only, 252.0);
    const ReplayResult together = run_replay(MeanReversion::kName, both, params);
    const ReplayResult single = run_replay(MeanReversion::kName, alone, params);
    std::vector<Trade> first_symbol_trades;
    for (const auto& trade : together.trades)
        if (trade.symbol == recording.bars[0].symbol) first_symbol_trades.push_back(trade);
    ASSERT_EQ(first_symbol_trades.size(), single.trades.size());
    for (std::size_t i = 0; i < single.trades.size(); ++i) {
        EXPECT_EQ(first_symbol_trades[i].entry_time_ns, single.trades[i].entry_time_ns);
        EXPECT_EQ(first_symbol_trades[i].pnl, single.trades[i].pnl);
    }
    // The late symbol trades too, its first entry no earlier than its own warm-up (bar 19).
    bool late_traded = false;
    for (const auto& trade : together.trades)
        if (trade.symbol == late.symbol) {
            late_traded = true;
            EXPECT_GE(trade.entry_bar, 19u);
        }
    EXPECT_TRUE(late_traded);
    EXPECT_EQ(together.metrics.equity_points, 3000);  // the union of the timestamps
}

// Records a paper session in memory: what `tapegrid record` writes, without the file.
class MemoryObserver final : public SessionObserver {
  public:
    explicit MemoryObserver(Recording& recording) : recording_(recording) {}
    void on_bar(const std::string& symbol, TimestampNs, const BarPrices&,
                const std::vector<std::pair<std::string, double>>&) override {
        (void)symbol;
    }
    void on_event(const Event& event) override {
        Event stored = event;
        stored.sequence = static_cast<std::int64_t>(recording_.events.size());
        recording_.events.push_back(std::move(stored));
    }

  private:
    Recording& recording_;
};

Recording recorded_session(const std::vector<std::pair<std::string, std::string>>& overrides) {
    Recording recording = synthetic(2, 3000, 21);
    const ParamSet params = mean_reversion(overrides);
    MemoryObserver observer(recording);
    auto session = PaperSession::create(MeanReversion::kName, params, recording.info.symbols, observer);
    for (std::size_t i = 0; i < 3000; ++i)
        for (const auto& bars : recording.bars)
            session->on_bar(bars.symbol, bars.timestamp_ns[i],
                            {bars.open[i], bars.high[i], bars.low[i], bars.close[i], bars.volume[i]});
    session->finish();
    const SessionOutcome outcome = session->outcome();
    recording.info.strategy_name = MeanReversion::kName;
    recording.info.original_parameters = params_to_json(strategy_info<MeanReversion>(), params).dump();
    recording.info.original_trades = outcome.trades;
    recording.info.original_pnl = outcome.pnl;
    recording.info.original_win_rate = outcome.win_rate;
    return recording;
}

TEST(Replay, ReplayingWithTheOriginalParametersMatchesTheSession) {
    const Recording recording = recorded_session({{"bb_std", "1.5"}, {"rsi_threshold", "35"}});
    SessionReplayer replayer(recording);
    const ReplayOutcome outcome = replayer.replay();
    EXPECT_TRUE(outcome.modified_parameters.empty());
    EXPECT_EQ(outcome.comparison.trades_diff, 0);
    EXPECT_EQ(outcome.comparison.pnl_diff, 0.0);
    EXPECT_GT(outcome.comparison.replay_trades, 5);
    EXPECT_EQ(outcome.comparison.count(DiffStatus::kSame), static_cast<std::size_t>(outcome.comparison.replay_trades));
    EXPECT_EQ(outcome.comparison.count(DiffStatus::kChanged), 0u);
    const VerifyReport report = verify_replay(recording, outcome.result);
    EXPECT_TRUE(report.ok());
    EXPECT_EQ(report.events_checked, recording.events.size());
}

TEST(Replay, ModifiedParametersChangeTheOutcomeAndAreListed) {
    const Recording recording = recorded_session({{"bb_std", "1.5"}, {"rsi_threshold", "35"}});
    SessionReplayer replayer(recording);
    replayer.set_parameter("rsi_threshold", 25.0);
    replayer.set_parameters({{"stop_loss_pct", "2"}});
    const ReplayOutcome outcome = replayer.replay();
    ASSERT_EQ(outcome.modified_parameters.size(), 2u);
    EXPECT_EQ(outcome.modified_parameters[0], (std::pair<std::string, std::string>{"rsi_threshold", "25"}));
    EXPECT_EQ(outcome.modified_parameters[1], (std::pair<std::string, std::string>{"stop_loss_pct", "2"}));
    const Comparison& c = outcome.comparison;
    EXPECT_EQ(c.trades_diff, c.replay_trades - c.original_trades);
    EXPECT_DOUBLE_EQ(c.pnl_diff, c.replay_pnl - c.original_pnl);
    EXPECT_NE(c.replay_trades, c.original_trades);
    // Every trade of either side is matched once: by (symbol, entry time).
    EXPECT_EQ(c.count(DiffStatus::kSame) + c.count(DiffStatus::kChanged) + c.count(DiffStatus::kOnlyOriginal),
              static_cast<std::size_t>(c.original_trades));
    EXPECT_EQ(c.count(DiffStatus::kSame) + c.count(DiffStatus::kChanged) + c.count(DiffStatus::kOnlyReplay),
              static_cast<std::size_t>(c.replay_trades));
}

TEST(Replay, VerifyReportsTheFirstDivergence) {
    Recording recording = recorded_session({{"bb_std", "1.5"}});
    // Tamper with the third POSITION_OPENED: its entry price.
    int seen = 0;
    Event* tampered = nullptr;
    for (auto& event : recording.events)
        if (event.type == "POSITION_OPENED" && ++seen == 3) tampered = &event;
    ASSERT_NE(tampered, nullptr);
    auto data = nlohmann::json::parse(tampered->event_data);
    const double true_price = data["entry_price"];
    data["entry_price"] = true_price + 0.01;
    tampered->event_data = data.dump();
    SessionReplayer replayer(recording);
    const VerifyReport report = verify_replay(recording, replayer.replay().result);
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.first_divergence->symbol, tampered->symbol);
    EXPECT_EQ(report.first_divergence->time_ns, tampered->timestamp_ns);
    EXPECT_EQ(report.first_divergence->what, "POSITION_OPENED.entry_price");
    EXPECT_EQ(report.first_divergence->replayed, fmt::format("{}", true_price));
}

TEST(Replay, BadRequestsAreUserErrors) {
    const Recording recording = recorded_session({});
    SessionReplayer replayer(recording);
    replayer.set_parameter("rsi_threshold", "abc");
    EXPECT_THROW(replayer.replay(), UserError);
    SessionReplayer other(recording);
    EXPECT_THROW(other.replay("no_such_strategy"), UserError);
    Recording no_strategy = synthetic(1, 100, 1);
    EXPECT_THROW(SessionReplayer(no_strategy).replay(), UserError);
    Recording short_one = synthetic(1, 15, 1);
    EXPECT_THROW(SessionReplayer(short_one).replay(std::string(MeanReversion::kName)),
                 UserError);  // warm-up is 19 bars
    Recording empty = synthetic(1, 10, 1);
    for (auto& bars : empty.bars) bars = SymbolBars{bars.symbol, {}, {}, {}, {}, {}, {}, {}, {}};
    EXPECT_THROW(SessionReplayer{empty}, UserError);
}

TEST(ReplayStore, SavedReplaysReadBackAndLeaveTheRecordingIntact) {
    testing::TemporaryDirectory directory;
    const std::string path = directory.file("session.h5");
    Recording recording = recorded_session({{"bb_std", "1.5"}});
    recording.info.format_version = 1;
    write_recording_file(path, recording);
    const Recording before = load_recording(path);
    SessionReplayer replayer(before);
    replayer.set_parameter("take_profit_pct", 3.0);
    const ReplayOutcome outcome = replayer.replay();
    const std::string id = save_replay(path, outcome, "wider target");
    const std::string second = save_replay(path, outcome, "again");
    EXPECT_EQ(verify_seal(path), SealState::kIntact);
    const Recording after = load_recording(path);
    EXPECT_EQ(after.info, before.info);
    EXPECT_EQ(after.bars, before.bars);
    EXPECT_EQ(after.events, before.events);
    const auto replays = list_replays(path);
    ASSERT_EQ(replays.size(), 2u);
    EXPECT_EQ(replays[0].replay_id, id);
    EXPECT_EQ(replays[1].replay_id, second);
    EXPECT_EQ(replays[0].description, "wider target");
    EXPECT_EQ(replays[0].total_trades, outcome.result.metrics.total_trades);
    EXPECT_EQ(replays[0].modified_parameters, R"({"take_profit_pct":3.0})");
    const nlohmann::json stored = read_replay(path, id);
    EXPECT_EQ(stored["replay_id"], id);
    EXPECT_EQ(stored["total_pnl"], outcome.result.metrics.total_pnl);
    EXPECT_EQ(stored["positions"].size(), outcome.result.trades.size());
    EXPECT_EQ(stored["comparison"]["trades_diff"], outcome.comparison.trades_diff);
    EXPECT_THROW(read_replay(path, "no-such-replay"), UserError);
}

}  // namespace
}  // namespace tapegrid

namespace tapegrid {
namespace {

// A session that died just as a stop closed a position: the recording holds the bars up to that
// bar and the events before its close. The close is not a divergence; the position is open at
// the recording's end, and every recorded event is still checked.
TEST(Replay, VerifyOfASessionCutOffAtAStopReportsThePositionOpen) {
    Recording recording = recorded_session({{"bb_std", "1.5"}});
    // The first POSITION_CLOSED for a stop, on the first symbol.
    const Event* stop_close = nullptr;
    for (const auto& event : recording.events)
        if (event.type == "POSITION_CLOSED" && event.symbol == recording.bars[0].symbol &&
            nlohmann::json::parse(event.event_data)["exit_reason"] == "stop_loss") {
            stop_close = &event;
            break;
        }
    ASSERT_NE(stop_close, nullptr);
    const TimestampNs cut = stop_close->timestamp_ns;
    const std::string symbol = stop_close->symbol;
    const std::string entry_time = nlohmann::json::parse(stop_close->event_data)["entry_time"];
    // Keep the first symbol's bars up to the cut, the other's before it; drop that bar's exit
    // events (ORDER_PLACED, ORDER_FILLED, POSITION_CLOSED) and everything after.
    for (auto& bars : recording.bars) {
        std::size_t keep = 0;
        while (keep < bars.size() &&
               (bars.timestamp_ns[keep] < cut || (bars.symbol == symbol && bars.timestamp_ns[keep] == cut)))
            ++keep;
        for (auto* column : {&bars.open, &bars.high, &bars.low, &bars.close, &bars.volume}) column->resize(keep);
        bars.timestamp_ns.resize(keep);
        bars.sequence.resize(keep);
    }
    std::vector<Event> kept;
    for (const auto& event : recording.events)
        if (event.timestamp_ns < cut) kept.push_back(event);
    recording.events = kept;
    recording.info.status = RecordingStatus::kInterrupted;

    SessionReplayer replayer(recording);
    const VerifyReport report = verify_replay(recording, replayer.replay().result);
    ASSERT_TRUE(report.ok()) << report.first_divergence->what << ": " << report.first_divergence->replayed;
    EXPECT_TRUE(report.ended_early);
    EXPECT_EQ(report.events_checked, kept.size());
    EXPECT_GE(report.events_after_end, 3u);  // the stop's ORDER_PLACED, ORDER_FILLED, POSITION_CLOSED
    bool reported = false;
    for (const Trade& trade : report.open_at_end)
        if (trade.symbol == symbol && format_iso8601(trade.entry_time_ns) == entry_time) {
            reported = true;
            EXPECT_EQ(trade.exit_reason, ExitReason::kStopLoss);  // as the replay closes it
        }
    EXPECT_TRUE(reported) << symbol << " " << entry_time;

    // The same recording marked completed: the missing close is a divergence.
    recording.info.status = RecordingStatus::kCompleted;
    EXPECT_FALSE(verify_replay(recording, replayer.replay().result).ok());
}

}  // namespace
}  // namespace tapegrid
