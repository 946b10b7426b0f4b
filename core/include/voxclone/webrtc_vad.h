// WebRTC's voice activity detector, re-implemented bit for bit (the decisions of Python's webrtcvad 2.0.10).
//
//   voxclone::WebRtcVad vad(3);  // aggressiveness 0 (least) to 3 (most), as webrtcvad.Vad(mode)
//   for (size_t i = 0; i + 480 <= pcm.size(); i += 480)
//     flags.push_back(vad.is_speech(pcm.data() + i, 480, 16000));  // 30 ms windows of int16 at 16 kHz
//
// The detector is stateful: its noise and speech models, filter memories and hangover carry from one
// call to the next, so feed consecutive frames of one signal to one object (a fresh object per signal).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace voxclone {

class WebRtcVad {
 public:
  /// Throws UserError unless 0 <= mode <= 3.
  explicit WebRtcVad(int mode = 3);
  ~WebRtcVad();
  WebRtcVad(const WebRtcVad& other);  ///< copies the whole state: both then continue alike
  WebRtcVad& operator=(const WebRtcVad& other);
  WebRtcVad(WebRtcVad&&) noexcept;
  WebRtcVad& operator=(WebRtcVad&&) noexcept;

  /// Changes the thresholds only, as WebRTC does: the adapted models are kept. Throws UserError unless
  /// 0 <= mode <= 3.
  void set_mode(int mode);
  int mode() const noexcept { return mode_; }

  /// Speech or not for one frame of `n` samples at `sample_rate`. Throws UserError unless
  /// valid_frame(sample_rate, n) and samples is not null. At 48 kHz, WebRTC (as webrtcvad 2.0.10 bundles
  /// it) downsamples the first 10 ms of the frame once per 10 ms of frame length; that is kept, so the
  /// decisions stay webrtcvad's.
  bool is_speech(const int16_t* samples, size_t n, int sample_rate);

  /// Whether WebRTC accepts the frame: 8000, 16000, 32000 or 48000 Hz and 10, 20 or 30 ms of samples.
  static bool valid_frame(int sample_rate, size_t n) noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
  int mode_ = 3;
};

}  // namespace voxclone
