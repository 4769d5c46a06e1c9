// The HTTP server: limits, authentication, routing from the route table, errors as JSON.
#include "engine/server/api_server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <strings.h>

#include <condition_variable>
#include <deque>
#include <iostream>
#include <sstream>
#include <thread>

#include "engine/core/errors.h"
#include "engine/server/api_routes.h"
#include "engine/server/http_error.h"
#include "engine/server/request_reading.h"
#include "engine/server/server_context.h"

namespace tapegrid {

namespace {

// A fixed set of workers and a bounded queue of accepted connections. When the queue is full,
// enqueue() waits, so the listening thread stops accepting and further clients wait in the
// kernel's backlog: the connections being served or waiting stay bounded, whatever arrives.
class BoundedWorkers final : public httplib::TaskQueue {
  public:
    BoundedWorkers(std::size_t workers, std::size_t max_waiting) : max_waiting_(max_waiting) {
        for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
    }
    ~BoundedWorkers() override { shutdown(); }

    void enqueue(std::function<void()> task) override {
        std::unique_lock lock(mutex_);
        room_.wait(lock, [&] { return waiting_.size() < max_waiting_ || stopping_; });
        waiting_.push_back(std::move(task));
        lock.unlock();
        ready_.notify_one();
    }

    void shutdown() override {
        {
            const std::lock_guard lock(mutex_);
            if (stopping_) return;
            stopping_ = true;
        }
        ready_.notify_all();
        room_.notify_all();
        for (auto& thread : threads_) thread.join();
    }

  private:
    void work() {
        while (true) {
            std::function<void()> task;
            {
                std::unique_lock lock(mutex_);
                ready_.wait(lock, [&] { return !waiting_.empty() || stopping_; });
                if (waiting_.empty()) return;  // stopping, and everything accepted was served
                task = std::move(waiting_.front());
                waiting_.pop_front();
            }
            room_.notify_one();
            task();
        }
    }

    std::size_t max_waiting_;
    std::mutex mutex_;
    std::condition_variable ready_, room_;
    std::deque<std::function<void()>> waiting_;
    std::vector<std::thread> threads_;
    bool stopping_ = false;
};

// cpp-httplib compresses an answer with the first encoding the client accepts, brotli before
// gzip, and its brotli runs at quality 11: 3.7 s for a 2 MB page that gzip compresses in 0.1 s
// (measured; docs/PERFORMANCE.md). So "br" is taken out of what the client says it accepts,
// and such answers go out gzipped. The library hands the pre-routing hook a const reference to
// the request it owns and later reads; the request itself is not const.
void offer_gzip_not_brotli(const httplib::Request& request) {
    auto& headers = const_cast<httplib::Headers&>(request.headers);
    for (auto& header : headers) {
        if (header.first.size() != 15 || strcasecmp(header.first.c_str(), "Accept-Encoding") != 0) continue;
        std::string accepted;
        std::istringstream encodings(header.second);
        for (std::string encoding; std::getline(encodings, encoding, ',');) {
            const auto first = encoding.find_first_not_of(' ');
            if (first == std::string::npos || encoding.compare(first, 2, "br") == 0) continue;
            accepted += (accepted.empty() ? "" : ", ") + encoding.substr(first);
        }
        header.second = accepted;
    }
}

const char* status_reason(int status) {
    switch (status) {
        case 400:
            return "bad request";
        case 401:
            return "a bearer token is required";
        case 404:
            return "no such route";
        case 405:
            return "method not allowed";
        case 413:
            return "the request body is too large";
        case 414:
            return "the request URI is too long";
        default:
            return "the request could not be served";
    }
}

}  // namespace

ApiServer::ApiServer(const ServerOptions& options) : options_(options) {
    if (!options_.token && !is_loopback_host(options_.host))
        throw UserError("--host " + options_.host +
                        ": serving beyond this machine needs a bearer token: give --token-file FILE (every request "
                        "must then carry \"Authorization: Bearer <token>\")");
    if (options_.token && options_.token->size() < 16)
        throw UserError("--token-file: the token is " + std::to_string(options_.token->size()) +
                        " characters long; use at least 16 (for example `openssl rand -hex 32`)");
    context_ = std::make_unique<ServerContext>(options_);
    http_ = std::make_unique<httplib::Server>();
    const std::size_t workers = options_.workers, waiting = options_.max_waiting;
    http_->new_task_queue = [workers, waiting] { return new BoundedWorkers(workers, waiting); };
    // Answers go out whole at once: without TCP_NODELAY a kept-alive client's next request
    // waits out Nagle's algorithm against its delayed ACK (40 ms a request on Linux).
    http_->set_tcp_nodelay(true);
    http_->set_payload_max_length(options_.max_body_bytes);
    http_->set_read_timeout(options_.read_timeout_seconds, 0);
    http_->set_write_timeout(options_.read_timeout_seconds, 0);
    http_->set_keep_alive_timeout(options_.keep_alive_seconds);
    http_->set_keep_alive_max_count(1000);
    install_routes();
}

ApiServer::~ApiServer() {
    stop();
}

void ApiServer::install_routes() {
    // Before routing: the encoding, then authentication (without the token nothing, not even a
    // 404, is answered).
    const std::optional<std::string> token = options_.token;
    http_->set_pre_routing_handler([token](const httplib::Request& request, httplib::Response& response) {
        offer_gzip_not_brotli(request);
        if (!token) return httplib::Server::HandlerResponse::Unhandled;
        const std::string header = request.get_header_value("Authorization");
        constexpr std::string_view kBearer = "Bearer ";
        if (header.size() > kBearer.size() && header.compare(0, kBearer.size(), kBearer) == 0 &&
            tokens_equal(header.substr(kBearer.size()), *token))
            return httplib::Server::HandlerResponse::Unhandled;
        response.set_header("WWW-Authenticate", "Bearer");
        send_error(response, 401, "a bearer token is required: send \"Authorization: Bearer <token>\"");
        return httplib::Server::HandlerResponse::Handled;
    });
    // What the library answers itself (no route, a body over the limit, a malformed request)
    // gets the same JSON shape as the handlers' errors.
    const httplib::Server::HandlerWithResponse answer_as_json = [](const httplib::Request&,
                                                                   httplib::Response& response) {
        if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        send_error(response, response.status, status_reason(response.status));
        return httplib::Server::HandlerResponse::Handled;
    };
    http_->set_error_handler(answer_as_json);
    ServerContext* context = context_.get();
    for (const ApiRoute& route : api_routes()) {
        RouteHandler handler = recording_handler(route.operation);
        if (!handler) handler = sweep_handler(route.operation);
        if (!handler) handler = page_handler(route.operation);
        if (!handler) throw std::logic_error("no handler for route " + std::string(route.operation));
        httplib::Server::Handler wrapped = [context, handler](const httplib::Request& request,
                                                              httplib::Response& response) {
            try {
                handler(*context, request, response);
            } catch (const HttpError& error) {
                send_error(response, error.status(), error.what());
            } catch (const UserError& error) {
                send_error(response, 422, error.what());
            } catch (const std::exception& error) {
                std::cerr << "tapegrid serve: " << request.method << ' ' << request.path << ": " << error.what()
                          << '\n';
                send_error(response, 500, std::string("internal error: ") + error.what());
            }
        };
        const std::string pattern = route_pattern(route.path);
        if (route.method == "GET")
            http_->Get(pattern, wrapped);
        else if (route.method == "POST")
            http_->Post(pattern, wrapped);
        else if (route.method == "DELETE")
            http_->Delete(pattern, wrapped);
    }
}

int ApiServer::bind() {
    int port = options_.port;
    if (port == 0) {
        port = http_->bind_to_any_port(options_.host);
        if (port < 0) throw UserError("--host " + options_.host + ": cannot listen on any port of this address");
        return port;
    }
    if (!http_->bind_to_port(options_.host, port))
        throw UserError(
            fmt::format("--host {} --port {}: cannot listen there (the port is in use, or the address "
                        "is not this machine's)",
                        options_.host, port));
    return port;
}

void ApiServer::serve() {
    http_->listen_after_bind();
}

void ApiServer::stop() {
    if (http_) http_->stop();
}

}  // namespace tapegrid
