// The WebRTC VAD's front end: downsampling to 8 kHz, then a tree of half-band splits into six sub-bands
// whose log energies are the detector's features. Fixed-point throughout, step for step as WebRTC.
#include <algorithm>

#include "audio/webrtc_vad_internal.h"

namespace voxclone::webrtc_vad {
namespace {

// ---- Model parameters of WebRTC's VAD front end (values as in WebRTC; they must not change). ----

// Coefficients of the 2:1 downsampler's two all-pass branches, Q13 (0.64 and 0.17).
constexpr int16_t kDownsampleAllPassQ13[2] = {5243, 1392};

// Coefficients of the split filter's all-pass branches, Q15 (the same 0.64 and 0.17).
constexpr int16_t kSplitAllPassQ15[2] = {20972, 5571};

// The 80 Hz high pass on the lowest band (a 500 Hz signal by then): numerator and denominator, Q14.
constexpr int16_t kHighPassZerosQ14[3] = {6631, -13262, 6631};
constexpr int16_t kHighPassPolesQ14[3] = {16384, -7756, 5620};

// Added to each band's log energy (Q4): undoes the halving in the split filters (band 0 first).
constexpr int16_t kBandOffset[kNumChannels] = {368, 368, 272, 176, 176, 176};

// 160 * log10(2) in Q9: converts a log2 in Q10 to 10*log10 in Q4 after a shift by 19.
constexpr int16_t kLogConstQ9 = 24660;
// log2(2^14) in Q10: the integer part of log2 of an energy normalised to 15 bits.
constexpr int16_t kLog2Of2Pow14Q10 = 14 << 10;

// Three cascaded first-order all-pass sections per polyphase branch of the 48 kHz resampler chain,
// Q14: [0] the upper branch, [1] the lower branch (WebRtcSpl's kResampleAllpass).
constexpr int16_t kResampleAllPass[2][3] = {{821, 6110, 12382}, {3050, 9368, 15063}};

// 3 -> 2 interpolation filters of the 24 -> 16 kHz step, one per output phase (Q15).
constexpr int16_t kInterpolate3To2[2][8] = {{778, -2050, 1087, 23285, 12903, -3783, 441, 222},
                                            {222, 441, -3783, 12903, 23285, 1087, -2050, 778}};

// ---- Resampling 48 -> 8 kHz (WebRtcSpl's resample_48khz.c, resample_by_2_internal.c, resample_fractional.c)

// One branch of the resampler's all-pass chains: three sections with memories s[0..3], input x in the
// signal's Q15-shifted domain. The first section rounds its scaled difference; the other two shift it
// down and add one when negative (nearly truncation towards zero, but not for exact negative multiples
// of 2^14: kept). Returns s[3], the branch output. WebRTC lets these sums wrap: so do we.
int32_t all_pass_chain(int32_t x, int32_t* s, const int16_t* coef) {
  int32_t diff = sub32(x, s[1]);
  diff = add32(diff, 1 << 13) >> 14;
  const int32_t t1 = add32(s[0], mul32(diff, coef[0]));
  s[0] = x;
  diff = sub32(t1, s[2]) >> 14;
  if (diff < 0) diff += 1;
  const int32_t t0 = add32(s[1], mul32(diff, coef[1]));
  s[1] = t1;
  diff = sub32(t0, s[3]) >> 14;
  if (diff < 0) diff += 1;
  s[3] = add32(s[2], mul32(diff, coef[2]));
  s[2] = t0;
  return s[3];
}

// int16 sample to the resampler's domain: shifted 15 left, plus half an LSB.
int32_t to_q15(int16_t x) { return add32(shl32(x, 15), 1 << 14); }

// WebRtcSpl_DownBy2ShortToInt: n int16 in, n/2 int32 out (Q15-shifted). state: 8 int32.
void down_by_2_short_to_int(const int16_t* in, size_t n, int32_t* out, int32_t* state) {
  const size_t half = n / 2;
  for (size_t i = 0; i < half; ++i)
    out[i] = all_pass_chain(to_q15(in[2 * i]), state, kResampleAllPass[1]) >> 1;
  for (size_t i = 0; i < half; ++i)
    out[i] = add32(out[i], all_pass_chain(to_q15(in[2 * i + 1]), state + 4, kResampleAllPass[0]) >> 1);
}

// WebRtcSpl_LPBy2IntToInt: a half-band low pass keeping the rate, n int32 in and out. state: 16 int32.
// The even outputs come from the odd inputs delayed by one sample (the delay element is state[12], the
// previous odd input) and the even inputs; the odd outputs from the even and the odd inputs.
void low_pass_by_2_int(const int32_t* in, size_t n, int32_t* out, int32_t* state) {
  const size_t half = n / 2;
  int32_t delayed = state[12];
  for (size_t i = 0; i < half; ++i) {
    out[2 * i] = all_pass_chain(delayed, state, kResampleAllPass[1]) >> 1;
    delayed = in[2 * i + 1];
  }
  for (size_t i = 0; i < half; ++i) {
    const int32_t upper = all_pass_chain(in[2 * i], state + 4, kResampleAllPass[0]) >> 1;
    out[2 * i] = add32(out[2 * i], upper) >> 15;
  }
  for (size_t i = 0; i < half; ++i)
    out[2 * i + 1] = all_pass_chain(in[2 * i], state + 8, kResampleAllPass[1]) >> 1;
  for (size_t i = 0; i < half; ++i) {
    const int32_t upper = all_pass_chain(in[2 * i + 1], state + 12, kResampleAllPass[0]) >> 1;
    out[2 * i + 1] = add32(out[2 * i + 1], upper) >> 15;
  }
}

// WebRtcSpl_Resample48khzTo32khz: every 3 inputs give 2 outputs (Q15-shifted, plus half), reading 8
// inputs per output; `in` holds 3 * blocks + 6 values (the first 8 carried over from the last call).
void interpolate_3_to_2(const int32_t* in, int32_t* out, size_t blocks) {
  for (size_t m = 0; m < blocks; ++m, in += 3, out += 2) {
    int32_t even = 1 << 14, odd = 1 << 14;
    for (int j = 0; j < 8; ++j) {
      even = add32(even, mul32(kInterpolate3To2[0][j], in[j]));
      odd = add32(odd, mul32(kInterpolate3To2[1][j], in[j + 1]));
    }
    out[0] = even;
    out[1] = odd;
  }
}

// WebRtcSpl_DownBy2IntToShort: n Q15-shifted int32 in, n/2 saturated int16 out. state: 8 int32.
void down_by_2_int_to_short(const int32_t* in, size_t n, int16_t* out, int32_t* state) {
  const size_t half = n / 2;
  int32_t even[120], odd[120];  // half <= 80 here
  for (size_t i = 0; i < half; ++i) even[i] = all_pass_chain(in[2 * i], state, kResampleAllPass[1]) >> 1;
  for (size_t i = 0; i < half; ++i)
    odd[i] = all_pass_chain(in[2 * i + 1], state + 4, kResampleAllPass[0]) >> 1;
  for (size_t i = 0; i < half; ++i)
    out[i] = int16_t(std::clamp<int32_t>(add32(even[i], odd[i]) >> 15, INT16_MIN, INT16_MAX));
}

// ---- The sub-band filter bank (WebRTC vad_filterbank.c) ----

// WebRTC's first-order all-pass on every other sample of `in` (n outputs), state in Q(-1).
void all_pass_every_other(const int16_t* in, size_t n, int16_t coef, int16_t* state, int16_t* out) {
  int32_t state32 = shl32(*state, 16);  // Q15
  for (size_t i = 0; i < n; ++i, in += 2) {
    const int32_t y = add32(state32, coef * *in);
    const int16_t y16 = int16_t(y >> 16);  // Q(-1)
    out[i] = y16;
    state32 = sub32(shl32(*in, 14), coef * y16);  // Q14
    state32 = shl32(state32, 1);                  // Q15
  }
  *state = int16_t(state32 >> 16);
}

// Splits n samples into the upper and lower half bands, n/2 samples each, both halved in amplitude.
void split_filter(const int16_t* in, size_t n, int16_t* upper_state, int16_t* lower_state, int16_t* hp_out,
                  int16_t* lp_out) {
  const size_t half = n / 2;
  all_pass_every_other(in, half, kSplitAllPassQ15[0], upper_state, hp_out);
  all_pass_every_other(in + 1, half, kSplitAllPassQ15[1], lower_state, lp_out);
  for (size_t i = 0; i < half; ++i) {
    const int16_t upper = hp_out[i];
    hp_out[i] = int16_t(hp_out[i] - lp_out[i]);
    lp_out[i] = int16_t(lp_out[i] + upper);
  }
}

// Second-order 80 Hz high pass (direct form I in Q14); state: x[-1], x[-2], y[-1], y[-2].
void high_pass(const int16_t* in, size_t n, int16_t* state, int16_t* out) {
  for (size_t i = 0; i < n; ++i) {
    int32_t acc = kHighPassZerosQ14[0] * in[i];
    acc += kHighPassZerosQ14[1] * state[0];
    acc += kHighPassZerosQ14[2] * state[1];
    state[1] = state[0];
    state[0] = in[i];
    acc -= kHighPassPolesQ14[1] * state[2];
    acc -= kHighPassPolesQ14[2] * state[3];
    state[3] = state[2];
    state[2] = int16_t(acc >> 14);
    out[i] = state[2];
  }
}

// WebRtcSpl_GetSizeInBits: bits needed for n (0 for 0).
int size_in_bits(uint32_t n) {
  int bits = 0;
  while (n) {
    ++bits;
    n >>= 1;
  }
  return bits;
}

// WebRtcSpl_Energy: the sum of squares, each square shifted right by `*scaling`, chosen from the peak
// so that n squares fit in 31 bits. The peak is an int16 |x|, so |-32768| wraps to -32768 and never
// counts as the peak: kept, as it is what WebRTC does.
int32_t energy(const int16_t* x, size_t n, int* scaling) {
  int16_t peak = -1;
  for (size_t i = 0; i < n; ++i) peak = std::max(peak, int16_t(x[i] > 0 ? x[i] : -x[i]));
  int shift = 0;
  if (peak != 0) {
    const int nbits = size_in_bits(uint32_t(n));
    const int headroom = norm_w32(peak * peak);
    shift = headroom > nbits ? 0 : nbits - headroom;
  }
  int32_t sum = 0;
  for (size_t i = 0; i < n; ++i) sum = add32(sum, (x[i] * x[i]) >> shift);
  *scaling = shift;
  return sum;
}

// 10*log10 of the energy of n samples in Q4 plus `offset`, into *log_energy. While the frame's
// *total_energy has not passed kMinEnergy, it is raised by this band's energy (a coarse, wrap-safe
// estimate only used as a gate).
void log_of_energy(const int16_t* in, size_t n, int16_t offset, int16_t* total_energy, int16_t* log_energy) {
  int tot_rshifts = 0;
  uint32_t e = uint32_t(energy(in, n, &tot_rshifts));
  if (e == 0) {
    *log_energy = offset;
    return;
  }
  // Normalise to 15 bits (17 leading zeros); tot_rshifts then says e is in Q(-tot_rshifts).
  const int normalizing_rshifts = 17 - norm_u32(e);
  tot_rshifts += normalizing_rshifts;
  e = normalizing_rshifts < 0 ? e << -normalizing_rshifts : e >> normalizing_rshifts;

  // log2(e) in Q10 ~= 14 + (fraction above 2^14) / 2^14, the fraction's top 10 bits as is.
  const int16_t log2_energy = int16_t(kLog2Of2Pow14Q10 + int16_t((e & 0x3FFF) >> 4));
  // 10*log10(true energy) in Q4 = kLogConst * (log2(e) + tot_rshifts), with the Q-shifts of each term.
  *log_energy = int16_t(((kLogConstQ9 * log2_energy) >> 19) + ((int16_t(tot_rshifts) * kLogConstQ9) >> 9));
  if (*log_energy < 0) *log_energy = 0;
  *log_energy = int16_t(*log_energy + offset);

  if (*total_energy <= kMinEnergy) {
    if (tot_rshifts >= 0) {
      // The energy is at least 2^14 here, far above kMinEnergy: any increment that passes it will do.
      *total_energy = int16_t(*total_energy + kMinEnergy + 1);
    } else {
      *total_energy = int16_t(*total_energy + int16_t(e >> -tot_rshifts));
    }
  }
}

}  // namespace

void downsample_by_2(const int16_t* in, size_t n_in, int16_t* out, int32_t* state) {
  int32_t upper = state[0], lower = state[1];  // Q0 memories of the two all-pass branches
  for (size_t i = 0; i < n_in / 2; ++i) {
    const int16_t y1 = int16_t((upper >> 1) + ((kDownsampleAllPassQ13[0] * *in) >> 14));
    upper = int32_t(*in++) - ((kDownsampleAllPassQ13[0] * y1) >> 12);
    const int16_t y2 = int16_t((lower >> 1) + ((kDownsampleAllPassQ13[1] * *in) >> 14));
    lower = int32_t(*in++) - ((kDownsampleAllPassQ13[1] * y2) >> 12);
    out[i] = int16_t(y1 + y2);
  }
  state[0] = upper;
  state[1] = lower;
}

void resample_48k_to_8k(const int16_t* in, int16_t* out, Resampler48To8& st) {
  int32_t rate24[240];
  down_by_2_short_to_int(in, 480, rate24, st.s_48_24);
  // The 3:2 step reads 8 values of history before the 240 new ones: the last 8 of the previous call.
  int32_t history_and_lp[8 + 240];
  std::copy(st.s_24_16, st.s_24_16 + 8, history_and_lp);
  low_pass_by_2_int(rate24, 240, history_and_lp + 8, st.s_24_24);
  std::copy(history_and_lp + 240, history_and_lp + 248, st.s_24_16);
  int32_t rate16[160];
  interpolate_3_to_2(history_and_lp, rate16, 80);
  down_by_2_int_to_short(rate16, 160, out, st.s_16_8);
}

int16_t calculate_features(FrontEnd& fe, const int16_t* in, size_t n, int16_t* features) {
  // n is 80, 160 or 240 (10, 20, 30 ms at 8 kHz): at most 120 samples after one split, 60 after two.
  int16_t hp_120[120], lp_120[120], hp_60[60], lp_60[60];
  int16_t total_energy = 0;
  const size_t half = n / 2;
  const size_t quarter = half / 2;
  const size_t eighth = quarter / 2;
  const size_t sixteenth = eighth / 2;

  // 0-4000 Hz -> 2000-4000 (hp_120) and 0-2000 (lp_120).
  split_filter(in, n, &fe.upper[0], &fe.lower[0], hp_120, lp_120);
  // 2000-4000 -> 3000-4000 (band 5) and 2000-3000 (band 4).
  split_filter(hp_120, half, &fe.upper[1], &fe.lower[1], hp_60, lp_60);
  log_of_energy(hp_60, quarter, kBandOffset[5], &total_energy, &features[5]);
  log_of_energy(lp_60, quarter, kBandOffset[4], &total_energy, &features[4]);
  // 0-2000 -> 1000-2000 (band 3) and 0-1000.
  split_filter(lp_120, half, &fe.upper[2], &fe.lower[2], hp_60, lp_60);
  log_of_energy(hp_60, quarter, kBandOffset[3], &total_energy, &features[3]);
  // 0-1000 -> 500-1000 (band 2) and 0-500.
  split_filter(lp_60, quarter, &fe.upper[3], &fe.lower[3], hp_120, lp_120);
  log_of_energy(hp_120, eighth, kBandOffset[2], &total_energy, &features[2]);
  // 0-500 -> 250-500 (band 1) and 0-250, of which 80-250 Hz (band 0) after the high pass.
  split_filter(lp_120, eighth, &fe.upper[4], &fe.lower[4], hp_60, lp_60);
  log_of_energy(hp_60, sixteenth, kBandOffset[1], &total_energy, &features[1]);
  high_pass(lp_60, sixteenth, fe.high_pass, hp_120);
  log_of_energy(hp_120, sixteenth, kBandOffset[0], &total_energy, &features[0]);
  return total_energy;
}

}  // namespace voxclone::webrtc_vad
