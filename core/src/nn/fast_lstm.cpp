// FastLstmCell and FastLstm: packed small-batch LSTM steps (see voxclone/fast_lstm.h).
#include "voxclone/fast_lstm.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "voxclone/error.h"
#include "voxclone/simd_v16.h"

namespace voxclone {
namespace {

using simd::v16;
constexpr int64_t kLanes = 16;

/// One step for the rows of a batch: gates = init + a·Wᵀ (W packed by group), then the LSTM update.
struct StepArgs {
  const float* a;  ///< [rows, K] inputs of the product (row stride lda)
  int64_t lda, rows, K, H;
  const float* packed;  ///< [H/16 groups][4 gates][K][16]
  const float* init;    ///< [rows, 4H] pre-activations added to the product (row stride ldi; 0: one row for all)
  int64_t ldi;
  const float* c_in;  ///< [rows, H] (row stride ldc_in); may equal c_out
  int64_t ldc_in;
  float* c_out;
  int64_t ldc_out;
  float* h_out;  ///< [rows, H] (row stride ldh)
  int64_t ldh;
};

// MR rows × one group of 16 hidden units: the four gate sums stay in registers through the cell update.
template <int MR>
__attribute__((always_inline)) inline void group_rows(const StepArgs& s, int64_t q, int64_t r0) {
  v16 acc[MR][4];
  for (int r = 0; r < MR; ++r)
    for (int g = 0; g < 4; ++g) acc[r][g] = v16{};
  const float* w = s.packed + q * 4 * s.K * kLanes;
  const int64_t gate_stride = s.K * kLanes;
  const float* a = s.a + r0 * s.lda;
  for (int64_t k = 0; k < s.K; ++k) {
    v16 wv[4];
    for (int g = 0; g < 4; ++g) wv[g] = simd::load(w + g * gate_stride + k * kLanes);
    for (int r = 0; r < MR; ++r) {
      const float av = a[r * s.lda + k];
      for (int g = 0; g < 4; ++g) acc[r][g] += av * wv[g];
    }
  }
  const int64_t col = q * kLanes;
  for (int r = 0; r < MR; ++r) {
    const int64_t row = r0 + r;
    const float* in = s.init + row * s.ldi + col;
    const v16 i = simd::vsigmoid(acc[r][0] + simd::load(in));
    const v16 f = simd::vsigmoid(acc[r][1] + simd::load(in + s.H));
    const v16 g = simd::vtanh(acc[r][2] + simd::load(in + 2 * s.H));
    const v16 o = simd::vsigmoid(acc[r][3] + simd::load(in + 3 * s.H));
    const v16 c = f * simd::load(s.c_in + row * s.ldc_in + col) + i * g;
    simd::store(s.c_out + row * s.ldc_out + col, c);
    simd::store(s.h_out + row * s.ldh + col, o * simd::vtanh(c));
  }
}

template <int MAXR>
__attribute__((always_inline)) inline void groups(const StepArgs& s, int64_t q0, int64_t q1) {
  for (int64_t q = q0; q < q1; ++q) {
    int64_t r = 0;
    for (; r + MAXR <= s.rows; r += MAXR) group_rows<MAXR>(s, q, r);
    for (; r < s.rows; ++r) group_rows<1>(s, q, r);
  }
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx512f,fma"))) void groups_avx512(const StepArgs& s, int64_t q0, int64_t q1) {
  groups<4>(s, q0, q1);
}
__attribute__((target("avx2,fma"))) void groups_avx2(const StepArgs& s, int64_t q0, int64_t q1) {
  groups<2>(s, q0, q1);
}
#endif
void groups_generic(const StepArgs& s, int64_t q0, int64_t q1) { groups<2>(s, q0, q1); }

using GroupsFn = void (*)(const StepArgs&, int64_t, int64_t);

struct Kernel {
  GroupsFn fn;
  const char* isa;
};

Kernel pick_kernel() {
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return {groups_avx512, "avx512"};
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return {groups_avx2, "avx2"};
#endif
  return {groups_generic, "generic"};
}

const Kernel& kernel() {
  static const Kernel k = pick_kernel();
  return k;
}

void run_step(const StepArgs& s) {
  const GroupsFn fn = kernel().fn;
  at::parallel_for(0, s.H / kLanes, 1, [&](int64_t q0, int64_t q1) { fn(s, q0, q1); });
}

/// [4H, K] (rows i, f, g, o of H each) → [H/16][4][K][16].
at::Tensor pack_groups(const at::Tensor& w, int64_t H) {
  const int64_t K = w.size(1);
  return w.view({4, H / kLanes, kLanes, K}).permute({1, 0, 3, 2}).contiguous();
}

/// What a packing was made from: each tensor's data pointer and version counter.
struct Key {
  std::array<const void*, 4> ptr{};
  std::array<uint32_t, 4> version{};
  static Key of(const LstmWeights& w) {
    Key k;
    const at::Tensor* t[4] = {&w.w_ih, &w.w_hh, &w.b_ih, &w.b_hh};
    for (int i = 0; i < 4; ++i) {
      k.ptr[size_t(i)] = t[i]->defined() ? t[i]->data_ptr() : nullptr;
      k.version[size_t(i)] = t[i]->defined() ? t[i]->_version() : 0;
    }
    return k;
  }
  bool operator==(const Key& o) const { return ptr == o.ptr && version == o.version; }
};

at::Tensor summed_bias(const LstmWeights& w, int64_t H) {
  at::Tensor b = at::zeros({4 * H}, w.w_ih.options());
  if (w.b_ih.defined()) b.add_(w.b_ih);
  if (w.b_hh.defined()) b.add_(w.b_hh);
  return b;
}

void check_supported(const LstmWeights& w) {
  if (!fast_lstm_supports(w))
    throw InternalError("fast LSTM: needs float32 CPU weights with a hidden size that is a multiple of 16");
}

}  // namespace

bool fast_lstm_supports(const LstmWeights& w) {
  if (!w.w_ih.defined() || !w.w_hh.defined() || w.w_ih.dim() != 2 || w.w_hh.dim() != 2) return false;
  const int64_t H = w.w_hh.size(1);
  return w.w_ih.device().is_cpu() && w.w_ih.scalar_type() == at::kFloat && w.w_hh.scalar_type() == at::kFloat &&
         H % kLanes == 0 && w.w_hh.size(0) == 4 * H && w.w_ih.size(0) == 4 * H;
}

const char* fast_lstm_isa() { return kernel().isa; }

// ---- FastLstmCell ------------------------------------------------------------------------------------

struct FastLstmCell::Packed {
  Key key;
  at::Tensor packed, bias;
  int64_t in = 0, H = 0;
};

void FastLstmCell::prepare(const LstmWeights& w) {
  const Key key = Key::of(w);
  if (p_ && p_->key == key) return;
  check_supported(w);
  at::NoGradGuard ng;
  auto p = std::make_shared<Packed>();
  p->key = key;
  p->H = w.w_hh.size(1);
  p->in = w.w_ih.size(1);
  p->packed = pack_groups(at::cat({w.w_ih, w.w_hh}, 1), p->H);
  p->bias = summed_bias(w, p->H);
  p_ = std::move(p);
}

std::pair<at::Tensor, at::Tensor> FastLstmCell::step(const at::Tensor& x, const at::Tensor& h,
                                                     const at::Tensor& c) const {
  if (!p_) throw InternalError("FastLstmCell::step before prepare");
  const int64_t rows = x.size(0), H = p_->H;
  at::Tensor a = at::cat({x, h}, 1).contiguous();
  at::Tensor c_in = c.contiguous();
  at::Tensor c_out = at::empty({rows, H}, x.options()), h_out = at::empty({rows, H}, x.options());
  StepArgs s{a.data_ptr<float>(), a.size(1), rows, a.size(1), H, p_->packed.data_ptr<float>(),
             p_->bias.data_ptr<float>(), 0, c_in.data_ptr<float>(), H, c_out.data_ptr<float>(), H,
             h_out.data_ptr<float>(), H};
  run_step(s);
  return {h_out, c_out};
}

// ---- FastLstm ----------------------------------------------------------------------------------------

struct FastLstm::Layer {
  Key key;
  at::Tensor w_ih, bias, packed_hh;
  int64_t H = 0;
};

void FastLstm::prepare(const std::vector<LstmWeights>& layers) {
  std::vector<std::shared_ptr<Layer>> out(layers.size());
  for (size_t i = 0; i < layers.size(); ++i) {
    const Key key = Key::of(layers[i]);
    if (i < layers_.size() && layers_[i]->key == key) {
      out[i] = layers_[i];
      continue;
    }
    check_supported(layers[i]);
    at::NoGradGuard ng;
    auto l = std::make_shared<Layer>();
    l->key = key;
    l->H = layers[i].w_hh.size(1);
    l->w_ih = layers[i].w_ih;
    l->bias = summed_bias(layers[i], l->H);
    l->packed_hh = pack_groups(layers[i].w_hh, l->H);
    out[i] = std::move(l);
  }
  layers_ = std::move(out);
}

at::Tensor FastLstm::last_hidden(const at::Tensor& x) const {
  if (layers_.empty()) throw InternalError("FastLstm::last_hidden before prepare");
  at::NoGradGuard ng;
  at::Tensor seq = x.contiguous();
  const int64_t B = seq.size(0), T = seq.size(1);
  if (T == 0) throw InternalError("FastLstm::last_hidden: empty sequence");
  for (const auto& l : layers_) {
    const int64_t H = l->H;
    // The input projections of every frame at once (one large BLAS product), biases folded in.
    at::Tensor pre = at::addmm(l->bias, seq.reshape({B * T, seq.size(2)}), l->w_ih.t()).contiguous();
    at::Tensor out = at::empty({B, T, H}, seq.options());
    at::Tensor zeros = at::zeros({B, H}, seq.options()), c = at::zeros({B, H}, seq.options());
    float* out_p = out.data_ptr<float>();
    for (int64_t t = 0; t < T; ++t) {
      StepArgs s{t == 0 ? zeros.data_ptr<float>() : out_p + (t - 1) * H, t == 0 ? H : T * H, B, H, H,
                 l->packed_hh.data_ptr<float>(), pre.data_ptr<float>() + t * 4 * H, T * 4 * H,
                 c.data_ptr<float>(), H, c.data_ptr<float>(), H, out_p + t * H, T * H};
      run_step(s);
    }
    seq = out;
  }
  return seq.select(1, T - 1).contiguous();
}

}  // namespace voxclone
