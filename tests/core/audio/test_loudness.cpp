// BS.1770-4 loudness: the standard's own 48 kHz filter table and its -3.01 LKFS sine calibration point.
#include "audio_test_util.h"  // first: it fixes the CHECK macro clash, then includes Catch

#include <cmath>

#include "voxclone/loudness.h"

using namespace voxclone;
using Catch::Matchers::WithinAbs;

namespace {

Waveform sine(double hz, double amplitude, double seconds, int rate) {
  Waveform w;
  w.sample_rate = rate;
  w.samples.resize(size_t(seconds * rate));
  for (size_t i = 0; i < w.samples.size(); ++i)
    w.samples[i] = float(amplitude * std::sin(2.0 * M_PI * hz * double(i) / rate));
  return w;
}

}  // namespace

TEST_CASE("K-weighting at 48 kHz equals the coefficients printed in BS.1770-4", "[audio][loudness]") {
  auto k = k_weighting(48000);
  // ITU-R BS.1770-4, Tables 1 and 2.
  CHECK_THAT(k[0].b[0], WithinAbs(1.53512485958697, 1e-9));
  CHECK_THAT(k[0].b[1], WithinAbs(-2.69169618940638, 1e-9));
  CHECK_THAT(k[0].b[2], WithinAbs(1.19839281085285, 1e-9));
  CHECK_THAT(k[0].a[1], WithinAbs(-1.69065929318241, 1e-9));
  CHECK_THAT(k[0].a[2], WithinAbs(0.73248077421585, 1e-9));
  CHECK_THAT(k[1].a[1], WithinAbs(-1.99004745483398, 1e-9));
  CHECK_THAT(k[1].a[2], WithinAbs(0.99007225036621, 1e-9));
}

TEST_CASE("a full-scale 997 Hz sine measures -3.01 LUFS", "[audio][loudness]") {
  // The standard's calibration: 0 dBFS 997 Hz in one channel reads -3.01 LKFS.
  CHECK_THAT(integrated_loudness(sine(997, 1.0, 5.0, 48000)), WithinAbs(-3.01, 0.02));
  // The derived filters keep that at the rates voxclone writes.
  CHECK_THAT(integrated_loudness(sine(997, 1.0, 5.0, 16000)), WithinAbs(-3.01, 0.1));
  CHECK_THAT(integrated_loudness(sine(997, 1.0, 5.0, 22050)), WithinAbs(-3.01, 0.1));
  // 20 dB quieter reads 20 LU lower.
  CHECK_THAT(integrated_loudness(sine(997, 0.1, 5.0, 48000)), WithinAbs(-23.01, 0.02));
}

TEST_CASE("gating ignores silence", "[audio][loudness]") {
  Waveform tone = sine(997, 0.1, 3.0, 16000);
  Waveform padded = tone;
  padded.samples.insert(padded.samples.end(), size_t(3 * 16000), 0.0f);
  // 27 whole-tone blocks (starts 0 .. 2.6 s) pass; of the 400 ms blocks over the edge, those 75%, 50% and 25%
  // tone (-1.2, -3, -6 LU) pass the -10 LU relative gate and the silent ones do not: mean power 28.5/30.
  CHECK_THAT(integrated_loudness(padded), WithinAbs(integrated_loudness(tone) + 10.0 * std::log10(28.5 / 30.0), 0.01));
  Waveform silent;
  silent.sample_rate = 16000;
  silent.samples.assign(16000, 0.0f);
  CHECK(std::isinf(integrated_loudness(silent)));
}

TEST_CASE("normalize_loudness reaches the target unless the peak ceiling stops it", "[audio][loudness]") {
  Waveform w = sine(997, 0.05, 2.0, 16000);
  LoudnessGain g = normalize_loudness(w, -20.0, -1.0);
  CHECK_THAT(g.result_lufs, WithinAbs(-20.0, 1e-9));
  CHECK_THAT(integrated_loudness(w), WithinAbs(-20.0, 0.05));
  // -3 LUFS would need a peak above -1 dBFS (a sine reads 3 LU under its peak): the gain stops at the ceiling.
  Waveform loud = sine(997, 0.05, 2.0, 16000);
  g = normalize_loudness(loud, -3.0, -1.0);
  float peak = 0;
  for (float v : loud.samples) peak = std::max(peak, std::fabs(v));
  CHECK_THAT(20.0 * std::log10(peak), WithinAbs(-1.0, 0.01));
  CHECK_THAT(g.result_lufs, WithinAbs(-4.0, 0.1));
  Waveform silent;
  silent.sample_rate = 16000;
  silent.samples.assign(8000, 0.0f);
  CHECK(normalize_loudness(silent, -20.0, -1.0).gain_db == 0.0);
}
