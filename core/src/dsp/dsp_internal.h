// Helpers shared by the DSP translation units (not part of the SDK).
#pragma once

#include <ATen/core/Tensor.h>

#include "voxclone/mel.h"

namespace voxclone::dsp_detail {

/// Griffin-Lim keeping RTVC's float64 samples (de-emphasis runs on them before any rounding to float32).
at::Tensor griffin_lim_f64(const at::Tensor& magnitude, int n_iter, int64_t n_fft, int64_t hop, int64_t win,
                           int64_t seed);

}  // namespace voxclone::dsp_detail
