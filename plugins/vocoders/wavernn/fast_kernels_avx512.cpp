// The fast WaveRNN kernels built for avx512 (flags set in CMakeLists.txt; chosen at run time).
#define VOXCLONE_ISA avx512
#define VOXCLONE_MR 6
#include "fast_kernels.inc"
