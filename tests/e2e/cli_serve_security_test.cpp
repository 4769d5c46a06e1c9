// `tapegrid serve`'s guards: loopback unless a token is required, the token itself, slow and idle
// clients, and many connections at once.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "tests/e2e/serve_fixture.h"

namespace tapegrid::testing {
namespace {

constexpr const char* kToken = "3f9c2a7be1d04c6f8a5e2d1b7c9f0a34";

TEST(ServeSecurity, AnAddressBeyondThisMachineNeedsAToken) {
    TemporaryDirectory store;
    const CommandResult refused = run_tapegrid("serve --host 0.0.0.0 --port 0 --store " + store.path().string());
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("--token-file"), std::string::npos) << refused.err;
    // A token others can read is refused too, and so is a short one.
    write_text(store.file("token"), std::string(kToken) + "\n");
    ::chmod(store.file("token").c_str(), 0644);
    const CommandResult readable = run_tapegrid("serve --port 0 --token-file " + store.file("token"));
    EXPECT_EQ(readable.exit_code, 2);
    EXPECT_NE(readable.err.find("chmod 600"), std::string::npos) << readable.err;
    write_text(store.file("short"), "abc\n");
    ::chmod(store.file("short").c_str(), 0600);
    EXPECT_EQ(run_tapegrid("serve --port 0 --token-file " + store.file("short")).exit_code, 2);
}

TEST(ServeSecurity, WithATokenEveryRequestMustCarryIt) {
    TemporaryDirectory store;
    write_text(store.file("token"), std::string(kToken) + "\n");
    ::chmod(store.file("token").c_str(), 0600);
    ServeProcess server(store.file("store"), {"--token-file", store.file("token")});
    auto client = server.client();
    for (const char* path : {"/api/v1/recordings/", "/openapi.json", "/", "/no/such/route"}) {
        const auto missing = answer_json(client->Get(path), 401);
        EXPECT_EQ(missing["success"], false) << path;
        EXPECT_EQ(answer_json(client->Get(path, {{"Authorization", "Bearer wrong"}}), 401)["success"], false);
        EXPECT_EQ(
            answer_json(client->Get(path, {{"Authorization", std::string("Bearer ") + kToken + "x"}}), 401)["success"],
            false);
        EXPECT_EQ(answer_json(client->Get(path, {{"Authorization", std::string("Basic ") + kToken}}), 401)["success"],
                  false);
    }
    client->set_bearer_token_auth(kToken);
    EXPECT_EQ(answer_json(client->Get("/api/v1/recordings/"), 200)["count"], 0);
    EXPECT_EQ(answer_json(client->Get("/no/such/route"), 404)["error"], "no such route");
}

// A raw connection to the server, to play a slow or idle client.
class RawConnection {
  public:
    explicit RawConnection(int port) {
        descriptor_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(descriptor_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        timeval patience{10, 0};
        ::setsockopt(descriptor_, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
    }
    ~RawConnection() { ::close(descriptor_); }
    bool connected() const { return connected_; }
    void send(const std::string& text) {
        EXPECT_EQ(::send(descriptor_, text.data(), text.size(), MSG_NOSIGNAL), static_cast<ssize_t>(text.size()));
    }
    // Reads until the server closes the connection (or 10 s pass: then -1).
    long read_until_closed(std::string& received) {
        char buffer[4096];
        while (true) {
            const ssize_t got = ::recv(descriptor_, buffer, sizeof buffer, 0);
            if (got == 0) return static_cast<long>(received.size());
            if (got < 0) return -1;
            received.append(buffer, static_cast<std::size_t>(got));
        }
    }

  private:
    int descriptor_ = -1;
    bool connected_ = false;
};

TEST(ServeSecurity, SlowAndIdleClientsAreDropped) {
    TemporaryDirectory store;
    ServeProcess server(store.file("store"), {"--timeout", "1"});
    // A request that never ends: dropped after the timeout, not held forever.
    RawConnection slow(server.port());
    ASSERT_TRUE(slow.connected());
    slow.send("GET /api/v1/recordings/ HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    const auto started = std::chrono::steady_clock::now();
    std::string received;
    EXPECT_GE(slow.read_until_closed(received), 0);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
    // A kept-alive connection that goes quiet after its answer is closed too.
    RawConnection idle(server.port());
    idle.send("GET /api/v1/recordings/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n");
    received.clear();
    const auto answered = std::chrono::steady_clock::now();
    EXPECT_GT(idle.read_until_closed(received), 0);
    EXPECT_NE(received.find("200 OK"), std::string::npos) << received;
    EXPECT_LT(std::chrono::steady_clock::now() - answered, std::chrono::seconds(5));
    EXPECT_EQ(answer_json(server.client()->Get("/api/v1/recordings/"), 200)["success"], true);
}

TEST(ServeSecurity, ManyConnectionsAtOnceAreServedInTurn) {
    TemporaryDirectory store;
    ServeProcess server(store.file("store"), {"--timeout", "1", "--workers", "4"});
    // Twelve connections opened and left silent hold the four workers in turn, each until its
    // timeout; a real client queued behind them is answered once they are dropped.
    std::vector<std::unique_ptr<RawConnection>> silent;
    for (int i = 0; i < 12; ++i) silent.push_back(std::make_unique<RawConnection>(server.port()));
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(answer_json(server.client()->Get("/api/v1/recordings/"), 200)["success"], true);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(15));
    silent.clear();
    EXPECT_TRUE(server.process().running());
    EXPECT_EQ(answer_json(server.client()->Get("/openapi.json"), 200)["openapi"].get<std::string>().substr(0, 2), "3.");
}

}  // namespace
}  // namespace tapegrid::testing
