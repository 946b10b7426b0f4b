// Log-MMSE spectral noise reduction as RTVC's utils/logmmse.py runs it (Ephraim & Malah's log-spectral
// amplitude estimator with a decision-directed a-priori SNR), used by the synthesizer's LibriSpeech
// preprocessing to clean each utterance with a noise profile taken from its long pauses.
//
//   NoiseProfile p = logmmse_profile_noise(pause_samples, 16000);
//   std::vector<float> clean = logmmse_denoise(wav, p, /*eta=*/0.0);
//
// Arithmetic is float64 throughout, as in numpy; float32 in, float32 out.
#pragma once

#include <vector>

namespace voxclone {

/// What profile_noise measures: the frame layout and the mean noise power per FFT bin.
struct NoiseProfile {
  int sample_rate = 0;
  int window_size = 0;            ///< samples per analysis window (20 ms by default, made even)
  int len1 = 0;                   ///< overlap: half a window
  int len2 = 0;                   ///< hop: the other half
  int n_fft = 0;                  ///< twice the window (zero padding)
  std::vector<double> win;        ///< numpy's symmetric Hanning scaled to sum to len2
  std::vector<double> noise_mu2;  ///< squared mean FFT magnitude of the noise windows, n_fft bins
};

/// RTVC logmmse.profile_noise: `noise` holds noise only. window_size 0 picks floor(0.02 * sample_rate).
/// Throws UserError when `noise` is shorter than one window or the rate is not positive.
NoiseProfile logmmse_profile_noise(const std::vector<float>& noise, int sample_rate, int window_size = 0);

/// Whether every bin of the profile has finite, positive noise power. Digitally silent "noise" leaves bins at
/// zero, where RTVC's gain becomes NaN and its output NaN samples.
bool logmmse_profile_usable(const NoiseProfile& profile);

/// RTVC logmmse.denoise: the cleaned waveform, same length as `wav` (the last window and a half, which the
/// overlap-add never completes, are zeros, as in RTVC). `eta` is the speech-presence threshold below which
/// the noise estimate keeps adapting; 0 disables adaptation (split_on_silences). RTVC's window count is
/// floor(len / hop) - floor(window / hop): a `wav` with none (shorter than three hops) comes back as zeros.
std::vector<float> logmmse_denoise(const std::vector<float>& wav, const NoiseProfile& profile,
                                   double eta = 0.15);

/// The exponential integral E1(x) = ∫_x^∞ e^-t / t dt for x > 0 (scipy.special.expn(1, x)), to about 1e-15
/// relative. Throws UserError for x <= 0.
double exponential_integral_e1(double x);

}  // namespace voxclone
