// Our per-window speech/non-speech classifier, standing in for webrtcvad (mode 3) in trim_long_silences.
//
// Design: webrtcvad decides from sub-band log energies against an adaptive noise model, and its
// decisions depend on absolute level, not just on the ratio to the noise. We keep the two ingredients
// in their simplest form: the window's energy after an 80 Hz high-pass (webrtcvad ignores the band
// below 80 Hz too) must exceed both a noise floor tracked as the minimum energy of the recent past
// plus a margin, and an absolute floor. A short hangover keeps word endings, as webrtcvad's does.
#include <algorithm>
#include <cmath>
#include <deque>

#include "voxclone/audio.h"
#include "voxclone/error.h"

namespace voxclone {
namespace {

constexpr double kHighPassHz = 80.0;
constexpr double kMarginDb = 12.0;        // above the noise floor
constexpr double kAbsoluteFloorDb = 43.0; // dB of int16 units: about -47 dBFS
constexpr double kNoiseMemorySec = 1.5;   // the noise floor is the quietest window of this span
constexpr int kHangoverWindows = 3;

// Second-order Butterworth high-pass (bilinear transform), run in double across window borders.
class HighPass {
 public:
  HighPass(double cutoff, double rate) {
    const double w0 = 2.0 * M_PI * cutoff / rate;
    const double alpha = std::sin(w0) / std::sqrt(2.0);
    const double c = std::cos(w0), a0 = 1.0 + alpha;
    b0_ = (1.0 + c) / 2.0 / a0;
    b1_ = -(1.0 + c) / a0;
    b2_ = b0_;
    a1_ = -2.0 * c / a0;
    a2_ = (1.0 - alpha) / a0;
  }
  double operator()(double x) {
    const double y = b0_ * x + b1_ * x1_ + b2_ * x2_ - a1_ * y1_ - a2_ * y2_;
    x2_ = x1_;
    x1_ = x;
    y2_ = y1_;
    y1_ = y;
    return y;
  }

 private:
  double b0_, b1_, b2_, a1_, a2_;
  double x1_ = 0, x2_ = 0, y1_ = 0, y2_ = 0;
};

}  // namespace

std::vector<bool> classify_speech_frames(const std::vector<float>& wav, int sample_rate, const VadParams& params) {
  if (sample_rate <= 0 || params.window_ms <= 0)
    throw UserError("classify_speech_frames: invalid sample rate " + std::to_string(sample_rate) + " or window " +
                    std::to_string(params.window_ms) + " ms");
  const size_t spw = size_t(params.window_ms) * size_t(sample_rate) / 1000;
  if (spw == 0) throw UserError("classify_speech_frames: window shorter than one sample");
  const size_t n_windows = wav.size() / spw;

  // The samples webrtcvad is given in RTVC: np.round(wav * 32767).astype(int16), float32 product,
  // halves to even; clamped here where numpy's cast would wrap around.
  HighPass hp(std::min(kHighPassHz, 0.45 * sample_rate), double(sample_rate));
  std::vector<double> energy_db(n_windows);
  for (size_t w = 0; w < n_windows; ++w) {
    double acc = 0.0;
    for (size_t i = w * spw; i < (w + 1) * spw; ++i) {
      float s = std::nearbyint(wav[i] * 32767.0f);
      s = std::clamp(s, -32768.0f, 32767.0f);
      const double y = hp(double(s));
      acc += y * y;
    }
    // +1 keeps digital silence finite (0 dB) without affecting any audible level.
    energy_db[w] = 10.0 * std::log10(acc / double(spw) + 1.0);
  }

  const size_t memory = std::max<size_t>(1, size_t(std::lround(kNoiseMemorySec * 1000.0 / params.window_ms)));
  std::deque<size_t> minima;  // indices with increasing energies: a sliding-window minimum
  std::vector<bool> flags(n_windows, false);
  int hang = 0;
  for (size_t w = 0; w < n_windows; ++w) {
    while (!minima.empty() && energy_db[minima.back()] >= energy_db[w]) minima.pop_back();
    minima.push_back(w);
    if (minima.front() + memory <= w) minima.pop_front();
    const double noise_floor = energy_db[minima.front()];
    const bool loud = energy_db[w] > std::max(noise_floor + kMarginDb, kAbsoluteFloorDb);
    if (loud) {
      hang = kHangoverWindows;
      flags[w] = true;
    } else if (hang > 0) {
      --hang;
      flags[w] = true;
    }
  }
  return flags;
}

}  // namespace voxclone
