// Signal processing with RTVC's exact conventions (librosa 0.9.2): STFT, Slaney mel filterbank, the
// encoder mel (frames × 40) and the synthesizer mel (80 × frames), and Griffin-Lim inversion.
// Tensors are float32 on the CPU unless said otherwise; internal FFTs run in float64 like numpy.
#pragma once

#include <ATen/core/Tensor.h>

#include <vector>

#include "voxclone/mel.h"

namespace voxclone {

/// Periodic Hann window of length n (scipy.signal.get_window('hann', n, fftbins=True)), float64.
at::Tensor hann_window_periodic(int64_t n);

/// librosa.stft(y, n_fft, hop, win, window='hann', center=True, pad_mode='constant'):
/// complex128 [n_fft/2+1, frames]. `y` is 1-D float32 or float64.
at::Tensor stft(const at::Tensor& y, int64_t n_fft, int64_t hop, int64_t win);

/// librosa.istft inverse of stft() (center=True, window sum-square normalisation); `length` trims/pads.
/// float64 samples, (frames - 1) * hop of them unless `length` says otherwise.
at::Tensor istft(const at::Tensor& spec, int64_t hop, int64_t win, int64_t length = -1);

/// librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm='slaney'): float32 [n_mels, n_fft/2+1].
at::Tensor mel_filterbank(int sample_rate, int n_fft, int n_mels, double fmin, double fmax);

/// RTVC encoder.audio.wav_to_mel_spectrogram: power mel, 40 bands, 25 ms / 10 ms windows at 16 kHz,
/// float32 [frames, 40].
at::Tensor encoder_mel(const std::vector<float>& wav, int sample_rate = 16000, int n_mels = 40,
                       int window_ms = 25, int step_ms = 10);

/// RTVC synthesizer.audio.melspectrogram: pre-emphasis, |STFT|, mel, amp→dB − ref, symmetric
/// normalisation. float32 [num_mels, frames].
at::Tensor synthesizer_mel(const std::vector<float>& wav, const MelSettings& s = {});

/// Steps of synthesizer_mel, exposed for tests: magnitude [n_fft/2+1, frames] → amplitude mel (float64,
/// like RTVC's np.dot with a float32 basis); amplitude → 20*log10(max(10^(min_level_db/20), x)) −
/// ref_level_db; dB → normalised (symmetric or not, clipped if allowed). All three return float64.
at::Tensor linear_to_mel(const at::Tensor& magnitude, const MelSettings& s);
at::Tensor amp_to_db(const at::Tensor& amp, const MelSettings& s);
at::Tensor normalize_mel(const at::Tensor& db, const MelSettings& s);

/// Steps of inv_mel_spectrogram, exposed for tests: denormalise (dB), dB → amplitude, mel → linear
/// (pinv of the filterbank, floored at 1e-10).
at::Tensor denormalize_mel(const at::Tensor& mel, const MelSettings& s);
at::Tensor db_to_amp(const at::Tensor& db);
at::Tensor mel_to_linear(const at::Tensor& mel_amp, const MelSettings& s);
/// np.linalg.pinv(mel_filterbank(s)), the matrix mel_to_linear applies: float32 [n_fft/2+1, num_mels].
at::Tensor inverse_mel_basis(const MelSettings& s);

/// RTVC's pre-emphasis filter y[n] = x[n] - k x[n-1] (float64 like scipy.signal.lfilter).
at::Tensor preemphasis(const at::Tensor& wav, double k);
/// Its inverse (de-emphasis).
at::Tensor deemphasis(const at::Tensor& wav, double k);

/// Griffin-Lim from a linear magnitude [n_fft/2+1, frames] (already raised to `power` if wanted).
/// Random initial phases from `seed` (< 0: nondeterministic). Returns float32 samples.
at::Tensor griffin_lim(const at::Tensor& magnitude, int n_iter, int64_t n_fft, int64_t hop, int64_t win,
                       int64_t seed = -1);

/// RTVC synthesizer.audio.inv_mel_spectrogram: mel (normalised) → waveform via Griffin-Lim, with
/// de-emphasis. float32 samples.
std::vector<float> inv_mel_spectrogram(const at::Tensor& mel, const MelSettings& s, int64_t seed = -1);

}  // namespace voxclone
