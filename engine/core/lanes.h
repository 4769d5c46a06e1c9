// Lane vectors: L parameter combinations evaluated side by side, one per SIMD lane.
//
// Every operation on lanes is element-wise, so a combination's result does not depend on
// which lane it sits in or how many lanes run together: a single replay (L = 1) and a sweep
// (L = 8) give the same bits (the build turns floating-point contraction off).
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace tapegrid {

// GCC applies vector_size only to non-dependent typedefs, hence one pair per lane count. There
// is no single-lane type: GCC 12 lowers one-element vectors to scalars whose comparisons give
// 1 instead of -1, which breaks vector selects; a single replay runs two identical lanes.
// NOLINTBEGIN(modernize-use-using): the attribute needs the typedef form.
typedef double DoubleLanes2 __attribute__((vector_size(16)));
typedef double DoubleLanes4 __attribute__((vector_size(32)));
typedef double DoubleLanes8 __attribute__((vector_size(64)));
typedef std::int64_t MaskLanes2 __attribute__((vector_size(16)));
typedef std::int64_t MaskLanes4 __attribute__((vector_size(32)));
typedef std::int64_t MaskLanes8 __attribute__((vector_size(64)));
// NOLINTEND(modernize-use-using)

template <int L>
struct LaneTypes;
template <>
struct LaneTypes<2> {
    using Doubles = DoubleLanes2;
    using Mask = MaskLanes2;
};
template <>
struct LaneTypes<4> {
    using Doubles = DoubleLanes4;
    using Mask = MaskLanes4;
};
template <>
struct LaneTypes<8> {
    using Doubles = DoubleLanes8;
    using Mask = MaskLanes8;
};

// The widest lane count the target's registers hold. Wider vector types still compile, but GCC
// lowers them piecewise through the stack (16-byte stores read back as 32-byte loads: store-to-
// load forwarding stalls), an order of magnitude slower. Kernels run this many lanes at a time;
// lanes never affect each other, so the width changes no result, only the speed.
#if defined(__AVX512F__)
inline constexpr int kNativeLanes = 8;
#elif defined(__AVX__)
inline constexpr int kNativeLanes = 4;
#else
inline constexpr int kNativeLanes = 2;
#endif

template <int L>
struct Lanes {
    static constexpr int kCount = L;
    using Doubles = typename LaneTypes<L>::Doubles;
    using Mask = typename LaneTypes<L>::Mask;

    static Doubles splat(double value) { return Doubles{} + value; }
    static Doubles min(Doubles a, Doubles b) { return a < b ? a : b; }
    static Doubles max(Doubles a, Doubles b) { return a > b ? a : b; }
    // 1.0 where the mask is set, 0.0 elsewhere.
    static Doubles ones(Mask mask) { return mask ? splat(1.0) : splat(0.0); }
    static Mask none() { return Mask{}; }
    // Whether any lane is set: one test instruction where the CPU has one (it runs several
    // times per bar, so a lane-by-lane loop would cost more than the rules themselves).
    static bool any(Mask mask) {
#if defined(__AVX512F__)
        if constexpr (L == 8)
            return _mm512_test_epi64_mask(reinterpret_cast<__m512i>(mask), reinterpret_cast<__m512i>(mask)) != 0;
#endif
#if defined(__AVX__)
        if constexpr (L == 4)
            return !_mm256_testz_si256(reinterpret_cast<__m256i>(mask), reinterpret_cast<__m256i>(mask));
        if constexpr (L == 8) {
            const __m256i* halves = reinterpret_cast<const __m256i*>(&mask);
            const __m256i both = _mm256_or_si256(halves[0], halves[1]);
            return !_mm256_testz_si256(both, both);
        }
#endif
#if defined(__SSE4_1__)
        if constexpr (L == 2) return !_mm_testz_si128(reinterpret_cast<__m128i>(mask), reinterpret_cast<__m128i>(mask));
#endif
        std::int64_t folded = 0;
        for (int lane = 0; lane < L; ++lane) folded |= mask[lane];
        return folded != 0;
    }
};

}  // namespace tapegrid
