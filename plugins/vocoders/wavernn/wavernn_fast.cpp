// The fast WaveRNN sampler: weight packing, instruction-set dispatch and the tensor-facing wrapper.
#include "wavernn_fast.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <thread>

#include "fast_kernels.h"
#include "voxclone/error.h"

namespace voxclone::wavernn {
namespace {

struct AlignedFree {
  void operator()(float* p) const { std::free(p); }
};
using AlignedBuffer = std::unique_ptr<float[], AlignedFree>;
struct AlignedFree32 {
  void operator()(uint32_t* p) const { std::free(p); }
};

uint32_t bf16_bits(float f) {  // round to nearest even, as the kernels round activations
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return (u + 0x7FFFu + ((u >> 16) & 1u)) >> 16;
}

AlignedBuffer aligned_floats(size_t n) {
  const size_t bytes = std::max<size_t>(64, (n * sizeof(float) + 63) / 64 * 64);
  auto* p = static_cast<float*>(std::aligned_alloc(64, bytes));
  if (!p) throw InternalError("wavernn: out of memory for " + std::to_string(bytes) + " bytes");
  std::fill(p, p + bytes / sizeof(float), 0.0f);
  return AlignedBuffer(p);
}

/// Owner of one packed matrix.
struct PackedStore {
  AlignedBuffer data;
  std::vector<int> k_begin, k_end;
  std::vector<int64_t> offset;
  std::unique_ptr<uint32_t[], AlignedFree32> pairs;
  std::vector<int64_t> pair_offset;
  fast::Packed view{};
};

/// Packs an [n, k] matrix given element by element; column `c` only uses k in range(c).
void pack(PackedStore& s, int n, int k, const std::function<float(int, int)>& value,
          const std::function<std::pair<int, int>(int)>& range, bool bf16) {
  const int blocks = (n + 15) / 16;
  s.k_begin.assign(size_t(blocks), 0);
  s.k_end.assign(size_t(blocks), 0);
  s.offset.assign(size_t(blocks), 0);
  int64_t total = 0;
  for (int b = 0; b < blocks; ++b) {
    int kb = k, ke = 0;
    for (int c = 16 * b; c < std::min(n, 16 * b + 16); ++c) {
      auto [lo, hi] = range(c);
      kb = std::min(kb, lo);
      ke = std::max(ke, hi);
    }
    if (ke < kb) ke = kb;
    kb &= ~1;  // even, so bfloat16 pairs (k, k + 1) line up with the activations' pairs
    s.k_begin[size_t(b)] = kb;
    s.k_end[size_t(b)] = ke;
    s.offset[size_t(b)] = total;
    total += int64_t(ke - kb) * 16;
  }
  s.data = aligned_floats(size_t(total));
  for (int b = 0; b < blocks; ++b)
    for (int c = 16 * b; c < std::min(n, 16 * b + 16); ++c) {
      auto [lo, hi] = range(c);
      for (int kk = lo; kk < hi; ++kk)
        s.data[size_t(s.offset[size_t(b)] + int64_t(kk - s.k_begin[size_t(b)]) * 16 + (c - 16 * b))] =
            value(c, kk);
    }
  s.view = fast::Packed{n, k, blocks, s.data.get(), s.k_begin.data(), s.k_end.data(), s.offset.data(), nullptr,
                        nullptr};
  if (!bf16) return;
  s.pair_offset.assign(size_t(blocks), 0);
  int64_t pairs = 0;
  for (int b = 0; b < blocks; ++b) {
    s.pair_offset[size_t(b)] = pairs;
    pairs += int64_t((s.k_end[size_t(b)] - s.k_begin[size_t(b)] + 1) / 2) * 16;
  }
  const size_t bytes = std::max<size_t>(64, (size_t(pairs) * 4 + 63) / 64 * 64);
  auto* p = static_cast<uint32_t*>(std::aligned_alloc(64, bytes));
  if (!p) throw InternalError("wavernn: out of memory for the bfloat16 weights");
  s.pairs.reset(p);
  for (int b = 0; b < blocks; ++b) {
    const int64_t rows = s.k_end[size_t(b)] - s.k_begin[size_t(b)];
    const float* src = s.data.get() + s.offset[size_t(b)];
    for (int64_t kp = 0; kp < (rows + 1) / 2; ++kp)
      for (int j = 0; j < 16; ++j) {
        const uint32_t lo = bf16_bits(src[(2 * kp) * 16 + j]);
        const uint32_t hi = 2 * kp + 1 < rows ? bf16_bits(src[(2 * kp + 1) * 16 + j]) : 0u;
        p[size_t(s.pair_offset[size_t(b)] + kp * 16 + j)] = lo | (hi << 16);
      }
  }
  s.view.pairs = p;
  s.view.pair_offset = s.pair_offset.data();
}

/// A plain row-major matrix (a weight [n, k] or a column slice of one).
void pack_dense(PackedStore& s, const at::Tensor& w, bool bf16) {
  const at::Tensor c = w.contiguous();
  const float* p = c.data_ptr<float>();
  const int n = int(c.size(0)), k = int(c.size(1));
  auto value = [&](int r, int kk) { return p[int64_t(r) * k + kk]; };
  pack(s, n, k, value, [k](int) { return std::pair{0, k}; }, bf16);
}

/// The fused GRU matrix [4H, I + H] on [input | h]: r and z over both, then input-n, then hidden-n.
void pack_gru(PackedStore& s, const at::Tensor& w_ih, const at::Tensor& w_hh, bool bf16) {
  const at::Tensor wi = w_ih.contiguous(), wh = w_hh.contiguous();
  const int H = int(wh.size(1)), I = int(wi.size(1));
  const float* pi = wi.data_ptr<float>();
  const float* ph = wh.data_ptr<float>();
  auto value = [=](int c, int k) -> float {
    if (c < 2 * H) return k < I ? pi[int64_t(c) * I + k] : ph[int64_t(c) * H + (k - I)];
    if (c < 3 * H) return pi[int64_t(c) * I + k];
    return ph[int64_t(c - H) * H + (k - I)];
  };
  auto range = [=](int c) -> std::pair<int, int> {
    if (c < 2 * H) return {0, I + H};
    if (c < 3 * H) return {0, I};
    return {I, I + H};
  };
  pack(s, 4 * H, I + H, value, range, bf16);
}

using LoopFn = void (*)(const fast::Net&, const fast::Run&);

bool cpu_runs(const std::string& isa) {
  if (isa == "generic") return true;
#ifdef VOXCLONE_WAVERNN_X86
  __builtin_cpu_init();
  if (isa == "avx2") return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (isa == "avx512")
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2") &&
           __builtin_cpu_supports("fma");
  if (isa == "avx512bf16")
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bf16") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("fma");
#endif
  return false;
}

}  // namespace

size_t fast::workspace_floats(const Net& net, int B, int chunk) {
  auto r = [](size_t n) { return (n + 15) & ~size_t(15); };
  const size_t b = size_t(B), R = size_t(net.R), F = size_t(net.F), A = size_t(net.A);
  return r(size_t(chunk) * b * R) + r(b * 2 * R) + r(b * 4 * R) + r(b * (2 * R + A)) + r(b * 4 * R) +
         r(b * (R + A)) + r(b * (F + A)) + r(b * F) + r(b * size_t(net.NC)) + r(b) +
         r(b * (2 * R + F + A + 2));
}

struct FastSampler::Impl {
  fast::Net net{};
  PackedStore i_rest, gru1, gru2, fc1, fc2, fc3;
  at::Tensor w_i0, b_i, b1_rz, b1_in, b1_hn, b2_rz, b2_in, b2_hn, b_fc1, b_fc2, b_fc3, label_value;
  LoopFn loop = nullptr;
  int64_t aux_dims = 0, feat_dims = 0;
};

std::vector<std::string> FastSampler::available_isas() {
  std::vector<std::string> out;
  for (const char* isa : {"avx512", "avx2", "generic"})
    if (cpu_runs(isa)) out.push_back(isa);
  return out;
}

bool FastSampler::bf16_available() { return cpu_runs("avx512bf16"); }

FastSampler::FastSampler(const StepWeights& w, int64_t feat_dims, int64_t aux_dims, int64_t bits,
                         const std::string& isa)
    : impl_(std::make_unique<Impl>()) {
  isa_ = isa == "auto" ? available_isas().front() : isa;
  if (isa_ != "avx512" && isa_ != "avx2" && isa_ != "generic" && isa_ != "avx512bf16")
    throw UserError("wavernn: kernel must be auto, avx512, avx2, generic or avx512bf16 (got '" + isa + "')");
  const bool bf16 = isa_ == "avx512bf16";
  if (!cpu_runs(isa_)) throw UserError("wavernn: this CPU cannot run the " + isa_ + " kernels");
  impl_->loop = &fast::generic::sample_loop;
#ifdef VOXCLONE_WAVERNN_X86
  if (isa_ == "avx512") impl_->loop = &fast::avx512::sample_loop;
  if (isa_ == "avx2") impl_->loop = &fast::avx2::sample_loop;
  if (isa_ == "avx512bf16") impl_->loop = &fast::avx512bf16::sample_loop;
#endif
  auto f = [](const at::Tensor& t) { return t.detach().to(at::kFloat).contiguous(); };
  Impl& m = *impl_;
  m.aux_dims = aux_dims;
  m.feat_dims = feat_dims;
  const int64_t R = w.w_hh1.size(1);
  const at::Tensor i_w = f(w.i_w);
  m.w_i0 = i_w.select(1, 0).contiguous();
  pack_dense(m.i_rest, i_w.narrow(1, 1, feat_dims + aux_dims), false);
  m.b_i = f(w.i_b);
  pack_gru(m.gru1, f(w.w_ih1), f(w.w_hh1), bf16);
  pack_gru(m.gru2, f(w.w_ih2), f(w.w_hh2), bf16);
  const at::Tensor bi1 = f(w.b_ih1), bh1 = f(w.b_hh1), bi2 = f(w.b_ih2), bh2 = f(w.b_hh2);
  m.b1_rz = (bi1.narrow(0, 0, 2 * R) + bh1.narrow(0, 0, 2 * R)).contiguous();
  m.b1_in = bi1.narrow(0, 2 * R, R).contiguous();
  m.b1_hn = bh1.narrow(0, 2 * R, R).contiguous();
  m.b2_rz = (bi2.narrow(0, 0, 2 * R) + bh2.narrow(0, 0, 2 * R)).contiguous();
  m.b2_in = bi2.narrow(0, 2 * R, R).contiguous();
  m.b2_hn = bh2.narrow(0, 2 * R, R).contiguous();
  pack_dense(m.fc1, f(w.fc1_w), bf16);
  pack_dense(m.fc2, f(w.fc2_w), bf16);
  pack_dense(m.fc3, f(w.fc3_w), bf16);
  m.b_fc1 = f(w.fc1_b);
  m.b_fc2 = f(w.fc2_b);
  m.b_fc3 = f(w.fc3_b);
  const int64_t n_classes = int64_t(1) << bits;
  if (m.fc3.view.n != n_classes)
    throw UserError("wavernn: fc3 has " + std::to_string(m.fc3.view.n) +
                    " outputs, expected 2^bits = " + std::to_string(n_classes));
  // The value fed back for each label, computed with RTVC's float32 ops: 2 * label / (n - 1) - 1.
  m.label_value = at::arange(n_classes, at::kLong).to(at::kFloat).mul(2).div(double(n_classes - 1)).sub(1.0);

  fast::Net& n = m.net;
  n.R = int(R);
  n.F = int(w.fc1_w.size(0));
  n.A = int(aux_dims);
  n.M = int(feat_dims);
  n.NC = int(n_classes);
  n.w_i0 = m.w_i0.data_ptr<float>();
  n.i_rest = m.i_rest.view;
  n.b_i = m.b_i.data_ptr<float>();
  n.gru1 = m.gru1.view;
  n.b1_rz = m.b1_rz.data_ptr<float>();
  n.b1_in = m.b1_in.data_ptr<float>();
  n.b1_hn = m.b1_hn.data_ptr<float>();
  n.gru2 = m.gru2.view;
  n.b2_rz = m.b2_rz.data_ptr<float>();
  n.b2_in = m.b2_in.data_ptr<float>();
  n.b2_hn = m.b2_hn.data_ptr<float>();
  n.fc1 = m.fc1.view;
  n.b_fc1 = m.b_fc1.data_ptr<float>();
  n.fc2 = m.fc2.view;
  n.b_fc2 = m.b_fc2.data_ptr<float>();
  n.fc3 = m.fc3.view;
  n.b_fc3 = m.b_fc3.data_ptr<float>();
  n.label_value = m.label_value.data_ptr<float>();
}

FastSampler::~FastSampler() = default;

at::Tensor FastSampler::run(const at::Tensor& mels, const at::Tensor& aux, int64_t seed,
                            GenerateTrace* trace) {
  const Impl& m = *impl_;
  if (mels.dim() != 3 || aux.dim() != 3 || aux.size(0) != mels.size(0) || aux.size(1) != mels.size(1) ||
      mels.size(2) != m.feat_dims || aux.size(2) < 4 * m.aux_dims)
    throw InternalError("wavernn fast sampler: mels/aux shapes do not match the model");
  const int64_t B = mels.size(0), S = mels.size(1), A = m.aux_dims, M = m.feat_dims, cw = M + 4 * A;
  // Time-major conditioning rows [S][B][mel | a1 a2 a3 a4]: each step reads one contiguous block.
  at::Tensor cond = at::empty({S, B, cw}, at::kFloat);
  cond.narrow(2, 0, M).copy_(mels.transpose(0, 1));
  cond.narrow(2, M, 4 * A).copy_(aux.narrow(2, 0, 4 * A).transpose(0, 1));
  at::Tensor out = at::empty({B, S}, at::kFloat);
  if (seed < 0) seed = int64_t(std::random_device{}() & 0x7fffffff);
  std::vector<uint64_t> rng(static_cast<size_t>(B));
  for (int64_t b = 0; b < B; ++b) {  // splitmix64 of (seed, row): independent streams, never 0
    uint64_t z = uint64_t(seed) * 0x9E3779B97F4A7C15ull + uint64_t(b + 1) * 0xD1B54A32D192ED03ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    rng[size_t(b)] = (z ^ (z >> 31)) | 1;
  }
  fast::Run base{};
  base.S = int(S);
  base.cond = cond.data_ptr<float>();
  base.cond_step = B * cw;
  base.tensor_rows = B;
  base.chunk = 16;
  at::Tensor forced;
  if (trace) {
    trace->labels = at::empty({S, B}, at::kLong);
    base.labels = trace->labels.data_ptr<int64_t>();
    const int64_t steps = std::min(trace->logit_steps, S);
    trace->logits = at::empty({steps, B, m.net.NC}, at::kFloat);
    base.logits = trace->logits.data_ptr<float>();
    base.logit_steps = int(steps);
    if (trace->forced.defined()) {
      forced = trace->forced.to(at::kLong).contiguous();
      if (forced.dim() != 2 || forced.size(0) < S || forced.size(1) != B)
        throw InternalError("wavernn fast sampler: forced labels must be [S, B]");
      if (forced.min().item<int64_t>() < 0 || forced.max().item<int64_t>() >= m.net.NC)
        throw InternalError("wavernn fast sampler: forced label out of range");
      base.forced = forced.data_ptr<int64_t>();
    }
  }
  int threads = threads_ > 0 ? threads_ : int(std::max(1u, std::thread::hardware_concurrency()));
  threads = int(std::min<int64_t>(threads, B));
  std::vector<fast::Run> runs;
  std::vector<AlignedBuffer> work;
  for (int i = 0; i < threads; ++i) {
    const int64_t b0 = B * i / threads, b1 = B * (i + 1) / threads;
    fast::Run r = base;
    r.B = int(b1 - b0);
    r.cond = base.cond + b0 * cw;
    r.rng = rng.data() + b0;
    r.out = out.data_ptr<float>() + b0 * S;
    if (r.labels) r.labels += b0;
    if (r.forced) r.forced += b0;
    if (r.logits) r.logits += b0 * m.net.NC;
    work.push_back(aligned_floats(fast::workspace_floats(m.net, r.B, r.chunk)));
    r.work = work.back().get();
    runs.push_back(r);
  }
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back(m.loop, std::cref(m.net), std::cref(runs[size_t(i)]));
  m.loop(m.net, runs[0]);
  for (auto& t : pool) t.join();
  return out;
}

}  // namespace voxclone::wavernn
