// Partial-utterance slicing of RTVC's encoder inference.
#include "partials.h"

#include <algorithm>
#include <cmath>

#include "voxclone/error.h"

namespace voxclone::ge2e {

PartialSlices compute_partial_slices(int64_t n_samples, const PartialOptions& o) {
  if (!(o.overlap >= 0.0 && o.overlap < 1.0))
    throw InternalError("compute_partial_slices: overlap must be in [0, 1)");
  if (!(o.min_pad_coverage > 0.0 && o.min_pad_coverage <= 1.0))
    throw InternalError("compute_partial_slices: min_pad_coverage must be in (0, 1]");
  const int64_t samples_per_frame = int64_t(o.sample_rate) * o.step_ms / 1000;
  // ceil((n + 1) / spf) in integers: the frame count of a centred STFT over n samples.
  const int64_t n_frames = (n_samples + 1 + samples_per_frame - 1) / samples_per_frame;
  // np.round rounds half to even, as nearbyint does in the default rounding mode.
  const int64_t frame_step =
      std::max<int64_t>(int64_t(std::nearbyint(double(o.partial_frames) * (1.0 - o.overlap))), 1);
  const int64_t steps = std::max<int64_t>(1, n_frames - o.partial_frames + frame_step + 1);

  PartialSlices out;
  for (int64_t i = 0; i < steps; i += frame_step) {
    out.mel.push_back({i, i + o.partial_frames});
    out.wav.push_back({i * samples_per_frame, (i + o.partial_frames) * samples_per_frame});
  }
  const Range& last = out.wav.back();
  double coverage = double(n_samples - last.start) / double(last.stop - last.start);
  if (coverage < o.min_pad_coverage && out.mel.size() > 1) {
    out.mel.pop_back();
    out.wav.pop_back();
  }
  return out;
}

}  // namespace voxclone::ge2e
