// UTF-8 → ASCII transliteration table (our own, Unidecode-compatible for the characters it covers).
#include <cstdint>
#include <string>
#include <unordered_map>

#include "english_text.h"

namespace voxclone::english {

namespace {

// U+00A0..U+00FF, one entry per code point.
const char* const kLatin1[96] = {
    " ",   "!",   "C/",  "PS",  "$?",  "Y=",  "|",   "SS",  "\"",  "(c)", "a",   "<<",  "!",   "-",   "(r)", "-",
    "deg", "+-",  "2",   "3",   "'",   "u",   "P",   "*",   ",",   "1",   "o",   ">>",  " 1/4", " 1/2", " 3/4", "?",
    "A",   "A",   "A",   "A",   "A",   "A",   "AE",  "C",   "E",   "E",   "E",   "E",   "I",   "I",   "I",   "I",
    "D",   "N",   "O",   "O",   "O",   "O",   "O",   "x",   "O",   "U",   "U",   "U",   "U",   "Y",   "Th",  "ss",
    "a",   "a",   "a",   "a",   "a",   "a",   "ae",  "c",   "e",   "e",   "e",   "e",   "i",   "i",   "i",   "i",
    "d",   "n",   "o",   "o",   "o",   "o",   "o",   "/",   "o",   "u",   "u",   "u",   "u",   "y",   "th",  "y"};

// U+0100..U+017F (Latin Extended-A): mostly one base letter per code point.
const char* const kLatinExtA[128] = {
    "A", "a", "A", "a", "A", "a", "C", "c", "C", "c", "C", "c", "C", "c", "D", "d",
    "D", "d", "E", "e", "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G", "g",
    "G", "g", "G", "g", "H", "h", "H", "h", "I", "i", "I", "i", "I", "i", "I", "i",
    "I", "i", "IJ", "ij", "J", "j", "K", "k", "k", "L", "l", "L", "l", "L", "l", "L",
    "l", "L", "l", "N", "n", "N", "n", "N", "n", "'n", "ng", "NG", "O", "o", "O", "o",
    "O", "o", "OE", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s",
    "S", "s", "T", "t", "T", "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u",
    "U", "u", "U", "u", "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z", "Z", "z", "s"};

// Greek, general punctuation, symbols and the few CJK characters we know.
const std::unordered_map<uint32_t, const char*>& others() {
  static const std::unordered_map<uint32_t, const char*> m = {
      // Greek capitals and small letters (U+0391..U+03C9)
      {0x391, "A"}, {0x392, "B"}, {0x393, "G"}, {0x394, "D"}, {0x395, "E"}, {0x396, "Z"}, {0x397, "E"},
      {0x398, "Th"}, {0x399, "I"}, {0x39A, "K"}, {0x39B, "L"}, {0x39C, "M"}, {0x39D, "N"}, {0x39E, "Ks"},
      {0x39F, "O"}, {0x3A0, "P"}, {0x3A1, "R"}, {0x3A3, "S"}, {0x3A4, "T"}, {0x3A5, "U"}, {0x3A6, "Ph"},
      {0x3A7, "Kh"}, {0x3A8, "Ps"}, {0x3A9, "O"}, {0x3B1, "a"}, {0x3B2, "b"}, {0x3B3, "g"}, {0x3B4, "d"},
      {0x3B5, "e"}, {0x3B6, "z"}, {0x3B7, "e"}, {0x3B8, "th"}, {0x3B9, "i"}, {0x3BA, "k"}, {0x3BB, "l"},
      {0x3BC, "m"}, {0x3BD, "n"}, {0x3BE, "x"}, {0x3BF, "o"}, {0x3C0, "p"}, {0x3C1, "r"}, {0x3C2, "s"},
      {0x3C3, "s"}, {0x3C4, "t"}, {0x3C5, "u"}, {0x3C6, "ph"}, {0x3C7, "kh"}, {0x3C8, "ps"}, {0x3C9, "o"},
      // General punctuation
      {0x2002, " "}, {0x2003, " "}, {0x2009, " "}, {0x200A, " "}, {0x200B, ""}, {0x2010, "-"}, {0x2011, "-"},
      {0x2012, "-"}, {0x2013, "-"}, {0x2014, "--"}, {0x2015, "--"}, {0x2016, "||"}, {0x2017, "_"},
      {0x2018, "'"}, {0x2019, "'"}, {0x201A, ","}, {0x201B, "'"}, {0x201C, "\""}, {0x201D, "\""},
      {0x201E, ",,"}, {0x201F, "\""}, {0x2020, "+"}, {0x2021, "++"}, {0x2022, "*"}, {0x2024, "."},
      {0x2025, ".."}, {0x2026, "..."}, {0x2030, "%0"}, {0x2032, "'"}, {0x2033, "''"}, {0x2039, "<"},
      {0x203A, ">"}, {0x20AC, "EUR"}, {0x2122, "(tm)"}, {0x2212, "-"},
      // CJK (Unidecode gives the pinyin syllable and a space)
      {0x5317, "Bei "}, {0x4EAC, "Jing "}, {0x4E2D, "Zhong "}, {0x6587, "Wen "}, {0x4EBA, "Ren "},
      {0x5927, "Da "}, {0x5C0F, "Xiao "}, {0x4E0A, "Shang "}, {0x6D77, "Hai "}, {0x56FD, "Guo "},
  };
  return m;
}

// Decodes one code point; invalid bytes decode as U+FFFD (transliterated to nothing).
uint32_t next_code_point(const std::string& s, size_t& i) {
  unsigned char c = s[i];
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len; ++k) {
    unsigned char cc = s[i + k];
    if ((cc & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  i += len;
  return cp;
}

}  // namespace

std::string to_ascii(const std::string& utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    uint32_t cp = next_code_point(utf8, i);
    if (cp < 0x80) out += char(cp);
    else if (cp >= 0xA0 && cp <= 0xFF) out += kLatin1[cp - 0xA0];
    else if (cp >= 0x100 && cp <= 0x17F) out += kLatinExtA[cp - 0x100];
    else if (cp >= 0x300 && cp <= 0x36F) continue;  // combining marks vanish
    else {
      auto it = others().find(cp);
      if (it != others().end()) out += it->second;
    }
  }
  return out;
}

}  // namespace voxclone::english
