// Implementation of the pinyin converter: Unihan readings, word table, forward maximum matching.
#include "pinyin.h"

#include <algorithm>
#include <sstream>

#include "phrase_table.h"
#include "unihan_table.h"
#include "utf8.h"
#include "voxclone/error.h"

namespace voxclone::mandarin {
namespace {

std::vector<std::string> split_spaces(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

const char* unihan_reading(uint32_t cp) {
  const UnihanReading* begin = kUnihanReadings;
  const UnihanReading* end = kUnihanReadings + kUnihanReadingCount;
  auto it =
      std::lower_bound(begin, end, cp, [](const UnihanReading& r, uint32_t v) { return r.code_point < v; });
  return it != end && it->code_point == cp ? it->tone3 : nullptr;
}

}  // namespace

bool is_tone3_syllable(const std::string& t) {
  if (t.size() < 2 || t.back() < '1' || t.back() > '5') return false;
  for (size_t i = 0; i + 1 < t.size(); ++i)
    if (t[i] < 'a' || t[i] > 'z') return false;
  return true;
}

PinyinConverter::PinyinConverter() {
  if (kUnihanReadingCount == 0)
    throw UserError(
        "text:mandarin: this build has no character readings: install Debian's unicode-data package "
        "(scripts/setup; it provides /usr/share/unicode/Unihan_Readings.txt.bz2), then re-run cmake and "
        "rebuild");
  for (size_t i = 0; i < kCharacterReadingCount; ++i) {
    auto chars = decode_utf8(kCharacterReadings[i].word);
    if (chars.size() != 1 || !is_tone3_syllable(kCharacterReadings[i].readings))
      throw InternalError(std::string("text:mandarin: bad character reading entry ") +
                          kCharacterReadings[i].word);
    overrides_[chars[0].code_point] = kCharacterReadings[i].readings;
  }
  for (size_t i = 0; i < kPhraseCount; ++i) {
    const PhraseEntry& e = kPhrases[i];
    auto chars = decode_utf8(e.word);
    auto syllables = split_spaces(e.readings);
    bool ok = chars.size() >= 2 && chars.size() == syllables.size();
    for (const auto& s : syllables) ok = ok && is_tone3_syllable(s);
    if (!ok || phrases_.count(e.word))
      throw InternalError(std::string("text:mandarin: bad or duplicate phrase table entry ") + e.word +
                          " = " + e.readings);
    phrases_[e.word] = syllables;
    max_phrase_chars_ = std::max(max_phrase_chars_, chars.size());
  }
}

size_t PinyinConverter::table_size() const { return kUnihanReadingCount; }

std::string PinyinConverter::reading(uint32_t cp) const {
  auto it = overrides_.find(cp);
  if (it != overrides_.end()) return it->second;
  const char* r = unihan_reading(cp);
  return r ? r : "";
}

std::vector<std::string> PinyinConverter::tokens(const std::string& text) const {
  auto chars = decode_utf8(text);
  std::vector<std::string> readings(chars.size());
  for (size_t i = 0; i < chars.size(); ++i) readings[i] = reading(chars[i].code_point);

  std::vector<std::string> out;
  std::string other;  // the current run of characters without a reading
  size_t i = 0;
  while (i < chars.size()) {
    if (readings[i].empty()) {
      other += chars[i].bytes;
      ++i;
      continue;
    }
    if (!other.empty()) {
      out.push_back(other);
      other.clear();
    }
    // Longest word from the table that starts here and lies inside this run of Chinese characters.
    size_t run_end = i;
    while (run_end < chars.size() && !readings[run_end].empty() && run_end - i < max_phrase_chars_) ++run_end;
    bool matched = false;
    for (size_t len = run_end - i; len >= 2 && !matched; --len) {
      std::string word;
      for (size_t k = i; k < i + len; ++k) word += chars[k].bytes;
      auto it = phrases_.find(word);
      if (it != phrases_.end()) {
        out.insert(out.end(), it->second.begin(), it->second.end());
        i += len;
        matched = true;
      }
    }
    if (!matched) out.push_back(readings[i++]);
  }
  if (!other.empty()) out.push_back(other);
  return out;
}

}  // namespace voxclone::mandarin
