// 16-float vectors (GCC vector extensions) and the elementwise functions the hand-written kernels need
// (WaveRNN's sample loop, the packed LSTM). Everything is `static inline` and no library header is included:
// a file compiled with -mavx512f (or a function with a target attribute) gets its own copy for its ISA,
// never one merged with a copy built for another.
#pragma once

#include <stdint.h>

namespace voxclone::simd {

typedef float v16 __attribute__((vector_size(64)));
typedef int32_t v16i __attribute__((vector_size(64)));

static inline __attribute__((always_inline)) v16 splat(float x) { return v16{} + x; }
static inline __attribute__((always_inline)) v16 load(const float* p) {
  v16 v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}
static inline __attribute__((always_inline)) void store(float* p, v16 v) { __builtin_memcpy(p, &v, sizeof v); }
/// Partial loads/stores for the last columns of a row (n < 16 floats; the rest of the vector is zero).
static inline __attribute__((always_inline)) v16 load_n(const float* p, int n) {
  v16 v = v16{};
  __builtin_memcpy(&v, p, size_t(n) * sizeof(float));
  return v;
}
static inline __attribute__((always_inline)) void store_n(float* p, v16 v, int n) { __builtin_memcpy(p, &v, size_t(n) * sizeof(float)); }

/// exp with Cephes' single-precision polynomial (relative error about 2e-7) on [-87, 88].
static inline __attribute__((always_inline)) v16 vexp(v16 x) {
  const v16 lo = splat(-87.0f), hi = splat(88.0f);
  x = x < lo ? lo : x;
  x = x > hi ? hi : x;
  const v16 shifter = splat(12582912.0f);  // 1.5 * 2^23: adding it rounds to an integer
  const v16 n = (x * 1.44269504088896341f + shifter) - shifter;
  v16 r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  v16 p = splat(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const v16 y = p * r * r + r + 1.0f;
  const v16i bits = (__builtin_convertvector(n, v16i) + 127) << 23;
  v16 scale;
  __builtin_memcpy(&scale, &bits, sizeof scale);
  return y * scale;
}
static inline __attribute__((always_inline)) v16 vsigmoid(v16 x) { return 1.0f / (1.0f + vexp(-x)); }
static inline __attribute__((always_inline)) v16 vtanh(v16 x) { return 2.0f / (1.0f + vexp(-2.0f * x)) - 1.0f; }
static inline __attribute__((always_inline)) v16 vrelu(v16 x) { return x > 0.0f ? x : v16{}; }

}  // namespace voxclone::simd
