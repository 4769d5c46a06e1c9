// What `tapegrid serve` is told: where the store is, where to listen, and the limits it keeps.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace tapegrid {

struct ServerOptions {
    std::string store_directory = "recordings";
    std::string host = "127.0.0.1";
    int port = 9090;                       // 0: any free port (tests)
    std::optional<std::string> token;      // when set, every request needs "Authorization: Bearer <token>"
    std::size_t max_body_bytes = 1 << 20;  // larger bodies are answered 413 unread
    std::size_t workers = 8;               // requests served at once
    std::size_t max_waiting = 64;          // accepted connections waiting for a worker; beyond it, accepting pauses
    int read_timeout_seconds = 10;         // a client silent this long mid-request is dropped
    int keep_alive_seconds = 5;            // an idle kept-alive connection is closed after this
    std::size_t sweep_threads = 1;         // the cores a running sweep uses
    std::size_t cache_bytes = std::size_t{1} << 30;  // recordings kept loaded (engine/server/recording_cache.h)
};

// Whether `host` is a loopback address (127.0.0.0/8, ::1, localhost): the only ones served
// without a token.
bool is_loopback_host(const std::string& host);

// Compares a presented token with the expected one in time that depends on neither's content.
bool tokens_equal(const std::string& presented, const std::string& expected);

}  // namespace tapegrid
