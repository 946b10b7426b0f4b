// numpy's summation order for a contiguous 1-D reduction, so sums that feed a threshold or a gain round
// exactly as RTVC's do.
#pragma once

#include <algorithm>
#include <cstddef>

namespace voxclone {

/// numpy's pairwise sum of one block: below 8 elements a plain loop, up to 128 eight interleaved
/// accumulators combined as ((0+1)+(2+3))+((4+5)+(6+7)) plus the tail, above that two halves (the split a
/// multiple of 8).
template <typename T>
T numpy_pairwise_sum(const T* a, size_t n) {
  if (n < 8) {
    T r = 0;
    for (size_t i = 0; i < n; ++i) r += a[i];
    return r;
  }
  if (n <= 128) {
    T r[8];
    for (size_t j = 0; j < 8; ++j) r[j] = a[j];
    size_t i = 8;
    for (; i < n - n % 8; i += 8)
      for (size_t j = 0; j < 8; ++j) r[j] += a[i + j];
    T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  size_t half = n / 2;
  half -= half % 8;
  return numpy_pairwise_sum(a, half) + numpy_pairwise_sum(a + half, n - half);
}

/// np.sum of a contiguous array: the reduction is fed in buffers of 8192 elements, each summed pairwise, and
/// the buffer sums are accumulated from 0 in T.
template <typename T>
T numpy_sum(const T* a, size_t n) {
  constexpr size_t kNumpyBuffer = 8192;
  T total = 0;
  for (size_t off = 0; off < n; off += kNumpyBuffer)
    total += numpy_pairwise_sum(a + off, std::min(kNumpyBuffer, n - off));
  return total;
}

}  // namespace voxclone
