// One sweep across the ranks of an MPI job (`mpirun -n R tapegrid sweep CONFIG --mpi`).
//
// Every rank loads the recordings and plans the sweep itself (the plan is a pure function of
// the config and the recordings, so every rank plans the same tasks). Rank 0 writes the outputs:
// it deals tasks on demand (a rank asks for its next task when it has room, so uneven tasks and
// slow nodes balance), runs tasks of its own on its threads, and takes the other ranks' rows,
// which its flow graph writes and ranks in task order, as in one process. Rows travel as raw
// bytes: every rank must run the same tapegrid on the same architecture.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "engine/sweep/sweep_runner.h"

namespace tapegrid {

// What the dealing and the row stream cost, seen from rank 0.
struct MpiTraffic {
    std::uint64_t tasks_dealt = 0;   // to other ranks
    std::uint64_t requests = 0;      // task requests answered (the last one of a rank gets "none")
    std::uint64_t row_messages = 0;  // one per task another rank ran
    std::uint64_t row_bytes = 0;     // their payload
    double serve_seconds = 0.0;      // rank 0's time answering requests and taking rows in
    double wall_seconds = 0.0;       // the serving thread's whole life
};

class MpiSweep {
  public:
    // Initialises MPI (threads serialized: one thread at a time calls it); finalised by the
    // destructor, also when an exception leaves every rank the same way (a bad config).
    MpiSweep();
    ~MpiSweep();
    MpiSweep(const MpiSweep&) = delete;
    MpiSweep& operator=(const MpiSweep&) = delete;

    int rank() const;
    int ranks() const;
    bool coordinator() const { return rank() == 0; }

    // Rank 0: what deals the tasks [first_task, task_count) (a resumed sweep starts after its
    // checkpoint) and takes the rows; stops dealing once `stop` is set.
    std::unique_ptr<TaskSharing> coordinate(std::size_t first_task, std::size_t task_count,
                                            const std::atomic<bool>* stop, MpiTraffic* traffic);

    // Any other rank: runs the tasks rank 0 hands out, sends their rows, then says it is done.
    std::uint64_t help(const SweepRunner& runner, const std::atomic<bool>* stop);

    // Every rank waits for the others (before rank 0 reports, so that no rank's output mixes in).
    void barrier();
    // Rank 0's answer to every rank: whether the sweep goes ahead (rank 0 could open the output).
    bool agree(bool go);
    // Ends every rank of the job at once with `code` (a failure on one rank the others would
    // otherwise wait for).
    [[noreturn]] void abort(int code);

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace tapegrid
