// `tapegrid serve`: the HTTP server (cpp-httplib) over the store. Routes come from
// engine/server/api_routes.h; every answer to a client's mistake is a JSON error with a 4xx
// status, and anything unexpected is a 500 that keeps the server running.
#pragma once

#include <memory>

#include "engine/server/server_options.h"

namespace httplib {
class Server;
}

namespace tapegrid {

struct ServerContext;

class ApiServer {
  public:
    // Refuses (UserError) a non-loopback host without a token.
    explicit ApiServer(const ServerOptions& options);
    ~ApiServer();
    ApiServer(const ApiServer&) = delete;
    ApiServer& operator=(const ApiServer&) = delete;

    // Binds the address; returns the port (the one chosen when options.port is 0). UserError
    // when it cannot be bound.
    int bind();
    // Serves until stop() (from another thread or a signal watcher).
    void serve();
    void stop();

  private:
    void install_routes();

    ServerOptions options_;
    std::unique_ptr<ServerContext> context_;
    std::unique_ptr<httplib::Server> http_;
};

}  // namespace tapegrid
