// The fast WaveRNN kernels with bfloat16 matmuls (AVX-512 BF16; opt-in: kernel = "avx512bf16").
#define VOXCLONE_ISA avx512bf16
#define VOXCLONE_MR 6
#define VOXCLONE_BF16 1
#include "fast_kernels.inc"
