// FastLstmCell: packed small-batch matrix product plus LSTM gates (see fast_lstm.h).
#include "fast_lstm.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cstring>

namespace voxclone::tacotron {
namespace {

constexpr int64_t kLanes = 16;
typedef float v16 __attribute__((vector_size(64)));

// c[r][j] = bias[j] + Σ_k a[r][k] w[k][j] for MR rows and one block of 16 columns (w: K rows of 16 floats).
template <int MR>
__attribute__((always_inline)) inline void block_rows(const float* a, int64_t lda, const float* w, int64_t K,
                                                      const float* bias, float* c, int64_t ldc, int64_t cols) {
  v16 acc[MR];
  for (int r = 0; r < MR; ++r) acc[r] = v16{};
  for (int64_t k = 0; k < K; ++k) {
    v16 wv;
    std::memcpy(&wv, w + k * kLanes, sizeof wv);
    for (int r = 0; r < MR; ++r) acc[r] += a[r * lda + k] * wv;
  }
  v16 bv;
  std::memcpy(&bv, bias, sizeof bv);
  for (int r = 0; r < MR; ++r) {
    v16 out = acc[r] + bv;
    std::memcpy(c + r * ldc, &out, size_t(cols) * sizeof(float));
  }
}

struct GemmArgs {
  const float* a;
  int64_t lda, rows, K, n;
  const float* packed;
  const float* bias;
  float* c;
  int64_t ldc;
};

// Column blocks [b0, b1): each block's weights are read from memory once and reused from cache for every
// group of MAXR rows.
template <int MAXR>
__attribute__((always_inline)) inline void gemm_blocks(const GemmArgs& g, int64_t b0, int64_t b1) {
  for (int64_t b = b0; b < b1; ++b) {
    const float* w = g.packed + b * g.K * kLanes;
    const float* bias = g.bias + b * kLanes;
    const int64_t col = b * kLanes, cols = std::min<int64_t>(kLanes, g.n - col);
    for (int64_t r = 0; r < g.rows;) {
      const float* a = g.a + r * g.lda;
      float* c = g.c + r * g.ldc + col;
      const int64_t left = g.rows - r;
      if (left >= MAXR) {
        block_rows<MAXR>(a, g.lda, w, g.K, bias, c, g.ldc, cols);
        r += MAXR;
      } else if (left >= 4) {
        block_rows<4>(a, g.lda, w, g.K, bias, c, g.ldc, cols);
        r += 4;
      } else if (left >= 2) {
        block_rows<2>(a, g.lda, w, g.K, bias, c, g.ldc, cols);
        r += 2;
      } else {
        block_rows<1>(a, g.lda, w, g.K, bias, c, g.ldc, cols);
        r += 1;
      }
    }
  }
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx512f,fma"))) void gemm_avx512(const GemmArgs& g, int64_t b0, int64_t b1) {
  gemm_blocks<8>(g, b0, b1);
}
__attribute__((target("avx2,fma"))) void gemm_avx2(const GemmArgs& g, int64_t b0, int64_t b1) {
  gemm_blocks<4>(g, b0, b1);
}
#endif
void gemm_generic(const GemmArgs& g, int64_t b0, int64_t b1) { gemm_blocks<4>(g, b0, b1); }

using GemmFn = void (*)(const GemmArgs&, int64_t, int64_t);

struct Kernel {
  GemmFn fn;
  const char* isa;
};

Kernel pick_kernel() {
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return {gemm_avx512, "avx512"};
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return {gemm_avx2, "avx2"};
#endif
  return {gemm_generic, "generic"};
}

const Kernel& kernel() {
  static const Kernel k = pick_kernel();
  return k;
}

}  // namespace

const char* fast_lstm_isa() { return kernel().isa; }

bool FastLstmCell::supports(const at::Tensor& w_ih) {
  return w_ih.device().is_cpu() && w_ih.scalar_type() == at::kFloat;
}

void FastLstmCell::prepare(const at::Tensor& w_ih, const at::Tensor& w_hh, const at::Tensor& b_ih,
                           const at::Tensor& b_hh) {
  if (packed_.defined() && key_ptr_[0] == w_ih.data_ptr() && key_ptr_[1] == w_hh.data_ptr() &&
      key_version_[0] == w_ih._version() && key_version_[1] == w_hh._version())
    return;
  at::NoGradGuard ng;
  const int64_t n = w_ih.size(0), in = w_ih.size(1), hidden = w_hh.size(1);
  const int64_t blocks = (n + kLanes - 1) / kLanes, padded = blocks * kLanes, K = in + hidden;
  // [n, K] → zero-padded [padded, K] → [blocks, 16, K] → [blocks, K, 16].
  at::Tensor w = at::zeros({padded, K}, w_ih.options());
  w.slice(0, 0, n).slice(1, 0, in).copy_(w_ih);
  w.slice(0, 0, n).slice(1, in, K).copy_(w_hh);
  packed_ = w.view({blocks, kLanes, K}).transpose(1, 2).contiguous();
  bias_ = at::zeros({padded}, w_ih.options());
  bias_.slice(0, 0, n).copy_(b_ih + b_hh);
  in_ = in;
  hidden_ = hidden;
  key_ptr_[0] = w_ih.data_ptr();
  key_ptr_[1] = w_hh.data_ptr();
  key_version_[0] = w_ih._version();
  key_version_[1] = w_hh._version();
}

std::pair<at::Tensor, at::Tensor> FastLstmCell::step(const at::Tensor& x, const at::Tensor& h,
                                                     const at::Tensor& c) const {
  const int64_t rows = x.size(0), n = 4 * hidden_, K = in_ + hidden_;
  at::Tensor a = at::cat({x, h}, 1).contiguous();
  at::Tensor gates = at::empty({rows, n}, x.options());
  GemmArgs g{a.data_ptr<float>(), K, rows, K, n, packed_.data_ptr<float>(), bias_.data_ptr<float>(),
             gates.data_ptr<float>(), n};
  const GemmFn fn = kernel().fn;
  const int64_t blocks = packed_.size(0);
  at::parallel_for(0, blocks, 8, [&](int64_t b0, int64_t b1) { fn(g, b0, b1); });
  // PyTorch's gate order: input, forget, cell, output.
  auto chunks = gates.chunk(4, 1);
  at::Tensor c2 = at::sigmoid(chunks[1]) * c + at::sigmoid(chunks[0]) * at::tanh(chunks[2]);
  at::Tensor h2 = at::sigmoid(chunks[3]) * at::tanh(c2);
  return {h2, c2};
}

}  // namespace voxclone::tacotron
