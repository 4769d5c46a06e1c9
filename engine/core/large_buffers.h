// Large column buffers: backed by transparent huge pages where the kernel offers them.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tapegrid {

// Buffers from this size on ask for huge pages: a 400 MB indicator series or column then takes
// a few hundred page faults instead of 100,000 (each fault clears its page: in a 50-million-bar
// sweep the faults of 4 KiB pages cost more than the series' arithmetic).
inline constexpr std::size_t kHugePageAdviceBytes = std::size_t{4} << 20;

// Advises huge pages for the whole 2 MiB pages inside [data, data + bytes), before they are
// first touched (a hint: a kernel without THP, or with it off, ignores it).
inline void advise_huge_pages(void* data, std::size_t bytes) {
    if (bytes < kHugePageAdviceBytes) return;
    constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
    const auto address = reinterpret_cast<std::uintptr_t>(data);
    const std::uintptr_t skip = (kHuge - address % kHuge) % kHuge;  // to the first whole huge page
    if (bytes <= skip) return;
    const std::size_t length = (bytes - skip) / kHuge * kHuge;
    if (length > 0) ::madvise(static_cast<char*>(data) + skip, length, MADV_HUGEPAGE);
}

// A vector of `count` value-initialised elements whose storage was advised huge pages before
// the zero-fill touched it.
template <class T>
std::vector<T> large_vector(std::size_t count) {
    std::vector<T> values;
    values.reserve(count);
    advise_huge_pages(values.data(), count * sizeof(T));
    values.resize(count);
    return values;
}

}  // namespace tapegrid
