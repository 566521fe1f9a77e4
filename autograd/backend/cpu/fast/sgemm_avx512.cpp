// latentgeo's own float32 GEMM, AVX-512 (Note [own sgemm]). Built with AVX-512 flags (CMakeLists.txt);
// fast::gemm calls it only after sgemm_available() said yes.
//
// The classic blocked GEMM (Goto and van de Geijn; BLIS's five loops). The product is cut into
// blocks that live in the caches, each block copied ("packed") once into the order the innermost
// kernel reads, and that kernel keeps a 12 x 32 tile of C in 24 vector registers while it runs
// down the shared dimension:
//
//   for each kNc-wide column block of B and C       (B's packed block stays in L3/L2)
//     for each kKc-deep slice of the shared dimension: pack B[slice, block] into 32-column panels
//       for each kMc-high row block of A and C: pack A[block, slice] into 12-row panels (in L2)
//         for each 32-column panel, each 12-row panel: C tile += A panel B panel (micro_kernel)
//
// Every element of C sums its products in the same order (slice by slice, p ascending inside a
// slice) wherever its tile lies, so a product split among threads gives the same bits.
#include <immintrin.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <new>
#include <utility>

#include "autograd/backend/cpu/fast/sgemm.hpp"

// GCC 12's _mm512_undefined_ps, used inside the shuffle intrinsics, initialises a value with itself,
// and -Wuninitialized reports that at every inlined use (GCC bug 105593); the value is never read.
#pragma GCC diagnostic ignored "-Wuninitialized"

namespace lg::kernel::fast {
namespace {

constexpr std::int64_t kMr = 12;   // rows of a C tile: one broadcast of A each
constexpr std::int64_t kNr = 32;   // columns of a C tile: two 16-float vectors of B
constexpr std::int64_t kKc = 384;  // depth of a slice: a packed B panel, kKc x kNr, is 48 KiB
constexpr std::int64_t kMc = 144;  // rows of a packed A block, kMc x kKc: 216 KiB, in L2
constexpr std::int64_t kNc = 3072;  // columns of a packed B block, kKc x kNc: 4.5 MiB

// Packing buffers, one pair per thread, kept between calls (64-byte aligned for vector loads).
struct FreeAligned {
  void operator()(float* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<float[], FreeAligned>;

float* thread_buffer(Buffer& buffer, std::int64_t& capacity, std::int64_t floats) {
  if (floats > capacity) {
    const std::size_t bytes = (static_cast<std::size_t>(floats) * sizeof(float) + 63) / 64 * 64;
    Buffer larger(static_cast<float*>(std::aligned_alloc(64, bytes)));
    if (!larger) throw std::bad_alloc();  // the old buffer and its capacity stay as they were
    buffer = std::move(larger);
    capacity = floats;
  }
  return buffer.get();
}

// The first `count` lanes of a 16-lane vector (none when count <= 0, all when count >= 16).
__mmask16 low_lanes(std::int64_t count) {
  return count >= 16 ? __mmask16(0xFFFF) : count <= 0 ? __mmask16(0) : __mmask16((1u << count) - 1);
}

// Transposes a 16 x 16 block held in 16 vectors: afterwards v[j] lane i is what v[i] lane j was.
// Three rounds of shuffles: pairs of floats, pairs of pairs, then 128-bit lanes.
void transpose16(__m512 (&v)[16]) {
  __m512 t[16], u[16];
  for (int i = 0; i < 16; i += 2) {
    t[i] = _mm512_unpacklo_ps(v[i], v[i + 1]);
    t[i + 1] = _mm512_unpackhi_ps(v[i], v[i + 1]);
  }
  const auto low_pairs = [](__m512 x, __m512 y) {
    return _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(x), _mm512_castps_pd(y)));
  };
  const auto high_pairs = [](__m512 x, __m512 y) {
    return _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(x), _mm512_castps_pd(y)));
  };
  for (int g = 0; g < 16; g += 4) {  // u[g + e], lane L: rows g .. g + 3 at column 4 L + e
    u[g] = low_pairs(t[g], t[g + 2]);
    u[g + 1] = high_pairs(t[g], t[g + 2]);
    u[g + 2] = low_pairs(t[g + 1], t[g + 3]);
    u[g + 3] = high_pairs(t[g + 1], t[g + 3]);
  }
  for (int e = 0; e < 4; ++e) {
    const __m512 w0 = _mm512_shuffle_f32x4(u[e], u[4 + e], 0x44), w1 = _mm512_shuffle_f32x4(u[e], u[4 + e], 0xEE);
    const __m512 w2 = _mm512_shuffle_f32x4(u[8 + e], u[12 + e], 0x44);
    const __m512 w3 = _mm512_shuffle_f32x4(u[8 + e], u[12 + e], 0xEE);
    v[e] = _mm512_shuffle_f32x4(w0, w2, 0x88);
    v[4 + e] = _mm512_shuffle_f32x4(w0, w2, 0xDD);
    v[8 + e] = _mm512_shuffle_f32x4(w1, w3, 0x88);
    v[12 + e] = _mm512_shuffle_f32x4(w1, w3, 0xDD);
  }
}

// Packing a panel whose values lie along p in memory (rows of A, columns of a transposed B) is a
// transpose: `lines` (<= 16) runs of `depth` values, run l at from + l stride, go to to[p step + l],
// 16 x 16 blocks at a time. Lanes past `lines` are written as zeros, `width` (<= 16) of them per p.
void pack_transposed(const float* from, std::int64_t stride, std::int64_t lines, std::int64_t depth, float* to,
                     std::int64_t step, std::int64_t width) {
  const __mmask16 store = low_lanes(width);
  for (std::int64_t p = 0; p < depth; p += 16) {
    const std::int64_t count = std::min<std::int64_t>(16, depth - p);
    const __mmask16 load = low_lanes(count);
    __m512 v[16];
    for (int l = 0; l < 16; ++l) v[l] = l < lines ? _mm512_maskz_loadu_ps(load, from + l * stride + p) : _mm512_setzero_ps();
    transpose16(v);
    for (std::int64_t q = 0; q < count; ++q) _mm512_mask_storeu_ps(to + (p + q) * step, store, v[q]);
  }
}

// Packs op(A)[i0 .. i0 + rows, p0 .. p0 + depth) as 12-row panels: panel q holds rows 12 q .. 12 q + 11,
// element (r, p) at q 12 depth + p 12 + r. Rows past the end are zeros.
void pack_a(bool transpose, const float* a, std::int64_t lda, std::int64_t i0, std::int64_t rows, std::int64_t p0,
            std::int64_t depth, float* __restrict packed) {
  for (std::int64_t first = 0; first < rows; first += kMr, packed += kMr * depth) {
    const std::int64_t count = std::min(kMr, rows - first);
    if (!transpose) {  // op(A) rows are A's rows, contiguous along p
      pack_transposed(a + (i0 + first) * lda + p0, lda, count, depth, packed, kMr, kMr);
      continue;
    }
    for (std::int64_t p = 0; p < depth; ++p) {  // op(A) row i is A's column i: 12 neighbours per p
      const float* from = a + (p0 + p) * lda + i0 + first;
      float* to = packed + p * kMr;
      for (std::int64_t r = 0; r < count; ++r) to[r] = from[r];
      for (std::int64_t r = count; r < kMr; ++r) to[r] = 0.0f;
    }
  }
}

// Packs op(B)[p0 .. p0 + depth, j0 .. j0 + cols) as 32-column panels: panel q holds columns
// 32 q .. 32 q + 31, element (p, c) at q 32 depth + p 32 + c. Columns past the end are zeros.
void pack_b(bool transpose, const float* b, std::int64_t ldb, std::int64_t p0, std::int64_t depth, std::int64_t j0,
            std::int64_t cols, float* __restrict packed) {
  for (std::int64_t first = 0; first < cols; first += kNr, packed += kNr * depth) {
    const std::int64_t count = std::min(kNr, cols - first);
    if (transpose) {  // op(B) column j is B's row j, contiguous along p: two 16-column halves
      for (std::int64_t half = 0; half < kNr; half += 16)
        pack_transposed(b + (j0 + first + half) * ldb + p0, ldb, std::clamp<std::int64_t>(count - half, 0, 16),
                        depth, packed + half, kNr, 16);
      continue;
    }
    const __mmask16 low = low_lanes(count), high = low_lanes(count - 16);  // a row of op(B) is contiguous
    for (std::int64_t p = 0; p < depth; ++p) {
      const float* from = b + (p0 + p) * ldb + j0 + first;
      _mm512_store_ps(packed + p * kNr, _mm512_maskz_loadu_ps(low, from));
      _mm512_store_ps(packed + p * kNr + 16, _mm512_maskz_loadu_ps(high, from + 16));
    }
  }
}

// C tile [rows, cols] (rows <= kRows, cols <= 16 kVectors) = (accumulate ? C tile : 0) + A panel B
// panel. The full tile is <12, 2>; the narrower ones serve the edges of C, so that the last tile of a
// 64-row product (4 rows) or of a 196-column one (4 columns) does not do a full tile's arithmetic.
template <int kRows, int kVectors>
void micro_kernel(std::int64_t depth, const float* __restrict a, const float* __restrict b, float* c,
                  std::int64_t ldc, std::int64_t rows, std::int64_t cols, bool accumulate) {
  __m512 sum[kRows][kVectors];
#pragma GCC unroll 12
  for (int r = 0; r < kRows; ++r)
#pragma GCC unroll 2
    for (int v = 0; v < kVectors; ++v) sum[r][v] = _mm512_setzero_ps();
  for (std::int64_t p = 0; p < depth; ++p, a += kMr, b += kNr) {
    __m512 column[kVectors];
#pragma GCC unroll 2
    for (int v = 0; v < kVectors; ++v) column[v] = _mm512_load_ps(b + 16 * v);
#pragma GCC unroll 12
    for (int r = 0; r < kRows; ++r) {
      const __m512 x = _mm512_set1_ps(a[r]);
#pragma GCC unroll 2
      for (int v = 0; v < kVectors; ++v) sum[r][v] = _mm512_fmadd_ps(x, column[v], sum[r][v]);
    }
  }
  __mmask16 lanes[kVectors];
#pragma GCC unroll 2
  for (int v = 0; v < kVectors; ++v) lanes[v] = low_lanes(cols - 16 * v);
#pragma GCC unroll 12
  for (int r = 0; r < kRows; ++r) {
    if (r >= rows) break;
    float* row = c + r * ldc;
#pragma GCC unroll 2
    for (int v = 0; v < kVectors; ++v) {
      if (accumulate) sum[r][v] = _mm512_add_ps(sum[r][v], _mm512_maskz_loadu_ps(lanes[v], row + 16 * v));
      _mm512_mask_storeu_ps(row + 16 * v, lanes[v], sum[r][v]);
    }
  }
}

// The smallest tile that covers [rows, cols].
void tile(std::int64_t depth, const float* a, const float* b, float* c, std::int64_t ldc, std::int64_t rows,
          std::int64_t cols, bool accumulate) {
  if (cols > 16) {
    if (rows > 8) return micro_kernel<12, 2>(depth, a, b, c, ldc, rows, cols, accumulate);
    if (rows > 4) return micro_kernel<8, 2>(depth, a, b, c, ldc, rows, cols, accumulate);
    return micro_kernel<4, 2>(depth, a, b, c, ldc, rows, cols, accumulate);
  }
  if (rows > 8) return micro_kernel<12, 1>(depth, a, b, c, ldc, rows, cols, accumulate);
  if (rows > 4) return micro_kernel<8, 1>(depth, a, b, c, ldc, rows, cols, accumulate);
  micro_kernel<4, 1>(depth, a, b, c, ldc, rows, cols, accumulate);
}

}  // namespace

void sgemm(bool transpose_a, bool transpose_b, std::int64_t m, std::int64_t n, std::int64_t k, const float* a,
           std::int64_t lda, const float* b, std::int64_t ldb, bool accumulate, float* c, std::int64_t ldc) {
  thread_local Buffer a_buffer, b_buffer;
  thread_local std::int64_t a_capacity = 0, b_capacity = 0;
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate)
      for (std::int64_t i = 0; i < m; ++i) std::fill_n(c + i * ldc, n, 0.0f);
    return;
  }
  const std::int64_t column_block = std::min(kNc, n), slice = std::min(kKc, k), row_block = std::min(kMc, m);
  float* packed_b = thread_buffer(b_buffer, b_capacity, (column_block + kNr - 1) / kNr * kNr * slice);
  float* packed_a = thread_buffer(a_buffer, a_capacity, (row_block + kMr - 1) / kMr * kMr * slice);
  for (std::int64_t j0 = 0; j0 < n; j0 += kNc) {
    const std::int64_t cols = std::min(kNc, n - j0);
    for (std::int64_t p0 = 0; p0 < k; p0 += kKc) {
      const std::int64_t depth = std::min(kKc, k - p0);
      const bool add = accumulate || p0 > 0;  // later slices add to what the earlier ones wrote
      pack_b(transpose_b, b, ldb, p0, depth, j0, cols, packed_b);
      for (std::int64_t i0 = 0; i0 < m; i0 += kMc) {
        const std::int64_t rows = std::min(kMc, m - i0);
        pack_a(transpose_a, a, lda, i0, rows, p0, depth, packed_a);
        for (std::int64_t jr = 0; jr < cols; jr += kNr)
          for (std::int64_t ir = 0; ir < rows; ir += kMr)
            tile(depth, packed_a + ir * depth, packed_b + jr * depth, c + (i0 + ir) * ldc + j0 + jr, ldc,
                 std::min(kMr, rows - ir), std::min(kNr, cols - jr), add);
      }
    }
  }
}

}  // namespace lg::kernel::fast
