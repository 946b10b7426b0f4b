// RTVC's encoder waveform preprocessing (encoder/audio.py): volume normalisation, long-silence trimming,
// and the synthesizer's peak rescaling, reproduced with numpy's float32 arithmetic where it matters.
#include <algorithm>
#include <cmath>

#include "util/numpy_sum.h"
#include "voxclone/audio.h"
#include "voxclone/error.h"
#include "voxclone/webrtc_vad.h"

namespace voxclone {
namespace {

// numpy's float32 sum order (util/numpy_sum.h), matched bit for bit, keeps the gain, hence the int16 samples
// the VAD sees, identical to RTVC.
float numpy_mean_of_squares(const std::vector<float>& wav) {
  std::vector<float> sq(wav.size());
  for (size_t i = 0; i < wav.size(); ++i) sq[i] = wav[i] * wav[i];
  const float total = numpy_sum(sq.data(), sq.size());
  return total / float(sq.size());
}

int samples_per_window(int sample_rate, const VadParams& params) {
  if (sample_rate <= 0 || params.window_ms <= 0)
    throw UserError("trim_long_silences: invalid sample rate " + std::to_string(sample_rate) + " or window " +
                    std::to_string(params.window_ms) + " ms");
  return params.window_ms * sample_rate / 1000;
}

// RTVC's int16 conversion for the VAD: np.round(wav * int16_max).astype(np.int16). The product is float32
// (a float32 array times a Python int), np.round halves to even as nearbyint does in the default
// rounding mode. Out-of-range values are clamped, where numpy's cast would wrap around.
int16_t to_pcm16(float x) {
  constexpr float kInt16Max = 32767.0f;
  const float r = std::nearbyint(x * kInt16Max);
  return int16_t(std::clamp(r, -32768.0f, 32767.0f));
}

}  // namespace

std::vector<bool> webrtc_vad_flags(const std::vector<float>& wav, int sample_rate, const VadParams& params) {
  const int spw = samples_per_window(sample_rate, params);
  if (!WebRtcVad::valid_frame(sample_rate, size_t(spw)))
    throw UserError("silence trimming: webrtcvad needs 10, 20 or 30 ms windows at 8000, 16000, 32000 or "
                    "48000 Hz, got " + std::to_string(params.window_ms) + " ms at " +
                    std::to_string(sample_rate) + " Hz (resample first, or turn silence trimming off)");
  const size_t n_windows = wav.size() / size_t(spw);
  WebRtcVad vad(3);  // one detector per call, as RTVC creates one per trim_long_silences
  std::vector<int16_t> pcm(static_cast<size_t>(spw));
  std::vector<bool> flags(n_windows);
  for (size_t w = 0; w < n_windows; ++w) {
    for (size_t i = 0; i < pcm.size(); ++i) pcm[i] = to_pcm16(wav[w * pcm.size() + i]);
    flags[w] = vad.is_speech(pcm.data(), pcm.size(), sample_rate);
  }
  return flags;
}

double volume_gain_db(const std::vector<float>& wav, double target_dbfs) {
  if (wav.empty()) throw UserError("volume_gain_db: empty waveform");
  // RTVC: target - 10*log10(mean(wav**2)); every operand is a float32 numpy scalar.
  const float level = 10.0f * std::log10(numpy_mean_of_squares(wav));
  return double(float(target_dbfs) - level);
}

bool normalize_volume(std::vector<float>& wav, double target_dbfs, bool increase_only, bool decrease_only) {
  if (increase_only && decrease_only)
    throw UserError("normalize_volume: increase_only and decrease_only are mutually exclusive");
  const float change = float(volume_gain_db(wav, target_dbfs));
  if ((change < 0 && increase_only) || (change > 0 && decrease_only)) return false;
  // 10 ** (float32 / 20) is a float64 power in numpy; the product with the float32 array is then
  // done in float32 with the factor cast down.
  const float factor = float(std::pow(10.0, double(change / 20.0f)));
  for (float& x : wav) x *= factor;
  return true;
}

std::vector<float> trim_with_flags(const std::vector<float>& wav, const std::vector<bool>& flags, int sample_rate,
                                   const VadParams& params, VadTrace* trace) {
  const int spw = samples_per_window(sample_rate, params);
  const size_t n_windows = wav.size() / size_t(spw);
  if (flags.size() != n_windows)
    throw InternalError("trim_with_flags: " + std::to_string(flags.size()) + " flags for " +
                        std::to_string(n_windows) + " windows");
  const int width = params.moving_average_width;
  if (width < 1 || params.max_silence_frames < 0)
    throw UserError("trim_long_silences: moving average width must be >= 1 and max silence >= 0");

  // RTVC's moving average: (width-1)/2 zeros before, width/2 after, float64 cumsum, differences at
  // distance `width`, divided by width; then np.round, which rounds halves to even (4/8 -> 0).
  const size_t pad_front = size_t(width - 1) / 2, pad_back = size_t(width) / 2;
  std::vector<double> cumsum(pad_front + n_windows + pad_back);
  double run = 0.0;
  for (size_t i = 0; i < cumsum.size(); ++i) {
    const bool in = i >= pad_front && i < pad_front + n_windows && flags[i - pad_front];
    run += in ? 1.0 : 0.0;
    cumsum[i] = run;
  }
  std::vector<bool> smoothed(n_windows);
  for (size_t k = 0; k < n_windows; ++k) {
    const size_t i = k + size_t(width) - 1;
    const double window_sum = i >= size_t(width) ? cumsum[i] - cumsum[i - size_t(width)] : cumsum[i];
    smoothed[k] = std::nearbyint(window_sum / width) != 0.0;  // default rounding mode: half to even
  }

  // scipy binary_dilation with ones(L), L = max_silence + 1: centre at L/2, zeros outside the array.
  const long len = params.max_silence_frames + 1;
  const long centre = len / 2;
  std::vector<bool> dilated(n_windows, false);
  for (long k = 0; k < long(n_windows); ++k) {
    for (long j = 0; j < len && !dilated[size_t(k)]; ++j) {
      const long src = k + j - centre;
      if (src >= 0 && src < long(n_windows) && smoothed[size_t(src)]) dilated[size_t(k)] = true;
    }
  }

  if (trace) {
    trace->flags = flags;
    trace->smoothed = smoothed;
    trace->dilated = dilated;
    trace->samples_per_window = spw;
  }
  if (std::none_of(flags.begin(), flags.end(), [](bool b) { return b; }))
    throw UserError("trim_long_silences: no speech found in " + std::to_string(n_windows) + " windows of " +
                    std::to_string(params.window_ms) + " ms");

  std::vector<float> out;
  out.reserve(n_windows * size_t(spw));
  for (size_t k = 0; k < n_windows; ++k)
    if (dilated[k]) out.insert(out.end(), wav.begin() + long(k * size_t(spw)), wav.begin() + long((k + 1) * size_t(spw)));
  return out;
}

std::vector<float> trim_long_silences(const std::vector<float>& wav, int sample_rate, const VadParams& params,
                                      VadTrace* trace) {
  std::vector<bool> flags = webrtc_vad_flags(wav, sample_rate, params);
  return trim_with_flags(wav, flags, sample_rate, params, trace);
}

Waveform preprocess_for_encoder(const Waveform& wav, double target_dbfs, bool normalize, bool trim_silence) {
  constexpr int kEncoderRate = 16000;  // params_data.sampling_rate
  Waveform out = wav.sample_rate == kEncoderRate ? wav : resample(wav, kEncoderRate);
  if (normalize) normalize_volume(out.samples, target_dbfs, /*increase_only=*/true);
  if (trim_silence) out.samples = trim_long_silences(out.samples, out.sample_rate);
  return out;
}

void rescale_peak(std::vector<float>& wav, float peak) {
  float max_abs = 0.0f;
  for (float x : wav) max_abs = std::max(max_abs, std::fabs(x));
  // Silence stays silence instead of becoming NaN (numpy would divide by zero).
  if (max_abs == 0.0f) return;
  for (float& x : wav) x = x / max_abs * peak;
}

}  // namespace voxclone
