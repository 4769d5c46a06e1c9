// What every request handler of `tapegrid serve` shares: the options, the store's index, the sweep
// queue, and the per-recording locks that keep a replay's save and a delete from overlapping.
#pragma once

#include <httplib.h>

#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>

#include "engine/server/recording_cache.h"
#include "engine/server/server_options.h"
#include "engine/server/store_index.h"
#include "engine/server/sweep_jobs.h"

namespace tapegrid {

struct ServerContext {
    explicit ServerContext(const ServerOptions& server_options)
        : options(server_options),
          index(server_options.store_directory),
          cache(server_options.cache_bytes),
          sweeps(server_options.store_directory, server_options.sweep_threads) {}

    // A recording file's lock: readers hold it shared (they run in parallel), and saving a replay
    // (copy, add, rename over) or deleting holds it exclusively, so a request that found the file
    // either reads it whole or, once it holds the lock, sees it gone and answers 404.
    std::shared_mutex& recording_lock(const std::string& path) {
        const std::lock_guard guard(locks_mutex);
        return recording_locks[path];
    }

    ServerOptions options;
    StoreIndex index;
    RecordingCache cache;
    SweepJobs sweeps;
    std::mutex locks_mutex;
    std::map<std::string, std::shared_mutex> recording_locks;
};

// Holds a recording file's lock shared while a request reads it; HttpError 404 when the file
// was deleted between finding it and taking the lock.
class RecordingRead {
  public:
    RecordingRead(ServerContext& context, const StoredRecording& stored);

  private:
    std::shared_lock<std::shared_mutex> lock_;
};

// Likewise, exclusively, for saving a replay into the file or deleting it.
class RecordingWrite {
  public:
    RecordingWrite(ServerContext& context, const StoredRecording& stored);

  private:
    std::unique_lock<std::shared_mutex> lock_;
};

using RouteHandler = void (*)(ServerContext& context, const httplib::Request& request, httplib::Response& response);

// A route's handler by its operationId (engine/server/api_routes.h); nothing when there is none.
RouteHandler recording_handler(std::string_view operation);
RouteHandler sweep_handler(std::string_view operation);
RouteHandler page_handler(std::string_view operation);

}  // namespace tapegrid
