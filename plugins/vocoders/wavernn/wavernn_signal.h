// WaveRNN's signal helpers (RTVC vocoder/audio.py and WaveRNN's static helpers): mu-law, label ↔ float,
// padding, folding a long sequence into overlapping batch rows and cross-fading it back.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>

namespace voxclone::wavernn {

/// encode_mu_law(x, mu): floor((sign(x) log(1 + (mu-1)|x|) / log(mu) + 1) / 2 (mu-1) + 0.5), float64.
at::Tensor encode_mu_law(const at::Tensor& x, int64_t mu);
/// decode_mu_law(y, mu, from_labels): labels are first mapped to [-1, 1] (label_2_float, bits = log2 mu).
at::Tensor decode_mu_law(const at::Tensor& y, int64_t mu, bool from_labels);
/// 2 x / (2^bits - 1) - 1 in the dtype of `x` (float64 for integer input).
at::Tensor label_2_float(const at::Tensor& x, int64_t bits);
/// (x + 1) (2^bits - 1) / 2 clipped to [0, 2^bits - 1], not rounded (float64 for integer input).
at::Tensor float_2_label(const at::Tensor& x, int64_t bits);

/// WaveRNN.pad_tensor: zero-pad [B, T, C] along time; side "both", "before" or "after".
at::Tensor pad_tensor(const at::Tensor& x, int64_t pad, const std::string& side);
/// WaveRNN.fold_with_overlap: [1, L, F] → [num_folds, target + 2 overlap, F] (zero-padded at the end).
at::Tensor fold_with_overlap(const at::Tensor& x, int64_t target, int64_t overlap);
/// WaveRNN.xfade_and_unfold on float64 [num_folds, target + 2 overlap] → [num_folds (target + overlap) +
/// overlap]: overlap/2 of silence then an equal-power cross-fade.
at::Tensor xfade_and_unfold(const at::Tensor& y, int64_t target, int64_t overlap);

/// The end of WaveRNN.generate on float64 samples in [-1, 1]: mu-law decoding (optional), de-emphasis
/// (optional, coefficient k), truncation to `wave_len` and a linear fade-out over the last `fade_len`
/// samples (all of them when shorter; RTVC raises there instead). Returns float64 [wave_len].
at::Tensor finish_waveform(const at::Tensor& samples, int64_t n_classes, bool mu_law, bool deemphasize,
                           double k, int64_t wave_len, int64_t fade_len);

}  // namespace voxclone::wavernn
