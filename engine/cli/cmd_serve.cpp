// `tapegrid serve`: the original system's REST API, sweeps as jobs and the dashboard, over HTTP.
#include <fmt/format.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "engine/cli/command.h"
#include "engine/cli/stop_signals.h"
#include "engine/core/errors.h"
#include "engine/server/api_server.h"

namespace tapegrid::cli {

namespace {

// The token: the file's first line, without surrounding whitespace. The file must be readable
// by its owner alone, as ssh asks of a private key.
std::string read_token(const std::string& path) {
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0) throw UserError("--token-file " + path + ": no such file");
    if ((status.st_mode & 077) != 0)
        throw UserError(
            fmt::format("--token-file {}: readable by others (mode {:o}); chmod 600 it", path, status.st_mode & 0777));
    std::ifstream in(path);
    std::string token;
    std::getline(in, token);
    const auto first = token.find_first_not_of(" \t\r\n");
    const auto last = token.find_last_not_of(" \t\r\n");
    token = first == std::string::npos ? "" : token.substr(first, last - first + 1);
    if (token.empty()) throw UserError("--token-file " + path + ": the file's first line is empty; expected a token");
    return token;
}

}  // namespace

int run_serve(const Arguments& arguments) {
    CommandLine line;
    line.usage = "tapegrid serve [--store DIR] [--host 127.0.0.1] [--port 9090] [--token-file FILE]";
    line.description =
        "Serves the store over HTTP: the original system's recordings API at the same paths and shapes\n"
        "(/api/v1/recordings/...), sweeps as jobs (/api/v1/sweeps), the API's description (/openapi.json,\n"
        "/docs) and the dashboard (/). Listens on 127.0.0.1 unless told otherwise; any other address needs\n"
        "--token-file, and every request must then carry \"Authorization: Bearer <token>\". Ctrl-C or SIGTERM\n"
        "stops it; a running sweep keeps its checkpoint and the next server resumes it (docs/SERVER.md).";
    const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    line.options.add_options()("host", po::value<std::string>()->default_value("127.0.0.1"),
                               "the address to listen on")(
        "port", po::value<Count>()->default_value(Count{9090}, "9090"), "the port (0: any free one, printed)")(
        "token-file", po::value<std::string>(), "a file whose first line is the bearer token every request needs")(
        "threads", po::value<Count>()->default_value(Count{cores}, std::to_string(cores)),
        "the threads a running sweep uses")("workers", po::value<Count>()->default_value(Count{8}, "8"),
                                            "requests served at once")(
        "max-body", po::value<Count>()->default_value(Count{1 << 20}, "1048576"),
        "the largest request body accepted, in bytes (larger: 413)")(
        "timeout", po::value<Count>()->default_value(Count{10}, "10"),
        "seconds a client may stay silent mid-request before it is dropped")(
        "cache-mb", po::value<Count>()->default_value(Count{1024}, "1024"),
        "megabytes of recordings kept loaded to answer from memory");
    add_store_option(line);
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    ServerOptions server;
    server.store_directory = store_directory(*options);
    server.host = (*options)["host"].as<std::string>();
    server.port = static_cast<int>(count_option(*options, "port", 0, 65535));
    if (options->count("token-file")) server.token = read_token((*options)["token-file"].as<std::string>());
    server.sweep_threads = count_option(*options, "threads", 1, 1024);
    server.workers = count_option(*options, "workers", 1, 1024);
    server.max_body_bytes = count_option(*options, "max-body", 1, std::uint64_t{1} << 32);
    server.read_timeout_seconds = static_cast<int>(count_option(*options, "timeout", 1, 3600));
    server.cache_bytes = count_option(*options, "cache-mb", 0, std::uint64_t{1} << 24) << 20;
    server.keep_alive_seconds = std::min(server.keep_alive_seconds, server.read_timeout_seconds);

    ApiServer api(server);
    const int port = api.bind();
    std::cout << fmt::format(
                     "tapegrid serve: listening on http://{}:{}/ (store {}; the API at /api/v1, its "
                     "description at /docs)",
                     server.host.find(':') != std::string::npos ? "[" + server.host + "]" : server.host, port,
                     server.store_directory)
              << std::endl;
    const StopSignals signals;
    std::atomic<bool> ended{false};
    std::thread watcher([&] {
        while (!signals.stop_requested() && !ended) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        api.stop();
    });
    api.serve();
    ended = true;
    watcher.join();
    std::cerr << "tapegrid serve: stopped\n";
    return kExitOk;
}

}  // namespace tapegrid::cli
