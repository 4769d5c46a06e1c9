// What every fuzz harness shares: reading options from the input's first bytes, a scratch
// directory, and the rule that UserError is the only acceptable failure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <string>
#include <string_view>

#include "engine/core/errors.h"

namespace tapegrid::fuzz {

// The fuzzer's bytes, taken from the front: a few option bytes first, the payload after them.
// Reading past the end gives zeros, so every input, even an empty one, is a valid test case.
class FuzzInput {
  public:
    FuzzInput(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

    std::uint8_t byte() { return position_ < size_ ? data_[position_++] : 0; }

    // One of `choices` (an array), picked by the next byte.
    template <class Choices>
    const auto& pick(const Choices& choices) {
        return choices[byte() % std::size(choices)];
    }

    // Everything not yet read.
    std::string_view rest() {
        const std::size_t start = position_;
        position_ = size_;
        return {reinterpret_cast<const char*>(data_) + start, size_ - start};
    }

  private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t position_ = 0;
};

// A fresh directory under $TMPDIR (or /tmp), removed with its contents when destroyed.
class ScratchDirectory {
  public:
    explicit ScratchDirectory(const std::string& prefix);
    ~ScratchDirectory();
    ScratchDirectory(const ScratchDirectory&) = delete;
    ScratchDirectory& operator=(const ScratchDirectory&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

  private:
    std::filesystem::path path_;
};

// Writes `bytes` to `path`, replacing it; aborts when it cannot (the harness, not the code
// under test, is broken then).
void write_file(const std::string& path, std::string_view bytes);
std::string read_file(const std::string& path);

// Prints what escaped (where, the exception's type and message) and aborts, so that libFuzzer
// keeps the input as a crash.
[[noreturn]] void report_unexpected(std::string_view where, std::string_view type, std::string_view message);

// True when $TAPEGRID_FUZZ_IGNORE (texts separated by ';') names part of "where: type: message":
// a known finding, not fixed yet, that a long run should fuzz past instead of stopping at.
bool is_ignored(std::string_view where, std::string_view type, std::string_view message);

// The demangled name of the exception being handled (inside a catch block).
std::string current_exception_type();

// Runs `body`. A UserError is the expected answer to bad input; any other exception is a bug
// (an InternalError, a library's exception that nobody turned into a message) and aborts.
template <class Body>
void expect_only_user_errors(std::string_view where, Body&& body) {
    try {
        body();
    } catch (const UserError&) {
    } catch (const std::exception& error) {
        const std::string type = current_exception_type();
        if (!is_ignored(where, type, error.what())) report_unexpected(where, type, error.what());
    } catch (...) {
        const std::string type = current_exception_type();
        if (!is_ignored(where, type, "")) report_unexpected(where, type, "(not a std::exception)");
    }
}

}  // namespace tapegrid::fuzz
