// Inference-only LSTMs for small batches, the hot loops of the Tacotron decoder (two 1024-wide LSTM cells per
// step at batch 1-8) and the GE2E encoder (3 layers over 160 frames for a dozen partials).
//
// LibTorch issues each step as BLAS calls (W_ih·x, W_hh·h) followed by half a dozen elementwise ops; at these
// batch sizes that reaches about half the memory bandwidth (Tacotron) or spends more time in op overhead than
// in arithmetic (GE2E). Here the weights are packed once into groups of 16 hidden units × 4 gates, each group
// streamed once per step by one thread, with the gates, the cell update and tanh computed while the sums are
// still in registers. AVX-512 or AVX2 is chosen at run time. Results equal LibTorch's up to float rounding
// (the sums run in another order; exp is a polynomial with relative error 2e-7).
//
// Weights are repacked only when they change (data pointer or version counter), so a model that trains and
// generates in turn stays correct.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace voxclone {

/// PyTorch's LSTM parameters of one layer (gate order input, forget, cell, output).
struct LstmWeights {
  at::Tensor w_ih, w_hh, b_ih, b_hh;
};

/// Whether the packed kernels can run these weights: float32 on the CPU, hidden size a multiple of 16.
bool fast_lstm_supports(const LstmWeights& w);

/// The instruction set the packed kernels use here: "avx512", "avx2" or "generic".
const char* fast_lstm_isa();

/// One LSTMCell step (the Tacotron decoder's residual LSTMs).
class FastLstmCell {
 public:
  void prepare(const LstmWeights& w);
  /// x (B, in), h and c (B, hidden), float32 → (h', c').
  std::pair<at::Tensor, at::Tensor> step(const at::Tensor& x, const at::Tensor& h, const at::Tensor& c) const;

 private:
  struct Packed;
  std::shared_ptr<Packed> p_;
};

/// A stack of unidirectional LSTM layers run over whole sequences (torch::nn::LSTM, batch_first, zero initial
/// state), as the GE2E encoder uses it.
class FastLstm {
 public:
  void prepare(const std::vector<LstmWeights>& layers);
  /// x (B, T, in) float32 → the last layer's hidden state after the last frame (B, hidden).
  at::Tensor last_hidden(const at::Tensor& x) const;

 private:
  struct Layer;
  std::vector<std::shared_ptr<Layer>> layers_;
};

}  // namespace voxclone
