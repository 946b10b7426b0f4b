// Slaney mel filterbank and RTVC's encoder / synthesizer mel spectrograms and their inversion.
#include <ATen/ATen.h>

#include <cmath>
#include <map>
#include <mutex>
#include <tuple>

#include "dsp/dsp_internal.h"
#include "voxclone/dsp.h"
#include "voxclone/error.h"
#include "voxclone/mel_scale.h"

namespace voxclone {
namespace {

// librosa's Slaney mel scale: linear below 1 kHz, logarithmic above.
constexpr double kFSp = 200.0 / 3;
constexpr double kMinLogHz = 1000.0;
const double kMinLogMel = kMinLogHz / kFSp;
const double kLogStep = std::log(6.4) / 27.0;

using BasisKey = std::tuple<int, int, int, double, double>;

// The filterbank and its pseudo-inverse are fixed per settings; RTVC caches them too.
struct BasisCache {
  std::mutex mu;
  std::map<BasisKey, at::Tensor> basis, pinv;
};
BasisCache& cache() {
  static BasisCache c;
  return c;
}

at::Tensor cached_basis(const MelSettings& s) {
  const BasisKey key{s.sample_rate, s.n_fft, s.num_mels, s.fmin, s.fmax};
  auto& c = cache();
  std::lock_guard<std::mutex> lock(c.mu);
  auto it = c.basis.find(key);
  if (it != c.basis.end()) return it->second;
  at::Tensor b = mel_filterbank(s.sample_rate, s.n_fft, s.num_mels, s.fmin, s.fmax);
  c.basis.emplace(key, b);
  return b;
}

// np.linalg.pinv of the float32 basis: SVD, singular values below 1e-15 * max dropped. numpy runs the SVD in
// float32 for float32 input; doing it in float64 and rounding once lands within the reference's own error.
at::Tensor cached_pinv(const MelSettings& s) {
  const at::Tensor basis = cached_basis(s);
  const BasisKey key{s.sample_rate, s.n_fft, s.num_mels, s.fmin, s.fmax};
  auto& c = cache();
  std::lock_guard<std::mutex> lock(c.mu);
  auto it = c.pinv.find(key);
  if (it != c.pinv.end()) return it->second;
  auto [u, sv, vh] = at::linalg_svd(basis.to(at::kDouble), /*full_matrices=*/false);
  const double cutoff = 1e-15 * sv.max().item<double>();
  const at::Tensor inv_s = at::where(sv > cutoff, sv.reciprocal(), at::zeros_like(sv));
  const at::Tensor p = at::matmul(vh.t(), inv_s.unsqueeze(1) * u.t()).to(at::kFloat).contiguous();
  c.pinv.emplace(key, p);
  return p;
}

void check_settings(const MelSettings& s) {
  if (s.sample_rate <= 0 || s.n_fft <= 0 || s.hop_size <= 0 || s.win_size <= 0 || s.win_size > s.n_fft ||
      s.num_mels <= 0 || s.min_level_db >= 0 || s.max_abs_value <= 0)
    throw UserError(
        "mel settings: need positive sample_rate, n_fft, hop_size, num_mels, max_abs_value, "
        "0 < win_size <= n_fft and min_level_db < 0");
}

}  // namespace

double hz_to_mel(double hz) {
  return hz >= kMinLogHz ? kMinLogMel + std::log(hz / kMinLogHz) / kLogStep : hz / kFSp;
}
double mel_to_hz(double mel) {
  return mel >= kMinLogMel ? kMinLogHz * std::exp(kLogStep * (mel - kMinLogMel)) : kFSp * mel;
}

at::Tensor mel_filterbank(int sample_rate, int n_fft, int n_mels, double fmin, double fmax) {
  if (sample_rate <= 0 || n_fft <= 0 || n_mels <= 0 || fmin < 0 || fmax <= fmin)
    throw UserError("mel_filterbank: need sample_rate, n_fft, n_mels > 0 and 0 <= fmin < fmax");
  const int64_t bins = n_fft / 2 + 1;
  // np.fft.rfftfreq: k * (1 / (n * (1 / sr))), evaluated in that order.
  const double bin_hz = 1.0 / (static_cast<double>(n_fft) * (1.0 / sample_rate));
  std::vector<double> fft_hz(bins);
  for (int64_t k = 0; k < bins; ++k) fft_hz[k] = static_cast<double>(k) * bin_hz;
  // n_mels + 2 band edges equally spaced in mel (np.linspace: start + i * step, last point exactly fmax).
  const int n_edges = n_mels + 2;
  const double lo = hz_to_mel(fmin), hi = hz_to_mel(fmax);
  const double step = (hi - lo) / (n_edges - 1);
  std::vector<double> edge_hz(n_edges);
  for (int i = 0; i < n_edges; ++i)
    edge_hz[i] = mel_to_hz(i == n_edges - 1 ? hi : static_cast<double>(i) * step + lo);

  at::Tensor weights = at::zeros({n_mels, bins}, at::kFloat);
  float* w = weights.data_ptr<float>();
  for (int m = 0; m < n_mels; ++m) {
    const double left_width = edge_hz[m + 1] - edge_hz[m];
    const double right_width = edge_hz[m + 2] - edge_hz[m + 1];
    // Slaney area normalisation; librosa multiplies the float32 triangle by this float64 factor and stores
    // the product as float32 again, so the triangle is rounded first.
    const double enorm = 2.0 / (edge_hz[m + 2] - edge_hz[m]);
    for (int64_t k = 0; k < bins; ++k) {
      const double rising = -(edge_hz[m] - fft_hz[k]) / left_width;
      const double falling = (edge_hz[m + 2] - fft_hz[k]) / right_width;
      const float tri = static_cast<float>(std::max(0.0, std::min(rising, falling)));
      w[m * bins + k] = static_cast<float>(static_cast<double>(tri) * enorm);
    }
  }
  return weights;
}

at::Tensor encoder_mel(const std::vector<float>& wav, int sample_rate, int n_mels, int window_ms,
                       int step_ms) {
  const int64_t n_fft = static_cast<int64_t>(sample_rate) * window_ms / 1000;
  const int64_t hop = static_cast<int64_t>(sample_rate) * step_ms / 1000;
  const at::Tensor y =
      at::from_blob(const_cast<float*>(wav.data()), {static_cast<int64_t>(wav.size())}, at::kFloat);
  // librosa keeps a float32 signal's STFT as complex64 (double FFT, stored single): |.|^2 and the mel
  // projection then run in float32, as np.einsum does with the float32 basis.
  const at::Tensor power = stft(y, n_fft, hop, n_fft).to(at::kComplexFloat).abs().square();
  const at::Tensor basis =
      mel_filterbank(sample_rate, static_cast<int>(n_fft), n_mels, 0.0, sample_rate / 2.0);
  return at::matmul(basis, power).t().contiguous();
}

at::Tensor linear_to_mel(const at::Tensor& magnitude, const MelSettings& s) {
  check_settings(s);
  if (magnitude.dim() != 2 || magnitude.size(0) != s.n_fft / 2 + 1)
    throw UserError("linear_to_mel: expected a [" + std::to_string(s.n_fft / 2 + 1) + ", frames] magnitude");
  return at::matmul(cached_basis(s).to(at::kDouble), magnitude.to(at::kDouble));
}

at::Tensor amp_to_db(const at::Tensor& amp, const MelSettings& s) {
  // RTVC's floor is exp(min_level_db / 20 * ln 10), i.e. 1e-5 for -100 dB, up to rounding.
  const double min_level = std::exp(s.min_level_db / 20 * std::log(10.0));
  return 20.0 * at::log10(at::clamp_min(amp.to(at::kDouble), min_level)) - s.ref_level_db;
}

at::Tensor normalize_mel(const at::Tensor& db, const MelSettings& s) {
  const double m = s.max_abs_value;
  const at::Tensor unit = (db.to(at::kDouble) - s.min_level_db) / (-s.min_level_db);
  if (s.symmetric_mels) {
    const at::Tensor x = (2 * m) * unit - m;
    return s.allow_clipping_in_normalization ? at::clamp(x, -m, m) : x;
  }
  const at::Tensor x = m * unit;
  return s.allow_clipping_in_normalization ? at::clamp(x, 0.0, m) : x;
}

at::Tensor synthesizer_mel(const std::vector<float>& wav, const MelSettings& s) {
  check_settings(s);
  const at::Tensor y =
      at::from_blob(const_cast<float*>(wav.data()), {static_cast<int64_t>(wav.size())}, at::kFloat);
  at::Tensor magnitude;
  if (s.preemphasize) {
    magnitude = stft(preemphasis(y, s.preemphasis), s.n_fft, s.hop_size, s.win_size).abs();
  } else {
    // Without pre-emphasis librosa sees float32 samples and keeps a complex64 spectrum.
    magnitude = stft(y, s.n_fft, s.hop_size, s.win_size).to(at::kComplexFloat).abs();
  }
  at::Tensor S = amp_to_db(linear_to_mel(magnitude, s), s);
  if (s.signal_normalization) S = normalize_mel(S, s);
  return S.to(at::kFloat).contiguous();
}

at::Tensor denormalize_mel(const at::Tensor& mel, const MelSettings& s) {
  // Same operation order as RTVC, in the mel's own (float32) precision like numpy.
  const double m = s.max_abs_value;
  if (s.symmetric_mels) {
    const at::Tensor x = s.allow_clipping_in_normalization ? at::clamp(mel, -m, m) : mel;
    return (x + m) * (-s.min_level_db) / (2 * m) + s.min_level_db;
  }
  const at::Tensor x = s.allow_clipping_in_normalization ? at::clamp(mel, 0.0, m) : mel;
  return x * (-s.min_level_db) / m + s.min_level_db;
}

at::Tensor db_to_amp(const at::Tensor& db) { return at::pow(10.0, db * 0.05); }

at::Tensor mel_to_linear(const at::Tensor& mel_amp, const MelSettings& s) {
  check_settings(s);
  if (mel_amp.dim() != 2 || mel_amp.size(0) != s.num_mels)
    throw UserError("mel_to_linear: expected a [" + std::to_string(s.num_mels) + ", frames] mel");
  return at::clamp_min(at::matmul(cached_pinv(s), mel_amp.to(at::kFloat)), 1e-10);
}

at::Tensor inverse_mel_basis(const MelSettings& s) {
  check_settings(s);
  return cached_pinv(s).clone();
}

std::vector<float> inv_mel_spectrogram(const at::Tensor& mel, const MelSettings& s, int64_t seed) {
  check_settings(s);
  if (mel.dim() != 2 || mel.size(0) != s.num_mels)
    throw UserError("inv_mel_spectrogram: expected a [" + std::to_string(s.num_mels) + ", frames] mel, got " +
                    std::to_string(mel.dim()) + "-D");
  const at::Tensor m32 = mel.to(at::kFloat);
  const at::Tensor db = s.signal_normalization ? denormalize_mel(m32, s) : m32;
  const at::Tensor linear = mel_to_linear(db_to_amp(db + s.ref_level_db), s);
  at::Tensor y = dsp_detail::griffin_lim_f64(linear.pow(s.power), s.griffin_lim_iters, s.n_fft, s.hop_size,
                                             s.win_size, seed);
  if (s.preemphasize) y = deemphasis(y, s.preemphasis);
  const at::Tensor out = y.to(at::kFloat).contiguous();
  return std::vector<float>(out.data_ptr<float>(), out.data_ptr<float>() + out.numel());
}

}  // namespace voxclone
