// What every request handler of `tapegrid serve` shares: the options, the store's index, the cache
// of loaded recordings, the sweep queue, and the per-recording locks.
#pragma once

#include <httplib.h>

#include <string>

#include "engine/server/recording_cache.h"
#include "engine/server/recording_locks.h"
#include "engine/server/results_cache.h"
#include "engine/server/server_options.h"
#include "engine/server/store_index.h"
#include "engine/server/sweep_jobs.h"

namespace tapegrid {

struct ServerContext {
    explicit ServerContext(const ServerOptions& server_options)
        : options(server_options),
          index(server_options.store_directory),
          cache(server_options.cache_bytes),
          results(2),
          sweeps(server_options.store_directory, server_options.sweep_threads) {}

    ServerOptions options;
    StoreIndex index;
    RecordingCache cache;
    ResultsCache results;  // of sweeps that have ended
    SweepJobs sweeps;
    RecordingLockTable locks;
};

using RouteHandler = void (*)(ServerContext& context, const httplib::Request& request, httplib::Response& response);

// A route's handler by its operationId (engine/server/api_routes.h); nothing when there is none.
RouteHandler recording_handler(std::string_view operation);
RouteHandler sweep_handler(std::string_view operation);
RouteHandler page_handler(std::string_view operation);

}  // namespace tapegrid
