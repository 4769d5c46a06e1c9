// The harnesses' shared pieces: scratch directories, whole-file reads and writes, reporting.
#include "tests/fuzz/fuzz_support.h"

#include <cxxabi.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <memory>
#include <sstream>
#include <typeinfo>
#include <vector>

namespace tapegrid::fuzz {

ScratchDirectory::ScratchDirectory(const std::string& prefix) {
    const char* tmpdir = std::getenv("TMPDIR");
    std::string pattern = (std::filesystem::path(tmpdir && *tmpdir ? tmpdir : "/tmp") / (prefix + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        std::perror("mkdtemp");
        std::abort();
    }
    path_ = pattern;
}

ScratchDirectory::~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

void write_file(const std::string& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
        std::fprintf(stderr, "fuzz harness: cannot write %s\n", path.c_str());
        std::abort();
    }
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (!in) {
        std::fprintf(stderr, "fuzz harness: cannot read %s\n", path.c_str());
        std::abort();
    }
    return std::move(buffer).str();
}

void report_unexpected(std::string_view where, std::string_view type, std::string_view message) {
    std::fprintf(stderr, "\n==FINDING== %.*s: unexpected %.*s (only tapegrid::UserError is expected): %.*s\n",
                 static_cast<int>(where.size()), where.data(), static_cast<int>(type.size()), type.data(),
                 static_cast<int>(message.size()), message.data());
    std::fflush(stderr);
    std::abort();
}

bool is_ignored(std::string_view where, std::string_view type, std::string_view message) {
    static const std::vector<std::string> ignored = [] {
        std::vector<std::string> texts;
        const char* variable = std::getenv("TAPEGRID_FUZZ_IGNORE");
        std::string_view rest = variable != nullptr ? variable : "";
        while (!rest.empty()) {
            const std::size_t end = std::min(rest.find(';'), rest.size());
            if (end > 0) texts.emplace_back(rest.substr(0, end));
            rest.remove_prefix(std::min(end + 1, rest.size()));
        }
        return texts;
    }();
    if (ignored.empty()) return false;
    std::string text(where);
    text.append(": ").append(type).append(": ").append(message);
    for (const auto& part : ignored)
        if (text.find(part) != std::string::npos) return true;
    return false;
}

std::string current_exception_type() {
    const std::type_info* type = abi::__cxa_current_exception_type();
    if (type == nullptr) return "unknown exception";
    int status = 0;
    const std::unique_ptr<char, decltype(&std::free)> name(abi::__cxa_demangle(type->name(), nullptr, nullptr, &status),
                                                           &std::free);
    return status == 0 && name ? name.get() : type->name();
}

}  // namespace tapegrid::fuzz
