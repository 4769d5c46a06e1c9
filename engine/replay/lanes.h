// Lane vectors: L parameter combinations evaluated side by side, one per SIMD lane.
//
// Every operation on lanes is element-wise, so a combination's result does not depend on
// which lane it sits in or how many lanes run together: a single replay (L = 1) and a sweep
// (L = 8) give the same bits (the build turns floating-point contraction off).
#pragma once

#include <cstddef>
#include <cstdint>

namespace tapegrid {

// GCC applies vector_size only to non-dependent typedefs, hence one pair per lane count. There
// is no single-lane type: GCC 12 lowers one-element vectors to scalars whose comparisons give
// 1 instead of -1, which breaks vector selects; a single replay runs two identical lanes.
typedef double DoubleLanes2 __attribute__((vector_size(16)));
typedef double DoubleLanes4 __attribute__((vector_size(32)));
typedef double DoubleLanes8 __attribute__((vector_size(64)));
typedef std::int64_t MaskLanes2 __attribute__((vector_size(16)));
typedef std::int64_t MaskLanes4 __attribute__((vector_size(32)));
typedef std::int64_t MaskLanes8 __attribute__((vector_size(64)));

template <int L>
struct LaneTypes;
template <>
struct LaneTypes<2> { using Doubles = DoubleLanes2; using Mask = MaskLanes2; };
template <>
struct LaneTypes<4> { using Doubles = DoubleLanes4; using Mask = MaskLanes4; };
template <>
struct LaneTypes<8> { using Doubles = DoubleLanes8; using Mask = MaskLanes8; };

template <int L>
struct Lanes {
    static constexpr int kCount = L;
    using Doubles = typename LaneTypes<L>::Doubles;
    using Mask = typename LaneTypes<L>::Mask;

    static Doubles splat(double value) { return Doubles{} + value; }
    static Doubles select(Mask mask, Doubles if_true, Doubles if_false) { return mask ? if_true : if_false; }
    static Doubles min(Doubles a, Doubles b) { return a < b ? a : b; }
    static Doubles max(Doubles a, Doubles b) { return a > b ? a : b; }
    // 1.0 where the mask is set, 0.0 elsewhere.
    static Doubles ones(Mask mask) { return mask ? splat(1.0) : splat(0.0); }
    static Mask none() { return Mask{}; }
    static bool any(Mask mask) {
        for (int lane = 0; lane < L; ++lane)
            if (mask[lane] != 0) return true;
        return false;
    }
};

}  // namespace tapegrid
