// What every request handler of `tapegrid serve` shares: the options, the store's index, the cache
// of loaded recordings, the sweep queue, and the per-recording locks.
#pragma once

#include <httplib.h>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

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

// The recording `recording_id` names in the store (engine/server/store_index.h): HttpError 404
// when it names none, 409 when its file cannot be read.
StoredRecording find_recording(ServerContext& context, const std::string& recording_id);

// Its columns, from the cache of loaded recordings: HttpError 409 when it cannot be loaded. The
// caller holds the file's read lock (engine/server/recording_locks.h).
std::shared_ptr<const Recording> loaded_recording(ServerContext& context, const StoredRecording& stored);

using RouteHandler = void (*)(ServerContext& context, const httplib::Request& request, httplib::Response& response);

// A handler file's table of its handlers by operationId (engine/server/api_routes.h).
using NamedHandler = std::pair<std::string_view, RouteHandler>;

// The handler `table` names `operation`; nothing when it names none.
inline RouteHandler find_handler(std::span<const NamedHandler> table, std::string_view operation) {
    for (const auto& [name, handler] : table)
        if (name == operation) return handler;
    return nullptr;
}

// A route's handler by its operationId; nothing when there is none.
RouteHandler recording_handler(std::string_view operation);
RouteHandler sweep_handler(std::string_view operation);
RouteHandler page_handler(std::string_view operation);

}  // namespace tapegrid
