// Chinese characters → pinyin with tone digits (TONE3: "ni3 hao3", "lv4", neutral tone "5"), the way
// MockingBird's pypinyin call splits text: one syllable per character, other runs kept whole.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace voxclone::mandarin {

class PinyinConverter {
 public:
  /// UserError when the build had no Unihan data (unicode-data not installed); InternalError when a
  /// hand-written table entry is inconsistent.
  PinyinConverter();

  /// pypinyin's lazy_pinyin(style=TONE3, neutral_tone_with_five=True) token structure: each character
  /// with a reading becomes one syllable (words from the phrase table first, longest match wins), and
  /// every maximal run of other characters (digits, Latin, punctuation, spaces) is one token, unchanged.
  std::vector<std::string> tokens(const std::string& text) const;

  /// The reading of one character ("" when it has none).
  std::string reading(uint32_t code_point) const;
  size_t table_size() const;
  size_t phrase_count() const { return phrases_.size(); }

 private:
  std::unordered_map<uint32_t, std::string> overrides_;
  std::unordered_map<std::string, std::vector<std::string>> phrases_;  // UTF-8 word → syllables
  size_t max_phrase_chars_ = 1;
};

/// True for a TONE3 syllable: lower-case ASCII letters followed by one tone digit 1-5.
bool is_tone3_syllable(const std::string& token);

}  // namespace voxclone::mandarin
