// Inference-only LSTM cell for the Tacotron decoder's two 1024-wide residual LSTMs, the hot path of
// generation: at batch 1-8 each step is a matrix-vector product over 33 MB of weights per cell, which
// LibTorch issues as two BLAS calls (W_ih·x, W_hh·h) that reach about half the memory bandwidth. Here the
// weights [W_ih | W_hh] are packed once into 16-column blocks that one pass streams through, split over the
// intra-op threads. Results equal torch::nn::LSTMCell's up to float rounding (the sums run in another order).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <utility>

namespace voxclone::tacotron {

class FastLstmCell {
 public:
  /// Packs the cell's weights unless the same tensors (data pointer and version counter) were packed last.
  void prepare(const at::Tensor& w_ih, const at::Tensor& w_hh, const at::Tensor& b_ih, const at::Tensor& b_hh);
  /// One step: x (B, in), h and c (B, hidden), float32 contiguous on the CPU → (h', c').
  std::pair<at::Tensor, at::Tensor> step(const at::Tensor& x, const at::Tensor& h, const at::Tensor& c) const;
  /// Whether `step` can run these weights (float32 on the CPU).
  static bool supports(const at::Tensor& w_ih);

 private:
  at::Tensor packed_;  ///< [blocks][in + hidden][16]
  at::Tensor bias_;    ///< b_ih + b_hh, padded to the blocks
  int64_t in_ = 0, hidden_ = 0;
  const void* key_ptr_[2] = {nullptr, nullptr};
  uint32_t key_version_[2] = {0, 0};
};

/// The instruction set the packed kernel runs with here: "avx512", "avx2" or "generic".
const char* fast_lstm_isa();

}  // namespace voxclone::tacotron
