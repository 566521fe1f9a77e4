// Which vector instructions the float32 loops of this folder may use on this CPU. The library is
// built for baseline x86-64, whose vectors are SSE2's 4 floats; the loops that pay for it (the
// exp and log1p of float_math.hpp, one polynomial per value) are compiled a second and third time,
// for AVX2 + FMA (8 floats) and AVX-512 (16), and the widest this CPU has is used (Note [vector
// width]). A row gives the same bits wherever it starts, so results stay independent of the thread
// count; they differ in the last bits from one instruction set to another (FMA rounds once).
#pragma once

namespace lg::kernel::fast {

enum class VectorIsa { baseline, avx2, avx512 };

// The widest of the three this CPU runs, lowered by LATENTGEO_VECTOR_ISA=avx2 or =baseline (read once).
VectorIsa vector_isa();
// Whether this CPU runs code built for `isa` (what the tests run the variants on).
bool cpu_has(VectorIsa isa);
// "baseline", "avx2" or "avx512".
const char* vector_isa_name(VectorIsa isa);

}  // namespace lg::kernel::fast
