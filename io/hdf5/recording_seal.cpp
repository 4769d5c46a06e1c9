// Sealing and verifying recordings with XXH3-64 over the bytes after the HDF5 user block.
#include "io/hdf5/recording_seal.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <tbb/parallel_for.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "engine/core/errors.h"

namespace tapegrid {

namespace {

constexpr char kMagic[] = "tapegrid recording\n";
constexpr std::size_t kSealBlockBytes = std::size_t{4} << 20;
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

// Maps the file a window at a time and hashes it in place: no copy through a read buffer, and
// no more of the file mapped (and counted in the process's resident memory) than one window.
Digest hash_after_user_block(int fd, const std::string& path) {
    struct stat status {};
    if (::fstat(fd, &status) != 0) throw UserError(path + ": cannot stat: " + std::strerror(errno));
    const auto size = static_cast<std::size_t>(status.st_size);
    Digest digest;
    if (size <= kUserBlockBytes) {
        digest.hash = XXH3_64bits(nullptr, 0);
        return digest;
    }
    digest.bytes = size - kUserBlockBytes;
    // A tree hash: XXH3-64 of the XXH3-64 hashes of consecutive 4 MiB blocks, so that the
    // blocks hash in parallel (a plain hash would run on one core at memory speed).
    const std::size_t blocks = (digest.bytes + kSealBlockBytes - 1) / kSealBlockBytes;
    std::vector<XXH64_hash_t> block_hashes(blocks);
    constexpr std::size_t kWindowBlocks = 16;  // 64 MiB mapped at a time
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    for (std::size_t first = 0; first < blocks; first += kWindowBlocks) {
        const std::size_t last = std::min(blocks, first + kWindowBlocks);
        const std::size_t begin = kUserBlockBytes + first * kSealBlockBytes;  // file offsets
        const std::size_t end = std::min(size, kUserBlockBytes + last * kSealBlockBytes);
        const std::size_t map_begin = begin / page * page;
        void* mapped = ::mmap(nullptr, end - map_begin, PROT_READ, MAP_PRIVATE, fd, static_cast<off_t>(map_begin));
        if (mapped == MAP_FAILED) throw UserError(path + ": cannot map: " + std::strerror(errno));
        ::madvise(mapped, end - map_begin, MADV_SEQUENTIAL);
        const char* bytes = static_cast<const char*>(mapped) + (begin - map_begin);
        tbb::parallel_for(first, last, [&](std::size_t block) {
            const std::size_t offset = (block - first) * kSealBlockBytes;
            block_hashes[block] = XXH3_64bits(bytes + offset, std::min(kSealBlockBytes, end - begin - offset));
        });
        ::munmap(mapped, end - map_begin);
    }
    digest.hash = XXH3_64bits(block_hashes.data(), block_hashes.size() * sizeof(XXH64_hash_t));
    return digest;
}

}  // namespace

void mark_unsealed(const std::string& path) {
    write_user_block(path, std::string(kMagic) + "seal: none\n");
}

void seal_recording(const std::string& path) {
    Digest digest;
    {
        FileDescriptor file(path, O_RDONLY);
        digest = hash_after_user_block(file.get(), path);
    }
    write_user_block(
        path, fmt::format("{}seal: xxh3-64-tree-4m {:016x}\nsealed-bytes: {}\n", kMagic, digest.hash, digest.bytes));
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
    if (std::sscanf(seal, "seal: xxh3-64-tree-4m %16llx\nsealed-bytes: %llu\n", &expected_hash, &expected_bytes) != 2)
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
        throw UserError(fmt::format("{}: checksum mismatch: xxh3-64-tree-4m {:016x}, the seal says {:016x}: {}", path,
                                    digest.hash, expected_hash, advice));
    return SealState::kIntact;
}

std::string content_hash(const std::string& path) {
    FileDescriptor file(path, O_RDONLY);
    return fmt::format("xxh3-64-tree-4m:{:016x}", hash_after_user_block(file.get(), path).hash);
}

}  // namespace tapegrid
