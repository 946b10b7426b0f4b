// The hand-written word and character reading tables of the Mandarin frontend (see phrase_table.cpp).
#pragma once

#include <cstddef>

namespace voxclone::mandarin {

struct PhraseEntry {
  const char* word;      ///< UTF-8 Chinese characters
  const char* readings;  ///< one TONE3 syllable per character, space-separated ("yin2 hang2")
};

extern const PhraseEntry kPhrases[];
extern const size_t kPhraseCount;
/// Single characters whose reading replaces the Unihan one.
extern const PhraseEntry kCharacterReadings[];
extern const size_t kCharacterReadingCount;

}  // namespace voxclone::mandarin
