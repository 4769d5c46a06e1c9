// Sweep checkpoints: a Boost.Serialization text archive (portable across machines of a cluster).
#include "io/results/sweep_checkpoint_file.h"

#include <bit>
#include <boost/archive/text_iarchive.hpp>
#include <boost/archive/text_oarchive.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/serialization/version.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>

#include "engine/core/errors.h"

namespace boost::serialization {

// clang-format off: it reads Boost's `archive & member` as a reference declaration.

// A double by its bits. A text archive writes +inf as "inf", which it cannot read back: a
// checkpoint holding a row with profit and no loss (profit_factor is +inf) could not be resumed.
// Version 0 archives (written before this) hold decimal text and are read as such.
template <class Archive>
void exact(Archive& archive, double& value, unsigned version) {
    if (version == 0) {
        archive& value;
        return;
    }
    auto bits = std::bit_cast<std::uint64_t>(value);
    archive& bits;
    if constexpr (Archive::is_loading::value) value = std::bit_cast<double>(bits);
}

template <class Archive>
void serialize(Archive& archive, tapegrid::ReplayMetrics& m, unsigned version) {
    archive& m.total_trades& m.winning_trades& m.losing_trades;
    for (double* field : {&m.win_rate, &m.total_pnl, &m.gross_profit, &m.gross_loss, &m.profit_factor, &m.average_trade,
                          &m.max_drawdown, &m.max_drawdown_pct, &m.sharpe_ratio, &m.sortino_ratio, &m.exposure_pct,
                          &m.final_equity, &m.periods_per_year})
        exact(archive, *field, version);
    archive& m.equity_points;
}

template <class Archive>
void serialize(Archive& archive, tapegrid::SweepRow& row, unsigned /*version*/) {
    archive& row.combination& row.metrics;
}

template <class Archive>
void serialize(Archive& archive, tapegrid::SweepCheckpoint& c, unsigned /*version*/) {
    archive& c.fingerprint& c.blocks_per_task& c.tasks_done& c.rows& c.csv_bytes& c.ranking.kept& c.ranking.ranked& c
        .ranking.ahead_of_reference;
}
// clang-format on

}  // namespace boost::serialization

BOOST_CLASS_VERSION(tapegrid::ReplayMetrics, 1)

namespace tapegrid {

void save_checkpoint(const std::string& path, const SweepCheckpoint& checkpoint) {
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        boost::archive::text_oarchive archive(out);
        archive << checkpoint;
        if (!out) throw InternalError(temporary + ": cannot write the checkpoint");
    }
    std::filesystem::rename(temporary, path);
}

std::optional<SweepCheckpoint> load_checkpoint(const std::string& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    SweepCheckpoint checkpoint;
    try {
        boost::archive::text_iarchive archive(in);
        archive >> checkpoint;
        checkpoint.source = path;
    } catch (const std::exception& error) {
        throw UserError(path + ": not a readable sweep checkpoint (" + error.what() + ")");
    }
    return checkpoint;
}

}  // namespace tapegrid
