// Partial files: a fixed table of paths a signal handler may read, and the search for stale ones.
#include "io/hdf5/partial_files.h"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <regex>

#include "engine/core/errors.h"

namespace tapegrid {

namespace {

// A signal handler may touch only lock-free atomics and fixed memory: a few slots of paths.
constexpr std::size_t kSlots = 8;
constexpr std::size_t kPathBytes = 4096;
struct Slot {
    std::atomic<bool> used{false};
    char path[kPathBytes] = {};
};
std::array<Slot, kSlots> slots;

extern "C" void remove_partials_and_end(int signal) {
    for (auto& slot : slots)
        if (slot.used.load()) ::unlink(slot.path);
    ::signal(signal, SIG_DFL);
    ::raise(signal);
}

}  // namespace

PartialFileGuard::PartialFileGuard(const std::string& path) {
    if (path.size() >= kPathBytes) return;  // not guarded: a signal would leave it for prune
    for (std::size_t i = 0; i < kSlots; ++i) {
        bool expected = false;
        if (!slots[i].used.load() && slots[i].path[0] == '\0') {
            std::memcpy(slots[i].path, path.c_str(), path.size() + 1);
            if (slots[i].used.compare_exchange_strong(expected, true)) {
                slot_ = static_cast<int>(i);
                return;
            }
            slots[i].path[0] = '\0';
        }
    }
}

PartialFileGuard::~PartialFileGuard() {
    if (slot_ < 0) return;
    Slot& slot = slots[static_cast<std::size_t>(slot_)];
    slot.used.store(false);
    slot.path[0] = '\0';
}

void remove_partial_files_on_signals() {
    struct sigaction action {};
    action.sa_handler = remove_partials_and_end;
    sigemptyset(&action.sa_mask);
    for (const int signal : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(signal, &action, nullptr);
}

std::vector<StalePartialFile> stale_partial_files(const std::string& directory) {
    std::vector<StalePartialFile> stale;
    std::error_code error;
    const std::regex partial(R"(^\..+\.partial-([0-9]+)(\.[a-z]+)?$)");
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
        std::smatch match;
        const std::string name = entry.path().filename().string();
        if (!entry.is_regular_file(error) || !std::regex_match(name, match, partial)) continue;
        const long pid = std::stol(match[1]);
        // A pid that answers kill(pid, 0) may still be writing it (or be another process now
        // holding that pid): such a file is left alone.
        if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
        stale.push_back({entry.path().string(), static_cast<std::uint64_t>(entry.file_size(error)), pid});
    }
    return stale;
}

}  // namespace tapegrid
