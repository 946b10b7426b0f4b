// The fast WaveRNN kernels built for generic (flags set in CMakeLists.txt; chosen at run time).
#define VOXCLONE_ISA generic
#define VOXCLONE_MR 1
#include "fast_kernels.inc"
