// STFT / ISTFT with librosa 0.9.2's conventions, pre-emphasis filters and Griffin-Lim (RTVC's _griffin_lim).
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cfloat>
#include <cmath>
#include <random>

#include "dsp/dsp_internal.h"
#include "voxclone/dsp.h"
#include "voxclone/error.h"

namespace voxclone {
namespace {

constexpr double kPi = 3.141592653589793;  // the double numpy's np.pi holds

void check_frame_params(int64_t n_fft, int64_t hop, int64_t win, const char* who) {
  if (n_fft <= 0 || hop <= 0 || win <= 0 || win > n_fft)
    throw UserError(std::string(who) + ": need n_fft > 0, hop > 0 and 0 < win_length <= n_fft (got n_fft " +
                    std::to_string(n_fft) + ", hop " + std::to_string(hop) + ", win " + std::to_string(win) +
                    ")");
}

// librosa.util.pad_center of the periodic Hann window: a shorter window sits in the middle of n_fft.
at::Tensor centered_window(int64_t n_fft, int64_t win) {
  at::Tensor w = hann_window_periodic(win);
  if (win == n_fft) return w;
  const int64_t left = (n_fft - win) / 2;
  return at::constant_pad_nd(w, {left, n_fft - win - left}, 0);
}

}  // namespace

at::Tensor hann_window_periodic(int64_t n) {
  if (n <= 0) throw UserError("hann_window_periodic: length must be positive, got " + std::to_string(n));
  // scipy builds the periodic window as the first n points of a symmetric one of n + 1 points, with the
  // phase from np.linspace(-pi, pi, n + 1): evaluating it the same way keeps the last bits identical.
  // scipy's length guard: a 1-point window is [1.0], not the formula's 0.
  if (n == 1) return at::ones({1}, at::kDouble);
  at::Tensor w = at::empty({n}, at::kDouble);
  double* p = w.data_ptr<double>();
  const double step = (kPi - (-kPi)) / static_cast<double>(n);
  for (int64_t i = 0; i < n; ++i) p[i] = 0.5 + 0.5 * std::cos(static_cast<double>(i) * step + (-kPi));
  return w;
}

at::Tensor stft(const at::Tensor& y, int64_t n_fft, int64_t hop, int64_t win) {
  check_frame_params(n_fft, hop, win, "stft");
  if (y.dim() != 1)
    throw UserError("stft: expected a 1-D signal, got " + std::to_string(y.dim()) + " dimensions");
  // numpy multiplies the float64 window with the frames and runs double-precision FFTs whatever the input.
  const at::Tensor padded = at::constant_pad_nd(y.to(at::kDouble).contiguous(), {n_fft / 2, n_fft / 2}, 0);
  const at::Tensor frames = padded.unfold(0, n_fft, hop);  // [frames, n_fft], a strided view
  const at::Tensor spec = at::fft_rfft(frames * centered_window(n_fft, win), n_fft, -1);
  return spec.t().contiguous();
}

at::Tensor istft(const at::Tensor& spec, int64_t hop, int64_t win, int64_t length) {
  if (spec.dim() != 2 || spec.size(0) < 2) throw UserError("istft: expected a [n_fft/2+1, frames] spectrum");
  const int64_t n_fft = 2 * (spec.size(0) - 1);
  check_frame_params(n_fft, hop, win, "istft");
  int64_t n_frames = spec.size(1);
  if (length >= 0) {
    // librosa only synthesises the frames that reach into the requested length.
    const int64_t padded_length = length + n_fft;
    n_frames = std::min<int64_t>(n_frames, (padded_length + hop - 1) / hop);
  }
  const at::Tensor window = centered_window(n_fft, win);
  const at::Tensor cols =
      (at::fft_irfft(spec.narrow(1, 0, n_frames).to(at::kComplexDouble).t(), n_fft, -1) * window)
          .contiguous();
  const int64_t expected_len = n_fft + hop * (n_frames - 1);
  std::vector<double> y(static_cast<size_t>(std::max<int64_t>(expected_len, 0)), 0.0);
  std::vector<double> wss(y.size(), 0.0);
  const double* c = cols.data_ptr<double>();
  const double* w = window.data_ptr<double>();
  for (int64_t f = 0; f < n_frames; ++f) {
    double* out = y.data() + f * hop;
    double* sum = wss.data() + f * hop;
    const double* frame = c + f * n_fft;
    for (int64_t k = 0; k < n_fft; ++k) {
      out[k] += frame[k];
      sum[k] += w[k] * w[k];
    }
  }
  // Window sum-square normalisation, skipped where the windows leave (numerically) nothing.
  for (size_t i = 0; i < y.size(); ++i)
    if (wss[i] > DBL_MIN) y[i] /= wss[i];

  const int64_t start = n_fft / 2;
  int64_t out_len = length >= 0 ? length : std::max<int64_t>(expected_len - n_fft, 0);
  at::Tensor out = at::zeros({out_len}, at::kDouble);
  const int64_t avail = std::max<int64_t>(0, std::min<int64_t>(out_len, expected_len - start));
  if (avail > 0) std::copy(y.begin() + start, y.begin() + start + avail, out.data_ptr<double>());
  return out;
}

at::Tensor preemphasis(const at::Tensor& wav, double k) {
  const at::Tensor x = wav.to(at::kDouble).contiguous().reshape({-1});
  at::Tensor y = at::empty_like(x);
  const double* in = x.data_ptr<double>();
  double* out = y.data_ptr<double>();
  const int64_t n = x.numel();
  // scipy.signal.lfilter([1, -k], [1], x) in float64: y[n] = x[n] + (-k) x[n-1].
  for (int64_t i = 0; i < n; ++i) out[i] = i == 0 ? in[0] : in[i] + (-k) * in[i - 1];
  return y;
}

at::Tensor deemphasis(const at::Tensor& wav, double k) {
  const at::Tensor x = wav.to(at::kDouble).contiguous().reshape({-1});
  at::Tensor y = at::empty_like(x);
  const double* in = x.data_ptr<double>();
  double* out = y.data_ptr<double>();
  // lfilter([1], [1, -k], x): the recursive inverse of preemphasis.
  double prev = 0.0;
  for (int64_t i = 0; i < x.numel(); ++i) prev = out[i] = in[i] + k * prev;
  return y;
}

namespace dsp_detail {

at::Tensor griffin_lim_f64(const at::Tensor& magnitude, int n_iter, int64_t n_fft, int64_t hop, int64_t win,
                           int64_t seed) {
  check_frame_params(n_fft, hop, win, "griffin_lim");
  if (magnitude.dim() != 2 || magnitude.size(0) != n_fft / 2 + 1)
    throw UserError("griffin_lim: expected a [" + std::to_string(n_fft / 2 + 1) + ", frames] magnitude");
  if (n_iter < 0) throw UserError("griffin_lim: n_iter must be >= 0");
  const at::Tensor S = magnitude.to(at::kDouble).abs().contiguous();
  at::Generator gen = at::detail::createCPUGenerator(
      seed >= 0 ? static_cast<uint64_t>(seed)
                : (static_cast<uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}());
  // Uniform random phases, as RTVC's exp(2j*pi*rand(...)).
  const at::Tensor phase = at::rand(S.sizes(), gen, at::kDouble) * (2.0 * kPi);
  at::Tensor y = istft(at::polar(S, phase), hop, win);
  for (int i = 0; i < n_iter; ++i) {
    // exp(1j * angle(X)) is X / |X|, and 1 where X == 0 (angle(0) = 0): same values without the trigonometry.
    const at::Tensor X = stft(y, n_fft, hop, win);
    const at::Tensor mag = X.abs();
    const at::Tensor zero = mag == 0;
    const at::Tensor unit = at::where(zero, at::ones_like(X), X / at::where(zero, at::ones_like(mag), mag));
    y = istft(unit * S, hop, win);
  }
  return y;
}

}  // namespace dsp_detail

at::Tensor griffin_lim(const at::Tensor& magnitude, int n_iter, int64_t n_fft, int64_t hop, int64_t win,
                       int64_t seed) {
  return dsp_detail::griffin_lim_f64(magnitude, n_iter, n_fft, hop, win, seed).to(at::kFloat);
}

}  // namespace voxclone
