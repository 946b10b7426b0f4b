// RTVC's logmmse noise reduction (utils/logmmse.py) in float64: the FFTs of all windows are batched, the
// per-window gain recursion (decision-directed a-priori SNR, optional noise adaptation) runs in plain loops.
#include "voxclone/logmmse.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <string>

#include "util/numpy_sum.h"
#include "voxclone/error.h"

namespace voxclone {
namespace {

constexpr double kPi = 3.141592653589793;
constexpr double kEulerGamma = 0.57721566490153286061;
constexpr double kSmoothing = 0.98;        // aa: weight of the previous frame's SNR estimate
constexpr double kNoiseUpdate = 0.98;      // mu: memory of the adaptive noise estimate
constexpr double kMaxPosteriorSnr = 40.0;  // gammak is clipped here
constexpr double kMinVkForE1 = 1e-8;       // E1's argument floor

// np.hanning(m): the symmetric window, evaluated as numpy does (cosine of pi * n / (m - 1), n = 1-m, 3-m,
// ...).
std::vector<double> numpy_hanning(int m) {
  if (m == 1) return {1.0};
  std::vector<double> w(static_cast<size_t>(m));
  for (int i = 0; i < m; ++i)
    w[size_t(i)] = 0.5 + 0.5 * std::cos(kPi * double(1 - m + 2 * i) / double(m - 1));
  return w;
}

// FFT (n_fft points, zero padded) of `count` windows of `wav`, window j starting at j * hop, times `win`.
at::Tensor windowed_ffts(const std::vector<double>& wav, const std::vector<double>& win, int64_t count,
                         int64_t hop, int64_t n_fft) {
  const auto w = int64_t(win.size());
  at::Tensor frames = at::empty({count, w}, at::kDouble);
  double* f = frames.data_ptr<double>();
  for (int64_t j = 0; j < count; ++j)
    for (int64_t i = 0; i < w; ++i) f[j * w + i] = win[size_t(i)] * wav[size_t(j * hop + i)];
  return at::fft_fft(frames, n_fft, 1);
}

// numpy's to_float for a float32 waveform, then RTVC's "+= eps" that keeps the logs finite.
std::vector<double> to_double_plus_eps(const std::vector<float>& wav) {
  std::vector<double> out(wav.size());
  for (size_t i = 0; i < wav.size(); ++i) out[i] = double(wav[i]) + DBL_EPSILON;
  return out;
}

}  // namespace

double exponential_integral_e1(double x) {
  if (!(x > 0.0)) throw UserError("exponential_integral_e1: needs x > 0, got " + std::to_string(x));
  constexpr double kEps = 1e-16;
  if (x <= 1.0) {
    // Power series: E1(x) = -gamma - ln x - sum_k (-x)^k / (k * k!).
    double term = 1.0, sum = 0.0;
    for (int k = 1; k < 100; ++k) {
      term *= -x / double(k);  // (-x)^k / k!
      const double add = term / double(k);
      sum += add;
      if (std::fabs(add) < kEps * std::fabs(sum)) break;
    }
    return -kEulerGamma - std::log(x) - sum;
  }
  // Continued fraction e^-x / (x + 1 - 1 / (x + 3 - 4 / (x + 5 - ...))), evaluated by the modified Lentz
  // method.
  constexpr double kTiny = 1e-300;
  double b = x + 1.0, c = 1.0 / kTiny, d = 1.0 / b, h = d;
  for (int i = 1; i < 1000; ++i) {
    const double an = -double(i) * double(i);
    b += 2.0;
    d = 1.0 / (an * d + b);
    c = b + an / c;
    const double delta = c * d;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEps) break;
  }
  return h * std::exp(-x);
}

bool logmmse_profile_usable(const NoiseProfile& p) {
  return !p.noise_mu2.empty() && std::all_of(p.noise_mu2.begin(), p.noise_mu2.end(),
                                             [](double v) { return std::isfinite(v) && v > 0.0; });
}

NoiseProfile logmmse_profile_noise(const std::vector<float>& noise, int sample_rate, int window_size) {
  if (sample_rate <= 0)
    throw UserError("logmmse: sample rate must be positive, got " + std::to_string(sample_rate));
  if (window_size < 0)
    throw UserError("logmmse: window size must be >= 0, got " + std::to_string(window_size));
  NoiseProfile p;
  p.sample_rate = sample_rate;
  p.window_size = window_size == 0 ? int(std::floor(0.02 * sample_rate)) : window_size;
  if (p.window_size % 2 == 1) ++p.window_size;
  if (p.window_size < 2) throw UserError("logmmse: window of " + std::to_string(p.window_size) + " samples");
  p.len1 = p.window_size * 50 / 100;
  p.len2 = p.window_size - p.len1;
  p.n_fft = 2 * p.window_size;
  const size_t n_frames = noise.size() / size_t(p.window_size);
  if (n_frames == 0)
    throw UserError("logmmse: a noise profile needs at least one window of " + std::to_string(p.window_size) +
                    " samples, got " + std::to_string(noise.size()));

  p.win = numpy_hanning(p.window_size);
  const double win_sum = numpy_sum(p.win.data(), p.win.size());
  for (double& v : p.win) v = v * double(p.len2) / win_sum;

  const std::vector<double> x = to_double_plus_eps(noise);
  const at::Tensor mag =
      windowed_ffts(x, p.win, int64_t(n_frames), p.window_size, p.n_fft).abs().contiguous();
  const double* m = mag.data_ptr<double>();
  std::vector<double> mean(size_t(p.n_fft), 0.0);
  for (size_t j = 0; j < n_frames; ++j)  // numpy adds the windows one after another
    for (size_t k = 0; k < mean.size(); ++k) mean[k] += m[j * mean.size() + k];
  p.noise_mu2.resize(mean.size());
  for (size_t k = 0; k < mean.size(); ++k) {
    const double avg = mean[k] / double(n_frames);
    p.noise_mu2[k] = avg * avg;
  }
  return p;
}

std::vector<float> logmmse_denoise(const std::vector<float>& wav, const NoiseProfile& p, double eta) {
  if (p.window_size < 2 || p.len1 != p.len2 || p.len1 + p.len2 != p.window_size || p.n_fft < p.window_size ||
      p.win.size() != size_t(p.window_size) || p.noise_mu2.size() != size_t(p.n_fft))
    throw UserError("logmmse: inconsistent noise profile (make it with logmmse_profile_noise)");
  if (!logmmse_profile_usable(p))
    throw UserError("logmmse: the noise profile has frequency bins without noise power (digital silence?)");
  const long frames_long = long(wav.size()) / p.len2 - p.window_size / p.len2;
  std::vector<float> out(wav.size(), 0.0f);
  if (frames_long <= 0) return out;
  const auto n_frames = size_t(frames_long);
  const auto n_fft = size_t(p.n_fft);

  const std::vector<double> x = to_double_plus_eps(wav);
  at::Tensor spec = windowed_ffts(x, p.win, int64_t(n_frames), p.len2, p.n_fft).contiguous();
  const at::Tensor mag = spec.abs().contiguous();
  const double* sig_all = mag.data_ptr<double>();

  const double ksi_min = std::pow(10.0, -25.0 / 10.0);
  std::vector<double> noise_mu2 = p.noise_mu2;
  std::vector<double> xk_prev(n_fft, 0.0), ksi(n_fft), gammak(n_fft), log_sigma(n_fft);
  at::Tensor gains = at::empty({int64_t(n_frames), int64_t(n_fft)}, at::kDouble);
  double* hw_all = gains.data_ptr<double>();
  for (size_t j = 0; j < n_frames; ++j) {
    const double* sig = sig_all + j * n_fft;
    double* hw = hw_all + j * n_fft;
    // RTVC tests `xk_prev.all() == 0`: true while any bin of the previous estimate is exactly zero (always on
    // the first window), and then the a-priori SNR is neither remembered nor floored.
    bool any_zero = false;
    for (double v : xk_prev) any_zero = any_zero || v == 0.0;
    for (size_t k = 0; k < n_fft; ++k) {
      const double sig2 = sig[k] * sig[k];
      gammak[k] = std::min(sig2 / noise_mu2[k], kMaxPosteriorSnr);
      const double fresh = (1.0 - kSmoothing) * std::max(gammak[k] - 1.0, 0.0);
      ksi[k] =
          any_zero ? kSmoothing + fresh : std::max(ksi_min, kSmoothing * xk_prev[k] / noise_mu2[k] + fresh);
      log_sigma[k] = gammak[k] * ksi[k] / (1.0 + ksi[k]) - std::log(1.0 + ksi[k]);
    }
    const double vad_decision = numpy_sum(log_sigma.data(), n_fft) / double(p.window_size);
    if (vad_decision < eta)
      for (size_t k = 0; k < n_fft; ++k)
        noise_mu2[k] = kNoiseUpdate * noise_mu2[k] + (1.0 - kNoiseUpdate) * (sig[k] * sig[k]);
    for (size_t k = 0; k < n_fft; ++k) {
      const double a = ksi[k] / (1.0 + ksi[k]);
      const double vk = a * gammak[k];
      hw[k] = a * std::exp(0.5 * exponential_integral_e1(std::max(vk, kMinVkForE1)));
      const double cleaned = sig[k] * hw[k];
      xk_prev[k] = cleaned * cleaned;
    }
  }

  // Overlap-add of the first len1 samples of each inverse FFT with the tail (len1..window) of the previous
  // one.
  const at::Tensor frames = at::real(at::fft_ifft(spec * gains, p.n_fft, 1)).contiguous();
  const double* y = frames.data_ptr<double>();
  const auto half = size_t(p.len2);  // len1 == len2: the window is even and the overlap 50 %
  std::vector<double> old(half, 0.0);
  for (size_t j = 0; j < n_frames; ++j) {
    const double* yj = y + j * n_fft;
    for (size_t i = 0; i < half; ++i) out[j * half + i] = float(old[i] + yj[i]);
    for (size_t i = 0; i < half; ++i) old[i] = yj[half + i];
  }
  return out;
}

}  // namespace voxclone
