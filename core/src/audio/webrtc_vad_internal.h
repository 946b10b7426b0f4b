// Internals of the WebRTC VAD port shared by its two files: fixed-point helpers, the front end's state
// and its signal processing (downsampling to 8 kHz, sub-band log energies).
//
// WebRTC computes in int16/int32 and relies on what its compilers do with them: products and sums that
// wrap modulo 2^32, narrowing to int16 modulo 2^16, arithmetic right shifts of negatives. The helpers
// below spell those out in well-defined C++ so every step rounds and wraps exactly as in WebRTC.
#pragma once

#include <cstddef>
#include <cstdint>

namespace voxclone::webrtc_vad {

// Narrowing int -> int16 keeps the low 16 bits (defined since C++20, what GCC and Clang always did);
// `>>` of a negative int is an arithmetic shift on every compiler we build with. Both are checked here
// rather than assumed silently.
static_assert(int16_t(int32_t(0x18000)) == int16_t(-32768), "int16 narrowing must wrap");
static_assert((-5 >> 1) == -3, "right shift of negatives must be arithmetic");

/// Wrapping int32 arithmetic (done in uint32, then converted back).
inline int32_t add32(int32_t a, int32_t b) { return int32_t(uint32_t(a) + uint32_t(b)); }
inline int32_t sub32(int32_t a, int32_t b) { return int32_t(uint32_t(a) - uint32_t(b)); }
inline int32_t mul32(int32_t a, int32_t b) { return int32_t(uint32_t(a) * uint32_t(b)); }
inline int32_t neg32(int32_t a) { return int32_t(0u - uint32_t(a)); }
/// a << s for any sign of a, keeping the low 32 bits as WebRTC's shifts of negatives do.
inline int32_t shl32(int32_t a, int s) { return int32_t(uint32_t(a) << s); }

/// WebRtcSpl_NormW32: left shifts that normalise a (the sign bit excluded); 0 for 0.
inline int norm_w32(int32_t a) {
  if (a == 0) return 0;
  uint32_t v = uint32_t(a < 0 ? ~a : a);
  if (v == 0) return 31;  // a == -1
  int zeros = 0;
  while (!(v & 0x40000000u)) {
    v <<= 1;
    ++zeros;
  }
  return zeros;
}

/// WebRtcSpl_NormU32: leading zero bits of a; 0 for 0.
inline int norm_u32(uint32_t a) {
  if (a == 0) return 0;
  int zeros = 0;
  while (!(a & 0x80000000u)) {
    a <<= 1;
    ++zeros;
  }
  return zeros;
}

/// WebRtcSpl_DivW32W16: C division (truncating towards zero), INT32_MAX for a zero denominator.
inline int32_t div_w32_w16(int32_t num, int16_t den) {
  if (den == 0) return INT32_MAX;
  return num / den;  // |den| >= 1, so only INT32_MIN / -1 could overflow, and WebRTC never divides so
}

constexpr int kNumChannels = 6;   // sub-bands: 80-250, 250-500, 500-1000, 1000-2000, 2000-3000, 3000-4000 Hz
constexpr int kNumGaussians = 2;  // per band and per hypothesis (noise, speech)
constexpr int kTableSize = kNumChannels * kNumGaussians;  // laid out band-major: [gaussian * 6 + band]
constexpr int kMinValues = 16;      // smallest feature values remembered per band (for the noise floor)
constexpr int16_t kMinEnergy = 10;  // a frame with less total energy is not analysed at all

/// Memory of the 48 -> 8 kHz resampler chain (WebRtcSpl_State48khzTo8khz).
struct Resampler48To8 {
  int32_t s_48_24[8] = {};
  int32_t s_24_24[16] = {};
  int32_t s_24_16[8] = {};
  int32_t s_16_8[8] = {};
};

/// The filter memories of the front end.
struct FrontEnd {
  int32_t downsampling[4] = {};  // [0..1] 16 -> 8 kHz, [2..3] 32 -> 16 kHz
  Resampler48To8 r48;
  int16_t upper[kNumChannels - 1] = {};  // split filters, one per split
  int16_t lower[kNumChannels - 1] = {};
  int16_t high_pass[4] = {};  // the 80 Hz high pass of the lowest band
};

/// WebRtcVad_Downsampling: halves the rate of n_in samples (n_in / 2 out) with two all-pass branches.
/// `state` holds two int32.
void downsample_by_2(const int16_t* in, size_t n_in, int16_t* out, int32_t* state);

/// WebRtcSpl_Resample48khzTo8khz: exactly 480 samples at 48 kHz in, 80 at 8 kHz out.
void resample_48k_to_8k(const int16_t* in, int16_t* out, Resampler48To8& state);

/// WebRtcVad_CalculateFeatures: the log energies (10*log10, Q4, plus WebRTC's per-band offsets) of the six
/// sub-bands of an 8 kHz frame of 80, 160 or 240 samples into `features`. Returns a coarse total energy
/// that only tells whether the frame exceeds kMinEnergy.
int16_t calculate_features(FrontEnd& fe, const int16_t* in, size_t n, int16_t* features);

}  // namespace voxclone::webrtc_vad
