// The MPI protocol of a shared sweep, over Boost.MPI.
//
//   rank r -> 0  kRequest             "give me a task"            0 -> r  kTask  index, or -1: none left
//   rank r -> 0  kRows  task + rows   a task's rows, raw bytes
//   rank r -> 0  kDone  tasks run     r sends nothing more
#include "engine/distributed/mpi_sweep.h"

#include <boost/mpi/collectives/broadcast.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/mpi/nonblocking.hpp>
#include <boost/serialization/vector.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

#include "engine/core/errors.h"

namespace tapegrid {

namespace mpi = boost::mpi;

namespace {

enum Tag : int { kRequest = 1, kTask = 2, kRows = 3, kDone = 4 };

static_assert(std::is_trivially_copyable_v<SweepRow>, "rows travel as raw bytes");

// A task's message: its index, its row count, its rows, then its rows' block returns (as many
// doubles as fill the rest).
std::vector<std::uint8_t> encode(std::size_t task, const std::vector<SweepRow>& rows,
                                 const std::vector<double>& block_returns) {
    constexpr std::size_t kHeader = 2 * sizeof(std::uint64_t);
    std::vector<std::uint8_t> bytes(kHeader + rows.size() * sizeof(SweepRow) + block_returns.size() * sizeof(double));
    const std::uint64_t header[2] = {static_cast<std::uint64_t>(task), rows.size()};
    std::memcpy(bytes.data(), header, kHeader);
    if (!rows.empty()) std::memcpy(bytes.data() + kHeader, rows.data(), rows.size() * sizeof(SweepRow));
    if (!block_returns.empty())
        std::memcpy(bytes.data() + kHeader + rows.size() * sizeof(SweepRow), block_returns.data(),
                    block_returns.size() * sizeof(double));
    return bytes;
}

struct TaskMessage {
    std::size_t task = 0;
    std::vector<SweepRow> rows;
    std::vector<double> block_returns;
};

TaskMessage decode(const std::vector<std::uint8_t>& bytes) {
    constexpr std::size_t kHeader = 2 * sizeof(std::uint64_t);
    std::uint64_t header[2] = {0, 0};
    const auto refuse = [&] {
        return InternalError("MPI: a rows message of " + std::to_string(bytes.size()) +
                             " bytes (ranks running different tapegrid builds?)");
    };
    if (bytes.size() < kHeader) throw refuse();
    std::memcpy(header, bytes.data(), kHeader);
    const std::size_t row_bytes = header[1] * sizeof(SweepRow);
    if (header[1] > bytes.size() / sizeof(SweepRow) || kHeader + row_bytes > bytes.size() ||
        (bytes.size() - kHeader - row_bytes) % sizeof(double) != 0)
        throw refuse();
    TaskMessage message;
    message.task = static_cast<std::size_t>(header[0]);
    message.rows.resize(header[1]);
    if (!message.rows.empty()) std::memcpy(message.rows.data(), bytes.data() + kHeader, row_bytes);
    message.block_returns.resize((bytes.size() - kHeader - row_bytes) / sizeof(double));
    if (!message.block_returns.empty())
        std::memcpy(message.block_returns.data(), bytes.data() + kHeader + row_bytes,
                    message.block_returns.size() * sizeof(double));
    return message;
}

// Rank 0's side: its own tasks and the others' from one counter.
class Coordinator final : public TaskSharing {
  public:
    Coordinator(mpi::communicator& world, std::size_t first_task, std::size_t task_count, const std::atomic<bool>* stop,
                MpiTraffic* traffic)
        : world_(world), next_(first_task), end_(task_count), stop_(stop), traffic_(traffic) {}

    std::optional<std::size_t> next_task() override {
        std::lock_guard lock(mutex_);
        if (next_ >= end_ || (stop_ != nullptr && stop_->load())) return std::nullopt;
        return next_++;
    }

    void serve(const SweepRunOptions::Deliver& deliver) override {
        using clock = std::chrono::steady_clock;
        const auto started = clock::now();
        clock::duration busy{};
        int active = world_.size() - 1;
        auto idle = std::chrono::microseconds(20);
        while (active > 0) {
            // A blocking probe would spin a core that rank 0's own tasks need: poll, backing off.
            const auto status = world_.iprobe(mpi::any_source, mpi::any_tag);
            if (!status) {
                std::this_thread::sleep_for(idle);
                idle = std::min(idle * 2, std::chrono::microseconds(500));
                continue;
            }
            idle = std::chrono::microseconds(20);
            const auto begin = clock::now();
            const int source = status->source();
            switch (status->tag()) {
                case kRequest: {
                    int unused = 0;
                    world_.recv(source, kRequest, unused);
                    const auto task = next_task();
                    world_.send(source, kTask, task ? static_cast<std::int64_t>(*task) : std::int64_t{-1});
                    if (traffic_ != nullptr) {
                        ++traffic_->requests;
                        traffic_->tasks_dealt += task ? 1 : 0;
                    }
                    break;
                }
                case kRows: {
                    std::vector<std::uint8_t> bytes;
                    world_.recv(source, kRows, bytes);
                    TaskMessage message = decode(bytes);
                    if (traffic_ != nullptr) {
                        ++traffic_->row_messages;
                        traffic_->row_bytes += bytes.size();
                    }
                    deliver(message.task, std::move(message.rows), std::move(message.block_returns));
                    break;
                }
                case kDone: {
                    std::uint64_t ran = 0;
                    world_.recv(source, kDone, ran);
                    --active;
                    break;
                }
                default:
                    throw InternalError("MPI: unexpected message tag " + std::to_string(status->tag()) + " from rank " +
                                        std::to_string(source));
            }
            busy += clock::now() - begin;
        }
        if (traffic_ != nullptr) {
            traffic_->serve_seconds = std::chrono::duration<double>(busy).count();
            traffic_->wall_seconds = std::chrono::duration<double>(clock::now() - started).count();
        }
    }

  private:
    mpi::communicator& world_;
    std::mutex mutex_;
    std::size_t next_, end_;
    const std::atomic<bool>* stop_;
    MpiTraffic* traffic_;
};

}  // namespace

struct MpiSweep::State {
    // Not aborting on an exception: a user error every rank meets alike ends each one cleanly.
    mpi::environment environment{mpi::threading::serialized, false};
    mpi::communicator world;
};

MpiSweep::MpiSweep() : state_(std::make_unique<State>()) {
    if (state_->environment.thread_level() < mpi::threading::serialized)
        throw UserError(
            "--mpi: this MPI library does not allow calls from more than one thread, one at a time "
            "(MPI_THREAD_SERIALIZED)");
}

MpiSweep::~MpiSweep() = default;

int MpiSweep::rank() const {
    return state_->world.rank();
}

int MpiSweep::ranks() const {
    return state_->world.size();
}

std::unique_ptr<TaskSharing> MpiSweep::coordinate(std::size_t first_task, std::size_t task_count,
                                                  const std::atomic<bool>* stop, MpiTraffic* traffic) {
    return std::make_unique<Coordinator>(state_->world, first_task, task_count, stop, traffic);
}

std::uint64_t MpiSweep::help(const SweepRunner& runner, const std::atomic<bool>* stop) {
    mpi::communicator& world = state_->world;
    std::mutex mutex;  // the graph's source and its sender run on different threads
    const auto next_task = [&]() -> std::optional<std::size_t> {
        std::lock_guard lock(mutex);
        world.send(0, kRequest, 0);
        std::int64_t task = -1;
        world.recv(0, kTask, task);
        if (task < 0) return std::nullopt;
        return static_cast<std::size_t>(task);
    };
    const auto send = [&](std::size_t task, const std::vector<SweepRow>& rows,
                          const std::vector<double>& block_returns) {
        const std::vector<std::uint8_t> bytes = encode(task, rows, block_returns);
        std::lock_guard lock(mutex);
        world.send(0, kRows, bytes);
    };
    const std::uint64_t ran = runner.run_tasks(next_task, send, stop);
    world.send(0, kDone, ran);
    return ran;
}

void MpiSweep::barrier() {
    state_->world.barrier();
}

bool MpiSweep::agree(bool go) {
    boost::mpi::broadcast(state_->world, go, 0);
    return go;
}

void MpiSweep::abort(int code) {
    state_->environment.abort(code);
    std::abort();  // environment::abort does not return; this tells the compiler so
}

}  // namespace tapegrid
