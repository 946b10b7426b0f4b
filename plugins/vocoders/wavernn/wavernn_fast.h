// The fast WaveRNN sampler: packs the step weights once, then runs the sample loop with no allocation
// per sample (fused GRU matmuls, every batch row at once). Not bit-exact with RTVC (own RNG, reassociated
// sums); the `strict` path in wavernn_model.cpp is.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace voxclone::wavernn {

/// What a generation can report (for tests and diagnostics).
struct GenerateTrace {
  int64_t logit_steps = 16;  ///< how many leading steps of logits to keep
  at::Tensor forced;         ///< optional int64 [S, B]: feed these labels instead of sampling
  at::Tensor labels;         ///< out: int64 [S, B]
  at::Tensor logits;         ///< out: float32 [logit_steps, B, n_classes]
};

/// The parameters the sample loop uses (RTVC names: I, rnn1, rnn2, fc1..fc3), float32 CPU tensors.
struct StepWeights {
  at::Tensor i_w, i_b;
  at::Tensor w_ih1, w_hh1, b_ih1, b_hh1;
  at::Tensor w_ih2, w_hh2, b_ih2, b_hh2;
  at::Tensor fc1_w, fc1_b, fc2_w, fc2_b, fc3_w, fc3_b;
};

class FastSampler {
 public:
  /// `isa`: "auto" (the best this CPU runs), "avx512", "avx2" or "generic". UserError if not runnable.
  FastSampler(const StepWeights& w, int64_t feat_dims, int64_t aux_dims, int64_t bits,
              const std::string& isa = "auto");
  ~FastSampler();
  FastSampler(const FastSampler&) = delete;
  FastSampler& operator=(const FastSampler&) = delete;

  /// mels [B, S, feat], aux [B, S, >= 4 aux_dims] (folded or not) → float32 samples [B, S] in [-1, 1].
  /// Rows are independent sequences: they are shared among the threads with no synchronisation, and each
  /// row has its own random stream (seed, row), so the result does not depend on the thread count.
  at::Tensor run(const at::Tensor& mels, const at::Tensor& aux, int64_t seed, GenerateTrace* trace = nullptr);
  /// Threads used by run() (1 by default; 0: one per hardware thread).
  void set_threads(int threads) { threads_ = threads; }
  const std::string& isa() const { return isa_; }
  /// The instruction sets this CPU can run, best first.
  static std::vector<std::string> available_isas();
  /// Whether "avx512bf16" runs here: bfloat16 matmuls with float32 sums, about twice the throughput,
  /// logits within about 1e-3 of float32 (opt-in only; "auto" never picks it).
  static bool bf16_available();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string isa_;
  int threads_ = 1;
};

}  // namespace voxclone::wavernn
