// Runs a fuzz harness without libFuzzer, for the normal (GCC) test suite: every corpus file once,
// then seeded mutations of them for a few seconds.
//
//   <harness>_corpus_runner [-mutate_seconds=S] [-seed=N] FILE_OR_DIRECTORY...
//
// A finding aborts, as under libFuzzer; the input that caused it is written first to
// ./standalone-crash-<harness> (the test's working directory), to be replayed by the fuzzer.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

// The input being run, for the abort handler to save; null between inputs (an abort at exit,
// LeakSanitizer's, belongs to no input, and the vectors are freed by then).
const std::vector<std::uint8_t>* volatile current_input = nullptr;
std::string crash_path;

extern "C" void save_input_and_abort(int signal) {
    if (const std::vector<std::uint8_t>* input = current_input) {
        const int fd = ::open(crash_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            [[maybe_unused]] const auto written = ::write(fd, input->data(), input->size());
            ::close(fd);
        }
    }
    std::signal(signal, SIG_DFL);
    std::raise(signal);
}

void run(const std::vector<std::uint8_t>& input) {
    current_input = &input;
    LLVMFuzzerTestOneInput(input.data(), input.size());
    current_input = nullptr;
}

std::vector<std::uint8_t> read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A small, seeded generator: the same seed gives the same mutations on every machine.
struct SplitMix64 {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

// One to four of libFuzzer's simplest mutations: flip a bit, set a byte to an interesting value,
// erase, duplicate or insert a few bytes, truncate.
std::vector<std::uint8_t> mutate(std::vector<std::uint8_t> bytes, SplitMix64& random) {
    static const std::uint8_t kInteresting[] = {0, 1, 0x7F, 0x80, 0xFF, '-', '.', ',', '"', '\n', '0', '9', 'e', ' '};
    const std::size_t edits = 1 + random.below(4);
    for (std::size_t edit = 0; edit < edits; ++edit) {
        const std::size_t at = random.below(bytes.size() + 1);
        switch (random.below(6)) {
            case 0:
                if (at < bytes.size()) bytes[at] ^= static_cast<std::uint8_t>(1u << random.below(8));
                break;
            case 1:
                if (at < bytes.size()) bytes[at] = kInteresting[random.below(std::size(kInteresting))];
                break;
            case 2:
                bytes.erase(
                    bytes.begin() + static_cast<std::ptrdiff_t>(at),
                    bytes.begin() + static_cast<std::ptrdiff_t>(std::min(bytes.size(), at + 1 + random.below(8))));
                break;
            case 3: {
                const std::size_t length = std::min(bytes.size() - std::min(at, bytes.size()), 1 + random.below(16));
                const std::vector<std::uint8_t> copy(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                                                     bytes.begin() + static_cast<std::ptrdiff_t>(at + length));
                bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(random.below(bytes.size() + 1)), copy.begin(),
                             copy.end());
                break;
            }
            case 4:
                bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                             static_cast<std::uint8_t>(random.next() & 0xFF));
                break;
            default:
                bytes.resize(at);
                break;
        }
    }
    return bytes;
}

}  // namespace

int main(int argc, char** argv) {
    double mutate_seconds = 0;
    std::uint64_t seed = 1;
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        if (argument.rfind("-mutate_seconds=", 0) == 0) {
            mutate_seconds = std::stod(argument.substr(std::strlen("-mutate_seconds=")));
        } else if (argument.rfind("-seed=", 0) == 0) {
            seed = std::stoull(argument.substr(std::strlen("-seed=")));
        } else if (fs::is_directory(argument)) {
            for (const auto& entry : fs::directory_iterator(argument))
                if (entry.is_regular_file()) files.push_back(entry.path());
        } else {
            files.push_back(argument);
        }
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        std::fprintf(stderr, "%s: no corpus files given\n", argv[0]);
        return 2;
    }
    crash_path = "standalone-crash-" + fs::path(argv[0]).filename().string();
    // On a stack of its own, so that a stack overflow (deep recursion) is saved too.
    static char alternate_stack[64 * 1024];
    stack_t stack{};
    stack.ss_sp = alternate_stack;
    stack.ss_size = sizeof alternate_stack;
    ::sigaltstack(&stack, nullptr);
    struct sigaction action {};
    action.sa_handler = save_input_and_abort;
    action.sa_flags = SA_ONSTACK;
    for (const int signal : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE}) ::sigaction(signal, &action, nullptr);

    std::vector<std::vector<std::uint8_t>> corpus;
    for (const auto& file : files) corpus.push_back(read_bytes(file));
    for (const auto& input : corpus) run(input);
    run({});  // the empty input

    SplitMix64 random{seed};
    std::size_t mutations = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(mutate_seconds);
    while (mutate_seconds > 0 && std::chrono::steady_clock::now() < deadline) {
        run(mutate(corpus[mutations % corpus.size()], random));
        ++mutations;
    }
    std::printf("%s: %zu corpus files and %zu mutations (seed %llu) ran without a finding\n", argv[0], corpus.size(),
                mutations, static_cast<unsigned long long>(seed));
    return 0;
}
