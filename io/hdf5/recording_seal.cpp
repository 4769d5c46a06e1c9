// Sealing and verifying recordings with XXH3-64 over the bytes after the HDF5 user block.
#include "io/hdf5/recording_seal.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "engine/core/errors.h"

namespace tapegrid {

namespace {

constexpr char kMagic[] = "tapegrid recording\n";
constexpr std::size_t kMagicLength = sizeof kMagic - 1;

class FileDescriptor {
public:
    FileDescriptor(const std::string& path, int flags) : fd_(::open(path.c_str(), flags | O_CLOEXEC)) {
        if (fd_ < 0) throw UserError(path + ": cannot open: " + std::strerror(errno));
    }
    ~FileDescriptor() { ::close(fd_); }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

void write_user_block(const std::string& path, const std::string& text) {
    std::string block = text;
    block.resize(kUserBlockBytes, '\0');
    FileDescriptor file(path, O_WRONLY);
    if (::pwrite(file.get(), block.data(), block.size(), 0) != static_cast<ssize_t>(block.size()))
        throw InternalError(path + ": cannot write the user block: " + std::strerror(errno));
    if (::fsync(file.get()) != 0) throw InternalError(path + ": fsync failed: " + std::strerror(errno));
}

struct Digest {
    std::uint64_t hash = 0;
    std::uint64_t bytes = 0;
};

Digest hash_after_user_block(int fd, const std::string& path) {
    std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state(XXH3_createState(), XXH3_freeState);
    XXH3_64bits_reset(state.get());
    constexpr std::size_t kBufferBytes = 1 << 20;
    std::vector<char> buffer(kBufferBytes);
    Digest digest;
    off_t offset = static_cast<off_t>(kUserBlockBytes);
    for (;;) {
        const ssize_t n = ::pread(fd, buffer.data(), buffer.size(), offset);
        if (n < 0) throw UserError(path + ": cannot read: " + std::strerror(errno));
        if (n == 0) break;
        XXH3_64bits_update(state.get(), buffer.data(), static_cast<std::size_t>(n));
        offset += n;
        digest.bytes += static_cast<std::uint64_t>(n);
    }
    digest.hash = XXH3_64bits_digest(state.get());
    return digest;
}

}  // namespace

void mark_unsealed(const std::string& path) { write_user_block(path, std::string(kMagic) + "seal: none\n"); }

void seal_recording(const std::string& path) {
    Digest digest;
    {
        FileDescriptor file(path, O_RDONLY);
        digest = hash_after_user_block(file.get(), path);
    }
    write_user_block(path, fmt::format("{}seal: xxh3-64 {:016x}\nsealed-bytes: {}\n", kMagic, digest.hash,
                                       digest.bytes));
}

SealState verify_seal(const std::string& path) {
    FileDescriptor file(path, O_RDONLY);
    char block[kUserBlockBytes + 1] = {};
    const ssize_t n = ::pread(file.get(), block, kUserBlockBytes, 0);
    if (n < static_cast<ssize_t>(kUserBlockBytes) || std::memcmp(block, kMagic, kMagicLength) != 0)
        return SealState::kNone;
    const char* seal = block + kMagicLength;
    if (std::strncmp(seal, "seal: none\n", 11) == 0) return SealState::kUnsealed;
    unsigned long long expected_hash = 0, expected_bytes = 0;
    if (std::sscanf(seal, "seal: xxh3-64 %16llx\nsealed-bytes: %llu\n", &expected_hash, &expected_bytes) != 2)
        throw UserError(path + ": the seal in the user block is unreadable (corrupted file?)");
    struct stat status {};
    ::fstat(file.get(), &status);
    const auto actual_bytes = static_cast<unsigned long long>(status.st_size) - kUserBlockBytes;
    const std::string advice = fmt::format(
        "the file was truncated, corrupted or changed by another program since tapegrid sealed it (if the change "
        "was deliberate, `tapegrid recover --reseal {}` accepts it)",
        path);
    if (actual_bytes != expected_bytes)
        throw UserError(fmt::format("{}: size mismatch: {} bytes after the header, the seal says {}: {}", path,
                                    actual_bytes, expected_bytes, advice));
    const Digest digest = hash_after_user_block(file.get(), path);
    if (digest.hash != expected_hash)
        throw UserError(fmt::format("{}: checksum mismatch: xxh3-64 {:016x}, the seal says {:016x}: {}", path,
                                    digest.hash, expected_hash, advice));
    return SealState::kIntact;
}

}  // namespace tapegrid
