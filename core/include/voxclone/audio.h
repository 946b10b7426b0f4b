// Audio I/O and RTVC's reference waveform preprocessing. No tensors here: plain float vectors.
//
//   voxclone::Waveform w = voxclone::read_audio("clip.flac");        // mono, native rate
//   w = voxclone::resample(w, 16000);                                // SoX, very high quality
//   voxclone::write_wav("out.wav", w, voxclone::SampleFormat::Pcm16);
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace voxclone {

/// Mono samples in [-1, 1] (float32) with their sample rate.
struct Waveform {
  std::vector<float> samples;
  int sample_rate = 0;
  double seconds() const { return sample_rate > 0 ? double(samples.size()) / sample_rate : 0.0; }
};

/// What `voxclone info` prints for an audio file.
struct AudioInfo {
  std::string format;    ///< container, e.g. "WAV", "FLAC", "OGG", "MPEG"
  std::string subtype;   ///< sample encoding, e.g. "PCM_16", "FLOAT", "VORBIS"
  int sample_rate = 0;
  int channels = 0;
  int64_t frames = 0;
  double seconds = 0.0;
  std::map<std::string, std::string> metadata;  ///< title, artist, comment, software, date ... when present
};

/// Reads the header only. Throws UserError naming the file for anything that is not readable audio.
AudioInfo audio_info(const std::string& path);

/// Reads any file libsndfile reads (WAV, FLAC, OGG, MP3, ...), any width, mixes down to mono (mean of
/// channels), keeps the native rate. Integer PCM is scaled as libsndfile does (int16 / 32768).
/// Throws UserError for: missing/unreadable file, not audio, empty audio, truncated data, NaN/Inf
/// samples, absurd header sizes (it never allocates more than the file can hold).
Waveform read_audio(const std::string& path);

/// read_audio, then resample to `target_rate` when it differs.
Waveform read_audio(const std::string& path, int target_rate);

/// Band-limited resampling with SoX's rate effect at very high quality. Same rate: returns a copy.
Waveform resample(const Waveform& wav, int target_rate);

enum class SampleFormat { Pcm16, Float32 };

/// Writes a WAV atomically (temporary file + rename); a path ending in `.flac` (any case) writes FLAC
/// instead, 16-bit only (Float32 is refused with UserError). Metadata keys: title, artist, comment,
/// software, date, album, copyright, license, tracknumber, genre (libsndfile's string fields); others are
/// refused with UserError. The same samples and metadata give the same bytes.
void write_wav(const std::string& path, const Waveform& wav, SampleFormat format = SampleFormat::Pcm16,
               const std::map<std::string, std::string>& metadata = {});

// ---- RTVC's encoder preprocessing (encoder/audio.py) -------------------------------------------

/// Gain in dB that brings the mean power of `wav` to `target_dbfs`
/// (10*log10(mean(x^2)) in float32 squares, as numpy does).
double volume_gain_db(const std::vector<float>& wav, double target_dbfs);

/// RTVC normalize_volume: applies the gain unless `increase_only` and the gain is negative
/// (or `decrease_only` and it is positive). Returns whether it was applied.
bool normalize_volume(std::vector<float>& wav, double target_dbfs, bool increase_only = false,
                      bool decrease_only = false);

/// Parameters of RTVC's trim_long_silences (encoder/params_data.py).
struct VadParams {
  int window_ms = 30;            ///< vad_window_length
  int moving_average_width = 8;  ///< vad_moving_average_width
  int max_silence_frames = 6;    ///< vad_max_silence_length
};

/// Per-window decisions, exposed for tests and diagnostics.
struct VadTrace {
  std::vector<bool> flags;     ///< speech / non-speech per window (the webrtcvad stage)
  std::vector<bool> smoothed;  ///< moving average + round
  std::vector<bool> dilated;   ///< binary dilation with ones(max_silence_frames + 1)
  int samples_per_window = 0;
};

/// The webrtcvad stage of RTVC's trim_long_silences, bit-exact: each whole window of params.window_ms
/// of np.round(wav * 32767).astype(int16) (float32 product, halves to even; clamped to int16 where numpy
/// would wrap) judged in order by one fresh WebRtcVad(3) (voxclone/webrtc_vad.h). Throws UserError unless
/// the rate is 8000, 16000, 32000 or 48000 Hz and the window 10, 20 or 30 ms.
std::vector<bool> webrtc_vad_flags(const std::vector<float>& wav, int sample_rate,
                                   const VadParams& params = {});

/// RTVC trim_long_silences: drops runs of silence longer than max_silence_frames windows, speech being
/// what webrtc_vad_flags says. The input is first truncated to a whole number of windows. Throws
/// UserError if no speech at all is found, or if webrtc_vad_flags rejects the rate or window.
std::vector<float> trim_long_silences(const std::vector<float>& wav, int sample_rate,
                                      const VadParams& params = {}, VadTrace* trace = nullptr);

/// The part of trim_long_silences after the VAD, with the per-window `flags` given (one per
/// whole window of `wav`): RTVC's moving average (width params.moving_average_width, rounded half to
/// even), binary dilation, then the samples of the windows kept. Lets the smoothing and selection be
/// checked exactly against reference flags. Throws UserError if `flags` has no speech window, and
/// InternalError if its size is not the number of whole windows.
std::vector<float> trim_with_flags(const std::vector<float>& wav, const std::vector<bool>& flags,
                                   int sample_rate, const VadParams& params = {}, VadTrace* trace = nullptr);

/// RTVC encoder.audio.preprocess_wav: resample to 16 kHz, normalise to -30 dBFS (increase only),
/// trim long silences.
Waveform preprocess_for_encoder(const Waveform& wav, double target_dbfs = -30.0, bool normalize = true,
                                bool trim_silence = true);

/// RTVC synthesizer rescaling: wav / max|wav| * peak (Synthesizer.load_preprocess_wav, rescaling_max).
void rescale_peak(std::vector<float>& wav, float peak = 0.9f);

}  // namespace voxclone
