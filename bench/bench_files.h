// Scratch files for benchmarks: a directory under $TMPDIR that lives as long as the program.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace tapegrid::bench {

inline const std::filesystem::path& scratch_directory() {
    static const struct Scratch {
        std::filesystem::path path;
        Scratch() : path(std::filesystem::temp_directory_path() / ("tapegrid-bench-" + std::to_string(::getpid()))) {
            std::filesystem::create_directories(path);
        }
        ~Scratch() {
            std::error_code ignored;
            std::filesystem::remove_all(path, ignored);
        }
    } scratch;
    return scratch.path;
}

}  // namespace tapegrid::bench
