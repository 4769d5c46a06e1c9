// A bounded load test of `tapegrid serve` on loopback: C concurrent clients send R requests in all,
// a fixed mix of the API's reads (lists, details, event pages, market-data pages), plus P replays
// (POST .../replay, each one run and stored). Reports requests per second and latency percentiles;
// exits 1 if any request failed. docs/PERFORMANCE.md quotes it; scripts/serve_load.sh runs it
// against a server it starts on a generated store.
//
//   serve_load --port N [--clients 32] [--requests 20000] [--replays 50] [--json]
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Options {
    int port = 0;
    int clients = 32;
    long requests = 20000;
    int replays = 50;
    bool json = false;
};

Options read_options(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        const auto value = [&]() -> long {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "serve_load: %s needs a value\n", flag.c_str());
                std::exit(2);
            }
            return std::strtol(argv[++i], nullptr, 10);
        };
        if (flag == "--port")
            options.port = static_cast<int>(value());
        else if (flag == "--clients")
            options.clients = static_cast<int>(value());
        else if (flag == "--requests")
            options.requests = value();
        else if (flag == "--replays")
            options.replays = static_cast<int>(value());
        else if (flag == "--json")
            options.json = true;
        else {
            std::fprintf(stderr, "usage: serve_load --port N [--clients C] [--requests R] [--replays P] [--json]\n");
            std::exit(2);
        }
    }
    if (options.port <= 0 || options.clients <= 0 || options.requests < 0 || options.replays < 0) {
        std::fprintf(stderr, "serve_load: --port must be given; counts must be positive\n");
        std::exit(2);
    }
    return options;
}

struct Target {
    std::string id;
    std::string symbol;
    long long events = 0;
    long long bars = 0;
};

// The recordings the server lists, with their sizes, to aim pages at.
std::vector<Target> discover(int port) {
    httplib::Client client("127.0.0.1", port);
    const auto listed = client.Get("/api/v1/recordings/");
    if (!listed || listed->status != 200) {
        std::fprintf(stderr, "serve_load: the server does not list recordings\n");
        std::exit(1);
    }
    std::vector<Target> targets;
    const nlohmann::json answer = nlohmann::json::parse(listed->body);
    for (const auto& recording : answer["recordings"]) {
        if (recording["status"] != "completed") continue;
        targets.push_back({recording["recording_id"], recording["symbols"][0], recording["total_events_recorded"],
                           recording["total_bars_recorded"]});
    }
    if (targets.empty()) {
        std::fprintf(stderr, "serve_load: the store has no completed recording to read\n");
        std::exit(1);
    }
    return targets;
}

double percentile(std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0.0;
    const auto k = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
    return sorted[std::min(k, sorted.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
    const Options options = read_options(argc, argv);
    const std::vector<Target> targets = discover(options.port);
    std::atomic<long> next_request{0};
    std::atomic<int> next_replay{0};
    std::atomic<long> failures{0};
    std::mutex merge;
    std::vector<double> read_ms, replay_ms;
    std::string first_failure;
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> clients;
    for (int c = 0; c < options.clients; ++c) {
        clients.emplace_back([&, c] {
            httplib::Client client("127.0.0.1", options.port);
            client.set_keep_alive(true);
            client.set_tcp_nodelay(true);
            client.set_read_timeout(300, 0);
            std::vector<double> mine, mine_replays;
            std::uint64_t state = 0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(c + 1);
            const auto random = [&state](std::uint64_t bound) {  // splitmix64: the same mix every run
                state += 0x9E3779B97F4A7C15ULL;
                std::uint64_t z = state;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
                return (z ^ (z >> 31)) % std::max<std::uint64_t>(bound, 1);
            };
            const auto note_failure = [&](const std::string& what) {
                ++failures;
                const std::lock_guard lock(merge);
                if (first_failure.empty()) first_failure = what;
            };
            while (true) {
                const bool replay = next_replay.load() < options.replays && random(100) < 3 &&
                                    next_replay.fetch_add(1) < options.replays;
                if (!replay && next_request.fetch_add(1) >= options.requests) break;
                const Target& target = targets[random(targets.size())];
                const auto begin = std::chrono::steady_clock::now();
                std::string path, body;
                if (replay) {
                    path = "/api/v1/recordings/" + target.id + "/replay";
                    body = R"({"modified_parameters": {"rsi_threshold": )" + std::to_string(20 + random(16)) +
                           R"(}, "description": "load test"})";
                } else {
                    const auto kind = random(100);
                    if (kind < 25)
                        path = "/api/v1/recordings/?limit=50";
                    else if (kind < 50)
                        path = "/api/v1/recordings/" + target.id;
                    else if (kind < 75)
                        path = "/api/v1/recordings/" + target.id + "/events?limit=100&offset=" +
                               std::to_string(random(static_cast<std::uint64_t>(target.events)));
                    else
                        path =
                            "/api/v1/recordings/" + target.id + "/market-data?symbol=" + target.symbol +
                            "&limit=100&offset=" + std::to_string(random(static_cast<std::uint64_t>(target.bars / 2)));
                }
                const httplib::Result result = replay ? client.Post(path, body, "application/json") : client.Get(path);
                const double ms =
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count();
                if (!result)
                    note_failure(path + ": no answer (" + httplib::to_string(result.error()) + ")");
                else if (result->status != 200)
                    note_failure(path + ": " + std::to_string(result->status) + " " + result->body.substr(0, 200));
                (replay ? mine_replays : mine).push_back(ms);
            }
            const std::lock_guard lock(merge);
            read_ms.insert(read_ms.end(), mine.begin(), mine.end());
            replay_ms.insert(replay_ms.end(), mine_replays.begin(), mine_replays.end());
        });
    }
    for (auto& client : clients) client.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::sort(read_ms.begin(), read_ms.end());
    std::sort(replay_ms.begin(), replay_ms.end());
    const double total = static_cast<double>(read_ms.size() + replay_ms.size());
    const nlohmann::json report = {{"clients", options.clients},
                                   {"requests", read_ms.size()},
                                   {"replays", replay_ms.size()},
                                   {"failures", failures.load()},
                                   {"seconds", seconds},
                                   {"requests_per_second", total / seconds},
                                   {"read_p50_ms", percentile(read_ms, 0.50)},
                                   {"read_p99_ms", percentile(read_ms, 0.99)},
                                   {"read_max_ms", read_ms.empty() ? 0.0 : read_ms.back()},
                                   {"replay_p50_ms", percentile(replay_ms, 0.50)},
                                   {"replay_p99_ms", percentile(replay_ms, 0.99)}};
    if (options.json) {
        std::printf("%s\n", report.dump(2).c_str());
    } else {
        std::printf(
            "%d clients: %zu reads and %zu replays in %.2f s = %.0f requests/s; reads p50 %.2f ms, p99 %.2f ms, max "
            "%.1f ms; replays p50 %.1f ms, p99 %.1f ms; %ld failed\n",
            options.clients, read_ms.size(), replay_ms.size(), seconds, total / seconds, percentile(read_ms, 0.5),
            percentile(read_ms, 0.99), read_ms.empty() ? 0.0 : read_ms.back(), percentile(replay_ms, 0.5),
            percentile(replay_ms, 0.99), failures.load());
    }
    if (failures > 0) std::fprintf(stderr, "serve_load: first failure: %s\n", first_failure.c_str());
    return failures > 0 ? 1 : 0;
}
