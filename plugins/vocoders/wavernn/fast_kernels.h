// The fast WaveRNN sample loop as plain C: packed weights, a small-batch GEMM and the per-sample step.
// Compiled once per instruction set (fast_kernels_{avx512,avx2,generic}.cpp); wavernn_fast.cpp picks one at
// run time. Nothing here may include a C++ library header: those files are built with different -m flags,
// and an inline library function compiled for AVX-512 could be merged into code that runs anywhere.
// The structs are plain aggregates (no member initialisers) for the same reason: value-initialise them.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace voxclone::wavernn::fast {

/// A weight matrix W [N, K] stored for the kernels: blocks of 16 output columns; block b holds
/// (k_end[b] - k_begin[b]) rows of 16 floats, W[16 b + j][k] at data[offset[b] + (k - k_begin[b]) * 16 + j]
/// (zeros for columns past N and for k outside a column's own range).
struct Packed {
  int n, k, blocks;
  const float* data;  ///< 64-byte aligned
  const int* k_begin;
  const int* k_end;
  const int64_t* offset;
  /// Optional bfloat16 copy for the avx512bf16 kernels (k_begin is always even): block b holds pairs
  /// (W[c][k], W[c][k+1]) as uint32 (low half k) at pairs[pair_offset[b] + (k - k_begin[b]) / 2 * 16 + j].
  const uint32_t* pairs;
  const int64_t* pair_offset;
};

/// Everything the step loop needs; pointers are owned by the caller. Sizes: R = rnn_dims, F = fc_dims,
/// A = aux_dims, M = feat_dims, NC = classes.
struct Net {
  int R, F, A, M, NC;
  const float* w_i0;   ///< [R]   column 0 of I.weight (the previous sample's weight)
  Packed i_rest;       ///< I.weight[:, 1:] : [R, M + A], applied to [mel_t, a1_t] per chunk
  const float* b_i;    ///< [R]
  Packed gru1;         ///< [4R, 2R] on [x_I | h1]: r and z sums, input n, hidden n
  const float* b1_rz;  ///< [2R] b_ih + b_hh (r, z)
  const float* b1_in;  ///< [R]
  const float* b1_hn;  ///< [R]
  Packed gru2;         ///< [4R, 2R + A] on [x1 | a2 | h2]
  const float* b2_rz;
  const float* b2_in;
  const float* b2_hn;
  Packed fc1;  ///< [F, R + A] on [x2 | a3]
  const float* b_fc1;
  Packed fc2;  ///< [F, F + A] on [f1 | a4]
  const float* b_fc2;
  Packed fc3;  ///< [NC, F]
  const float* b_fc3;
  const float* label_value;  ///< [NC] the sample value fed back for each label
};

/// One generation: B rows of S steps (possibly a slice of a larger batch run by one thread). Row b of step t
/// reads its conditioning at cond + t * cond_step + b * (M + 4A) (mel, then aux a1..a4) and writes
/// out[b * S + t], labels[t * tensor_rows + b], logits[(t * tensor_rows + b) * NC].
struct Run {
  int B, S;
  const float* cond;
  int64_t cond_step;
  int64_t tensor_rows;    ///< rows of the whole batch (strides of labels, forced and logits)
  uint64_t* rng;          ///< [B] per-row generator states (xorshift64*, never 0)
  float* out;             ///< [B][S] sample values
  int64_t* labels;        ///< optional
  const int64_t* forced;  ///< optional: feed these labels instead of sampling
  float* logits;          ///< optional, the first logit_steps steps
  int logit_steps;
  int chunk;    ///< steps whose I-projection is computed together
  float* work;  ///< workspace_floats(net, B, chunk) floats, 64-byte aligned
};

size_t workspace_floats(const Net& net, int B, int chunk);

// One set per instruction set; identical arithmetic apart from vector width.
#define VOXCLONE_WAVERNN_KERNEL_DECL(ISA)                                                           \
  namespace ISA {                                                                                   \
  void gemm(int m, const float* a, int lda, const Packed& w, float* c, int ldc, const float* bias); \
  void sample_loop(const Net& net, const Run& run);                                                 \
  }
VOXCLONE_WAVERNN_KERNEL_DECL(avx512)
VOXCLONE_WAVERNN_KERNEL_DECL(avx2)
VOXCLONE_WAVERNN_KERNEL_DECL(generic)
VOXCLONE_WAVERNN_KERNEL_DECL(avx512bf16)
#undef VOXCLONE_WAVERNN_KERNEL_DECL

}  // namespace voxclone::wavernn::fast
