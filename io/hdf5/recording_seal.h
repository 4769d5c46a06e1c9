// The seal: a checksum of a finished recording's bytes, kept in the file's HDF5 user block.
//
// HDF5 checksums its superblock and object headers, but not the B-tree nodes of a chunk
// index or the global heap, and a corrupted one of those can crash the library itself.
// A finished recording is therefore sealed: the 512-byte user block at the start of the file
// (which HDF5 never reads) holds an XXH3-64 hash of every byte after it, and readers verify
// it before HDF5 parses anything. A recording still being written, or one whose writer died,
// is unsealed ("seal: none") until it ends or is recovered.
#pragma once

#include <cstdint>
#include <string>

namespace tapegrid {

inline constexpr std::size_t kUserBlockBytes = 512;

// Writes the "unsealed" user block of a file just created by tapegrid.
void mark_unsealed(const std::string& path);

// Hashes the file after its user block and writes the seal. The file must be closed by HDF5.
void seal_recording(const std::string& path);

enum class SealState {
    kNone,      // no tapegrid user block: a file written by another program
    kUnsealed,  // tapegrid is writing it, or its writer died before sealing
    kIntact,    // sealed, and every byte matches
};

// Checks the seal; throws UserError naming the file when the bytes do not match the seal
// (corruption) or the file is shorter or longer than when it was sealed.
SealState verify_seal(const std::string& path);

// "xxh3-64-tree-4m:<16 hex digits>": the hash a seal holds, of the bytes after the user block,
// computed from the file as it is (sealed or not); what tells two copies of a recording apart.
std::string content_hash(const std::string& path);

}  // namespace tapegrid
