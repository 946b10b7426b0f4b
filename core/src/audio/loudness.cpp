// BS.1770-4 integrated loudness and loudness normalisation (see voxclone/loudness.h).
#include "voxclone/loudness.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace voxclone {
namespace {

// Analogue prototypes of the K-weighting filters (the values libebur128 and pyloudnorm derive from the
// standard's 48 kHz coefficients), mapped to `rate` with the bilinear transform.
constexpr double kShelfHz = 1681.974450955533, kShelfGainDb = 3.999843853973347, kShelfQ = 0.7071752369554196;
constexpr double kHighPassHz = 38.13547087602444, kHighPassQ = 0.5003270373238773;

void filter(std::vector<double>& x, const Biquad& f) {
  double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (double& v : x) {
    double y = f.b[0] * v + f.b[1] * x1 + f.b[2] * x2 - f.a[1] * y1 - f.a[2] * y2;
    x2 = x1;
    x1 = v;
    y2 = y1;
    y1 = y;
    v = y;
  }
}

double block_lufs(double mean_square) { return -0.691 + 10.0 * std::log10(mean_square); }

}  // namespace

std::array<Biquad, 2> k_weighting(int sample_rate) {
  const double pi = 3.14159265358979323846;
  std::array<Biquad, 2> k;
  double K = std::tan(pi * kShelfHz / sample_rate);
  double vh = std::pow(10.0, kShelfGainDb / 20.0);
  double vb = std::pow(vh, 0.4996667741545416);
  double a0 = 1.0 + K / kShelfQ + K * K;
  k[0].b = {(vh + vb * K / kShelfQ + K * K) / a0, 2.0 * (K * K - vh) / a0, (vh - vb * K / kShelfQ + K * K) / a0};
  k[0].a = {1.0, 2.0 * (K * K - 1.0) / a0, (1.0 - K / kShelfQ + K * K) / a0};
  K = std::tan(pi * kHighPassHz / sample_rate);
  a0 = 1.0 + K / kHighPassQ + K * K;
  k[1].b = {1.0, -2.0, 1.0};
  k[1].a = {1.0, 2.0 * (K * K - 1.0) / a0, (1.0 - K / kHighPassQ + K * K) / a0};
  return k;
}

double integrated_loudness(const Waveform& wav) {
  const double silence = -std::numeric_limits<double>::infinity();
  if (wav.samples.empty() || wav.sample_rate <= 0) return silence;
  std::vector<double> x(wav.samples.begin(), wav.samples.end());
  for (const Biquad& f : k_weighting(wav.sample_rate)) filter(x, f);
  // Squares summed once; each 400 ms block (75% overlap) is then a difference of prefix sums.
  std::vector<double> prefix(x.size() + 1, 0.0);
  for (size_t i = 0; i < x.size(); ++i) prefix[i + 1] = prefix[i] + x[i] * x[i];
  size_t block = size_t(std::lround(0.4 * wav.sample_rate));
  size_t step = std::max<size_t>(1, block / 4);
  std::vector<double> blocks;
  if (x.size() < block) {
    blocks.push_back(prefix.back() / double(x.size()));
  } else {
    for (size_t start = 0; start + block <= x.size(); start += step)
      blocks.push_back((prefix[start + block] - prefix[start]) / double(block));
  }
  auto gated_mean = [&](double threshold_lufs) {
    double sum = 0;
    size_t n = 0;
    for (double z : blocks)
      if (z > 0 && block_lufs(z) > threshold_lufs) {
        sum += z;
        ++n;
      }
    return n ? sum / double(n) : 0.0;
  };
  double absolute = gated_mean(-70.0);
  if (absolute <= 0) return silence;
  double relative = gated_mean(block_lufs(absolute) - 10.0);
  return relative > 0 ? block_lufs(relative) : silence;
}

LoudnessGain normalize_loudness(Waveform& wav, double target_lufs, double peak_ceiling_dbfs) {
  LoudnessGain g;
  g.measured_lufs = integrated_loudness(wav);
  g.result_lufs = g.measured_lufs;
  if (!std::isfinite(g.measured_lufs)) return g;
  float peak = 0.0f;
  for (float v : wav.samples) peak = std::max(peak, std::fabs(v));
  g.gain_db = target_lufs - g.measured_lufs;
  if (peak > 0) g.gain_db = std::min(g.gain_db, peak_ceiling_dbfs - 20.0 * std::log10(double(peak)));
  float scale = float(std::pow(10.0, g.gain_db / 20.0));
  for (float& v : wav.samples) v *= scale;
  g.result_lufs = g.measured_lufs + g.gain_db;
  return g;
}

}  // namespace voxclone
