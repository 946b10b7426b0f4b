// The WebRTC VAD's decision: a likelihood-ratio test between two Gaussian mixtures (noise, speech) over
// six sub-band log energies, both mixtures adapting to the signal, plus hangover. Bit-exact with WebRTC
// as bundled by Python's webrtcvad 2.0.10 (common_audio/vad: vad_core.c, vad_gmm.c, vad_sp.c).
#include "voxclone/webrtc_vad.h"

#include <algorithm>
#include <string>

#include "audio/webrtc_vad_internal.h"
#include "voxclone/error.h"

namespace voxclone {

using namespace webrtc_vad;

namespace {

// ---- Model parameters of WebRTC's VAD (vad_core.c): values as in WebRTC, they must not change. ----
// Tables of kTableSize hold the first Gaussian of the six bands, then the second.

// Initial mixture weights (Q7), means (Q7, in the features' 10*log10 Q4 units shifted by 3) and standard
// deviations (Q7) of the noise and speech models.
constexpr int16_t kNoiseDataWeights[kTableSize] = {34, 62, 72, 66, 53, 25, 94, 66, 56, 62, 75, 103};
constexpr int16_t kSpeechDataWeights[kTableSize] = {48, 82, 45, 87, 50, 47, 80, 46, 83, 41, 78, 81};
constexpr int16_t kNoiseDataMeans[kTableSize] = {6738, 4892, 7065, 6715, 6771, 3369,
                                                 7646, 3863, 7820, 7266, 5020, 4362};
constexpr int16_t kSpeechDataMeans[kTableSize] = {8306, 10085, 10078, 11823, 11843, 6309,
                                                  9473, 9571,  10879, 7581,  8180,  7483};
constexpr int16_t kNoiseDataStds[kTableSize] = {378, 1064, 493, 582, 688, 593, 474, 697, 475, 688, 421, 455};
constexpr int16_t kSpeechDataStds[kTableSize] = {555, 505, 567, 524,  585,  1231,
                                                 509, 828, 492, 1540, 1079, 850};

// Weight of each band's log-likelihood ratio in the global test.
constexpr int16_t kSpectrumWeight[kNumChannels] = {6, 8, 10, 12, 14, 16};
// Adaptation rates: noise means (Q15), speech means (Q15), long-term noise-floor correction (Q8).
constexpr int16_t kNoiseUpdateConst = 655;
constexpr int16_t kSpeechUpdateConst = 6554;
constexpr int16_t kBackEta = 154;
// Minimum distance between the weighted speech and noise means per band (Q5).
constexpr int16_t kMinimumDifference[kNumChannels] = {544, 544, 576, 576, 576, 576};
// Upper limits of the weighted speech and noise means per band (Q7), lower limit of speech means.
constexpr int16_t kMaximumSpeech[kNumChannels] = {11392, 11392, 11520, 11520, 11520, 11520};
constexpr int16_t kMaximumNoise[kNumChannels] = {9216, 9088, 8960, 8832, 8704, 8576};
constexpr int16_t kMinimumMean[kNumGaussians] = {640, 768};
// The speech-mean limit of band 0 (Q7, before the +640 margin): the later bands use their predecessor's
// kMaximumSpeech, as in WebRTC.
constexpr int16_t kFirstMaximumSpeech = 12800;
constexpr int16_t kMaximumSpeechMargin = 640;
constexpr int16_t kMinStd = 384;            // floor of every standard deviation (Q7)
constexpr int16_t kMaxSpeechFrames = 6;     // speech frames in a row that select the longer hangover
constexpr int16_t kProbabilityOne = 16384;  // 1 in Q14, the conditional probabilities' scale

// Per-mode thresholds, each for frames of 10, 20 and 30 ms: hangover after a short and after a long
// run of speech (frames), the per-band test on the log-likelihood ratio and the global weighted test.
struct ModeThresholds {
  int16_t over_hang_max_1[3], over_hang_max_2[3], individual[3], total[3];
};
constexpr ModeThresholds kModes[4] = {
    {{8, 4, 3}, {14, 7, 5}, {24, 21, 24}, {57, 48, 57}},        // 0: quality
    {{8, 4, 3}, {14, 7, 5}, {37, 32, 37}, {100, 80, 100}},      // 1: low bitrate
    {{6, 3, 2}, {9, 5, 3}, {82, 78, 82}, {285, 260, 285}},      // 2: aggressive
    {{6, 3, 2}, {9, 5, 3}, {94, 94, 94}, {1100, 1050, 1100}}};  // 3: very aggressive
constexpr int kDefaultMode = 0;  // what WebRTC's init sets before webrtcvad applies the requested mode

// Gaussian evaluation (vad_gmm.c): the exponent past which the probability is taken as 0 (Q10), and
// log2(e) in Q12.
constexpr int32_t kCompVar = 22005;
constexpr int16_t kLog2Exp = 5909;

// Noise-floor tracking (vad_sp.c): age after which a remembered minimum is dropped (frames), the initial
// smoothed floor (Q4), the fill value of empty slots, and the smoothing factors when the floor goes
// down (0.2) and up (0.99), Q15.
constexpr int16_t kMaxAge = 100;
constexpr int16_t kInitialFloor = 1600;
constexpr int16_t kEmptyMinimum = 10000;
constexpr int16_t kSmoothingDown = 6553;
constexpr int16_t kSmoothingUp = 32439;

// Frame lengths at 8 kHz (10, 20, 30 ms) and the index of their thresholds.
int length_index(size_t n_8khz) { return n_8khz == 80 ? 0 : n_8khz == 160 ? 1 : 2; }

// (1 / s) * exp(-(x - m)^2 / (2 s^2)) in Q20 for x (Q4) and m, s (Q7); *delta = (x - m) / s^2 in Q11,
// used to adapt the model.
int32_t gaussian_probability(int16_t input, int16_t mean, int16_t std, int16_t* delta) {
  // 1 / s in Q10: Q17 / Q7, with s / 2 added to round.
  const int16_t inv_std = int16_t(div_w32_w16(131072 + (std >> 1), std));
  const int16_t inv_std_q8 = int16_t(inv_std >> 2);
  const int16_t inv_var = int16_t((inv_std_q8 * inv_std_q8) >> 2);  // 1 / s^2 in Q14
  const int16_t diff = int16_t(int16_t(shl32(input, 3)) - mean);    // x - m in Q7
  *delta = int16_t((inv_var * diff) >> 10);
  const int32_t exponent = (*delta * diff) >> 9;  // (x - m)^2 / (2 s^2) in Q10

  int16_t exp_value = 0;
  if (exponent < kCompVar) {
    // exp(-y) = 2^(-log2(e) * y): z = log2(e) * y in Q10; 2^-z = 2^-frac(z) * 2^-int(z), with
    // 2^-frac(z) approximated linearly by the Q10 value 0x400 | (-z & 0x3FF), then shifted by the
    // integer part ((z - 1) >> 10) + 1, all in WebRTC's int16 bit manipulations.
    int16_t z = int16_t((kLog2Exp * int16_t(exponent)) >> 12);
    z = int16_t(-z);
    exp_value = int16_t(0x0400 | (z & 0x03FF));
    z = int16_t(z ^ 0xFFFF);
    z = int16_t(z >> 10);
    z = int16_t(z + 1);
    exp_value = int16_t(exp_value >> z);
  }
  return inv_std * exp_value;
}

}  // namespace

// The whole detector state (WebRTC's VadInstT, less what only its C API needed).
struct WebRtcVad::State {
  FrontEnd front_end;
  int16_t noise_means[kTableSize], speech_means[kTableSize];
  int16_t noise_stds[kTableSize], speech_stds[kTableSize];
  int32_t frame_counter = 0;  // frames that passed the energy gate
  int16_t over_hang = 0;      // hangover frames left
  int16_t num_of_speech = 0;  // speech frames in a row (saturates at kMaxSpeechFrames)
  // Per band, the 16 smallest features of the last kMaxAge frames (ascending) and their ages.
  int16_t age[kMinValues * kNumChannels];
  int16_t smallest[kMinValues * kNumChannels];
  int16_t floor[kNumChannels];  // smoothed noise floor per band (WebRTC's mean_value), Q4
  ModeThresholds thresholds = kModes[kDefaultMode];

  State() {
    std::copy(std::begin(kNoiseDataMeans), std::end(kNoiseDataMeans), noise_means);
    std::copy(std::begin(kSpeechDataMeans), std::end(kSpeechDataMeans), speech_means);
    std::copy(std::begin(kNoiseDataStds), std::end(kNoiseDataStds), noise_stds);
    std::copy(std::begin(kSpeechDataStds), std::end(kSpeechDataStds), speech_stds);
    std::fill(std::begin(age), std::end(age), int16_t(0));
    std::fill(std::begin(smallest), std::end(smallest), kEmptyMinimum);
    std::fill(std::begin(floor), std::end(floor), kInitialFloor);
  }

  int16_t find_minimum(int16_t feature, int channel);
  int decide(const int16_t* features, int16_t total_power, size_t n_8khz);
  bool process_8khz(const int16_t* frame, size_t n);
};

// WebRtcVad_FindMinimum: remembers `feature` if it is among the 16 smallest of the last 100 frames, and
// returns the band's smoothed noise floor (the median of the five smallest, once three frames were seen).
int16_t WebRtcVad::State::find_minimum(int16_t feature, int channel) {
  int16_t* ages = &age[channel * kMinValues];
  int16_t* values = &smallest[channel * kMinValues];

  // Age every entry; one that reached kMaxAge leaves, the larger ones move down and an empty slot
  // (age kMaxAge + 1, value kEmptyMinimum) fills the top. The entry moved into slot i is not aged in
  // this pass, as in WebRTC.
  for (int i = 0; i < kMinValues; ++i) {
    if (ages[i] != kMaxAge) {
      ++ages[i];
    } else {
      for (int j = i; j < kMinValues - 1; ++j) {
        values[j] = values[j + 1];
        ages[j] = ages[j + 1];
      }
      ages[kMinValues - 1] = kMaxAge + 1;
      values[kMinValues - 1] = kEmptyMinimum;
    }
  }

  // Insert before the first larger value (WebRTC's binary search finds the same slot in the sorted list).
  int position = -1;
  for (int i = 0; i < kMinValues; ++i) {
    if (feature < values[i]) {
      position = i;
      break;
    }
  }
  if (position >= 0) {
    for (int i = kMinValues - 1; i > position; --i) {
      values[i] = values[i - 1];
      ages[i] = ages[i - 1];
    }
    values[position] = feature;
    ages[position] = 1;
  }

  int16_t median = kInitialFloor;
  if (frame_counter > 2) {
    median = values[2];
  } else if (frame_counter > 0) {
    median = values[0];
  }
  int16_t alpha = 0;  // Q15; 0 before the first frame: the floor then jumps to the median
  if (frame_counter > 0) alpha = median < floor[channel] ? kSmoothingDown : kSmoothingUp;
  int32_t smoothed = (alpha + 1) * floor[channel];
  smoothed += (INT16_MAX - alpha) * median;
  smoothed += 16384;
  floor[channel] = int16_t(smoothed >> 15);
  return floor[channel];
}

namespace {

// WebRTC's WeightedAverage: adds `offset` to the two Gaussians' values of one band (data points at the
// first), then returns their weighted sum.
int32_t weighted_average(int16_t* data, int16_t offset, const int16_t* weights) {
  int32_t sum = 0;
  for (int k = 0; k < kNumGaussians; ++k) {
    data[k * kNumChannels] = int16_t(data[k * kNumChannels] + offset);
    sum += data[k * kNumChannels] * weights[k * kNumChannels];
  }
  return sum;
}

// Divides a Q20 (or Q24 >> 4) update by a Q7 deviation, rounding towards zero on both signs as WebRTC
// does by dividing the magnitude.
int16_t signed_div(int32_t num, int16_t den) {
  if (num > 0) return int16_t(div_w32_w16(num, den));
  return int16_t(-int16_t(div_w32_w16(neg32(num), den)));
}

}  // namespace

// GmmProbability in vad_core.c: the decision for one frame's features, then the model update.
// Returns 0 for noise, 1 for speech, 2 + frames of hangover left when speech is held on.
int WebRtcVad::State::decide(const int16_t* features, int16_t total_power, size_t n_8khz) {
  const int li = length_index(n_8khz);
  const int16_t overhead1 = thresholds.over_hang_max_1[li], overhead2 = thresholds.over_hang_max_2[li];
  const int16_t individual_test = thresholds.individual[li], total_test = thresholds.total[li];
  int vadflag = 0;

  if (total_power > kMinEnergy) {
    int16_t delta_n[kTableSize], delta_s[kTableSize];
    int16_t ngprvec[kTableSize] = {}, sgprvec[kTableSize] = {};  // P(gaussian | noise/speech), Q14
    int32_t sum_log_likelihood_ratios = 0;

    for (int channel = 0; channel < kNumChannels; ++channel) {
      int32_t h0_test = 0, h1_test = 0;  // Q27 likelihoods of noise and speech
      int32_t noise_probability[kNumGaussians], speech_probability[kNumGaussians];
      for (int k = 0; k < kNumGaussians; ++k) {
        const int g = channel + k * kNumChannels;
        noise_probability[k] = kNoiseDataWeights[g] * gaussian_probability(features[channel], noise_means[g],
                                                                           noise_stds[g], &delta_n[g]);
        h0_test += noise_probability[k];
        speech_probability[k] =
            kSpeechDataWeights[g] *
            gaussian_probability(features[channel], speech_means[g], speech_stds[g], &delta_s[g]);
        h1_test += speech_probability[k];
      }
      // log2(h1 / h0) approximated by the difference of their normalisation shifts.
      const int shifts_h0 = h0_test == 0 ? 31 : norm_w32(h0_test);
      const int shifts_h1 = h1_test == 0 ? 31 : norm_w32(h1_test);
      const int16_t log_likelihood_ratio = int16_t(shifts_h0 - shifts_h1);
      sum_log_likelihood_ratios += log_likelihood_ratio * kSpectrumWeight[channel];
      if (log_likelihood_ratio * 4 > individual_test) vadflag = 1;  // a band alone can decide

      // Each Gaussian's share of its hypothesis' likelihood, Q14: (p0 with its low 12 bits cleared, Q29)
      // / (h >> 12, Q15). With no likelihood, noise takes Gaussian 0 and speech neither.
      const int16_t h0 = int16_t(h0_test >> 12);
      if (h0 > 0) {
        const int32_t p0 = shl32(int32_t(uint32_t(noise_probability[0]) & 0xFFFFF000u), 2);
        ngprvec[channel] = int16_t(div_w32_w16(p0, h0));
        ngprvec[channel + kNumChannels] = int16_t(kProbabilityOne - ngprvec[channel]);
      } else {
        ngprvec[channel] = kProbabilityOne;
      }
      const int16_t h1 = int16_t(h1_test >> 12);
      if (h1 > 0) {
        const int32_t p0 = shl32(int32_t(uint32_t(speech_probability[0]) & 0xFFFFF000u), 2);
        sgprvec[channel] = int16_t(div_w32_w16(p0, h1));
        sgprvec[channel + kNumChannels] = int16_t(kProbabilityOne - sgprvec[channel]);
      }
    }
    if (sum_log_likelihood_ratios >= total_test) vadflag = 1;

    // Adapt the models: noise means on noise frames, speech means on speech frames, the deviations of
    // the model that won, and always the long-term pull of the noise means towards the noise floor.
    int16_t maxspe = kFirstMaximumSpeech;
    for (int channel = 0; channel < kNumChannels; ++channel) {
      const int16_t feature_minimum = find_minimum(features[channel], channel);  // Q4
      const int16_t noise_global_q8 =
          int16_t(weighted_average(&noise_means[channel], 0, &kNoiseDataWeights[channel]) >> 6);

      for (int k = 0; k < kNumGaussians; ++k) {
        const int g = channel + k * kNumChannels;
        const int16_t nmk = noise_means[g], smk = speech_means[g];
        int16_t nsk = noise_stds[g], ssk = speech_stds[g];

        int16_t nmk2 = nmk;
        if (!vadflag) {
          // mean += rate * P(g | noise) * (x - m) / s^2: (Q14 * Q11) >> 11 = Q14, then * Q15 >> 22 = Q7.
          const int16_t delt = int16_t((ngprvec[g] * delta_n[g]) >> 11);
          nmk2 = int16_t(nmk + int16_t((delt * kNoiseUpdateConst) >> 22));
        }
        // Long-term correction towards the noise floor: (Q4 << 4) - Q8 = Q8, * Q8 >> 9 = Q7.
        const int16_t ndelt = int16_t(feature_minimum * 16 - noise_global_q8);
        int16_t nmk3 = int16_t(nmk2 + int16_t((ndelt * kBackEta) >> 9));
        // Keep the noise mean within [(k + 5), (72 + k - channel)] in Q7.
        nmk3 = std::max(nmk3, int16_t((k + 5) << 7));
        nmk3 = std::min(nmk3, int16_t((72 + k - channel) << 7));
        noise_means[g] = nmk3;

        if (vadflag) {
          // Speech mean: (Q14 * Q11) >> 11 = Q14, * Q15 >> 21 = Q8, then halved with rounding to Q7.
          const int16_t delt = int16_t((sgprvec[g] * delta_s[g]) >> 11);
          const int16_t step = int16_t((delt * kSpeechUpdateConst) >> 21);
          int16_t smk2 = int16_t(smk + ((step + 1) >> 1));
          const int16_t maxmu = int16_t(maxspe + kMaximumSpeechMargin);
          smk2 = std::max(smk2, kMinimumMean[k]);
          smk2 = std::min(smk2, maxmu);
          speech_means[g] = smk2;

          // Deviation: s += 0.025 * P(g | speech) * ((x - m) * delta - 1) * ... in WebRTC's Q-steps:
          // (Q11 * Q4) >> 3 = Q12; (Q14 >> 2) * Q12 = Q24; >> 4 = Q20; / (10 s) = Q13; >> 8 (rounded) = Q7.
          const int16_t diff_q4 = int16_t(features[channel] - int16_t((smk + 4) >> 3));
          const int32_t t = ((delta_s[g] * diff_q4) >> 3) - 4096;
          const int32_t update_q20 = mul32(sgprvec[g] >> 2, t) >> 4;
          int16_t ds = signed_div(update_q20, int16_t(ssk * 10));
          ds = int16_t(ds + 128);
          ssk = int16_t(ssk + (ds >> 8));
          speech_stds[g] = std::max(ssk, kMinStd);
        } else {
          // Noise deviation: (Q11 * Q4) >> 3 = Q12; ((Q14 + 2) >> 2) * Q12 = Q24; >> 14 = Q20 * 2^-10;
          // / s = Q13; >> 6 (rounded) = Q7.
          const int16_t diff_q4 = int16_t(features[channel] - (nmk >> 3));
          const int32_t t = ((delta_n[g] * diff_q4) >> 3) - 4096;
          const int32_t update = mul32((ngprvec[g] + 2) >> 2, t) >> 14;
          int16_t ds = signed_div(update, nsk);
          ds = int16_t(ds + 32);
          nsk = int16_t(nsk + (ds >> 6));
          noise_stds[g] = std::max(nsk, kMinStd);
        }
      }

      // Push the models apart when their weighted means come closer than kMinimumDifference (Q5):
      // speech up by ~0.8 of the shortfall, noise down by ~0.2 (both Q7).
      int32_t noise_global = weighted_average(&noise_means[channel], 0, &kNoiseDataWeights[channel]);
      int32_t speech_global = weighted_average(&speech_means[channel], 0, &kSpeechDataWeights[channel]);
      const int16_t diff = int16_t(int16_t(speech_global >> 9) - int16_t(noise_global >> 9));
      if (diff < kMinimumDifference[channel]) {
        const int16_t shortfall = int16_t(kMinimumDifference[channel] - diff);
        const int16_t up = int16_t((13 * shortfall) >> 2);
        const int16_t down = int16_t((3 * shortfall) >> 2);
        speech_global = weighted_average(&speech_means[channel], up, &kSpeechDataWeights[channel]);
        noise_global = weighted_average(&noise_means[channel], int16_t(-down), &kNoiseDataWeights[channel]);
      }

      // Cap the weighted means, moving both Gaussians by the excess.
      maxspe = kMaximumSpeech[channel];
      int16_t excess = int16_t(speech_global >> 7);
      if (excess > maxspe) {
        excess = int16_t(excess - maxspe);
        for (int k = 0; k < kNumGaussians; ++k)
          speech_means[channel + k * kNumChannels] =
              int16_t(speech_means[channel + k * kNumChannels] - excess);
      }
      excess = int16_t(noise_global >> 7);
      if (excess > kMaximumNoise[channel]) {
        excess = int16_t(excess - kMaximumNoise[channel]);
        for (int k = 0; k < kNumGaussians; ++k)
          noise_means[channel + k * kNumChannels] = int16_t(noise_means[channel + k * kNumChannels] - excess);
      }
    }
    ++frame_counter;
  }

  // Hangover: after speech, a few more frames count as speech; longer after a long run of speech.
  if (!vadflag) {
    if (over_hang > 0) {
      vadflag = 2 + over_hang;
      --over_hang;
    }
    num_of_speech = 0;
  } else {
    ++num_of_speech;
    if (num_of_speech > kMaxSpeechFrames) {
      num_of_speech = kMaxSpeechFrames;
      over_hang = overhead2;
    } else {
      over_hang = overhead1;
    }
  }
  return vadflag;
}

bool WebRtcVad::State::process_8khz(const int16_t* frame, size_t n) {
  int16_t features[kNumChannels];
  const int16_t total_power = calculate_features(front_end, frame, n, features);
  return decide(features, total_power, n) > 0;
}

WebRtcVad::WebRtcVad(int mode) : state_(std::make_unique<State>()) { set_mode(mode); }
WebRtcVad::~WebRtcVad() = default;
WebRtcVad::WebRtcVad(const WebRtcVad& other)
    : state_(std::make_unique<State>(*other.state_)), mode_(other.mode_) {}
WebRtcVad& WebRtcVad::operator=(const WebRtcVad& other) {
  if (this != &other) {
    *state_ = *other.state_;
    mode_ = other.mode_;
  }
  return *this;
}
WebRtcVad::WebRtcVad(WebRtcVad&&) noexcept = default;
WebRtcVad& WebRtcVad::operator=(WebRtcVad&&) noexcept = default;

void WebRtcVad::set_mode(int mode) {
  if (mode < 0 || mode > 3)
    throw UserError("WebRtcVad: mode " + std::to_string(mode) +
                    " is invalid, must be 0-3 (3 = most aggressive)");
  state_->thresholds = kModes[mode];
  mode_ = mode;
}

bool WebRtcVad::valid_frame(int sample_rate, size_t n) noexcept {
  if (sample_rate != 8000 && sample_rate != 16000 && sample_rate != 32000 && sample_rate != 48000)
    return false;
  const size_t per_10ms = size_t(sample_rate / 100);
  return n == per_10ms || n == 2 * per_10ms || n == 3 * per_10ms;
}

bool WebRtcVad::is_speech(const int16_t* samples, size_t n, int sample_rate) {
  if (!valid_frame(sample_rate, n))
    throw UserError(
        "WebRtcVad: a frame of " + std::to_string(n) + " samples at " + std::to_string(sample_rate) +
        " Hz is not supported: webrtcvad takes 10, 20 or 30 ms at 8000, 16000, 32000 or 48000 Hz");
  if (!samples) throw UserError("WebRtcVad: null sample pointer");
  State& s = *state_;
  int16_t nb[240];  // the frame at 8 kHz: at most 30 ms
  switch (sample_rate) {
    case 8000:
      return s.process_8khz(samples, n);
    case 16000:
      downsample_by_2(samples, n, nb, s.front_end.downsampling);
      return s.process_8khz(nb, n / 2);
    case 32000: {
      int16_t wb[480];
      downsample_by_2(samples, n, wb, s.front_end.downsampling + 2);
      downsample_by_2(wb, n / 2, nb, s.front_end.downsampling);
      return s.process_8khz(nb, n / 4);
    }
    default: {  // 48000
      // WebRTC passes the frame's start for every 10 ms block (it never advances the pointer), so a 20 or
      // 30 ms frame is judged on its first 10 ms resampled two or three times. Reproduced on purpose.
      constexpr size_t k10ms48 = 480, k10ms8 = 80;
      for (size_t i = 0; i < n / k10ms48; ++i) resample_48k_to_8k(samples, nb + i * k10ms8, s.front_end.r48);
      return s.process_8khz(nb, n / 6);
    }
  }
}

}  // namespace voxclone
