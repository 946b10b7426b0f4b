// The character readings table generated at build time from Unihan's kMandarin field (sorted by code point).
#pragma once

#include <cstddef>
#include <cstdint>

namespace voxclone::mandarin {

struct UnihanReading {
  uint32_t code_point;
  char tone3[8];  ///< "hao3", "de5", "lv4" (v for ü)
};

/// Sorted by code point; empty (count 0) when the build found no Unihan data.
extern const UnihanReading kUnihanReadings[];
extern const size_t kUnihanReadingCount;

}  // namespace voxclone::mandarin
