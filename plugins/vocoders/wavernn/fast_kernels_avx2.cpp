// The fast WaveRNN kernels built for avx2 (flags set in CMakeLists.txt; chosen at run time).
#define VOXCLONE_ISA avx2
#define VOXCLONE_MR 3
#include "fast_kernels.inc"
