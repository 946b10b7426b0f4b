// Implementation of the Mandarin text frontend: pinyin conversion, basic_cleaners, symbol ids.
#include "mandarin_text.h"

#include "number_reading.h"
#include "utf8.h"

namespace voxclone::mandarin {
namespace {

// MockingBird synthesizer/utils/symbols.py at a824b54: pad, EOS, then these characters in order.
const char* kCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz1234567890!'(),-.:;? ";

bool is_blank(const std::string& token) {
  for (const auto& c : decode_utf8(token))
    if (!is_unicode_space(c.code_point)) return false;
  return true;
}

// Python's str.strip(): Unicode whitespace at both ends.
std::string strip(const std::string& text) {
  auto chars = decode_utf8(text);
  size_t a = 0, b = chars.size();
  while (a < b && is_unicode_space(chars[a].code_point)) ++a;
  while (b > a && is_unicode_space(chars[b - 1].code_point)) --b;
  std::string out;
  for (size_t i = a; i < b; ++i) out += chars[i].bytes;
  return out;
}

}  // namespace

MandarinText::MandarinText(const MandarinTextOptions& options) : options_(options) {}

const std::vector<std::string>& MandarinText::symbols() {
  static const std::vector<std::string> s = [] {
    std::vector<std::string> v = {"_", "~"};
    for (const char* c = kCharacters; *c; ++c) v.push_back(std::string(1, *c));
    return v;
  }();
  return s;
}

std::string MandarinText::basic_cleaners(const std::string& text) {
  std::string out;
  bool in_space = false;
  for (const auto& c : decode_utf8(text)) {
    if (is_unicode_space(c.code_point)) {
      if (!in_space) out += ' ';
      in_space = true;
      continue;
    }
    in_space = false;
    if (c.code_point >= 'A' && c.code_point <= 'Z')
      out += char(c.code_point - 'A' + 'a');
    else
      out += c.bytes;
  }
  return out;
}

std::vector<std::string> MandarinText::pinyin_tokens(const std::string& text) const {
  return converter_.tokens(options_.read_numbers ? read_numbers_in_chinese(text) : text);
}

std::string MandarinText::pinyin_text(const std::string& text) const {
  std::string out;
  bool first = true;
  for (const auto& t : pinyin_tokens(text)) {
    if (options_.path == TextPath::Preprocess && is_blank(t)) continue;
    out += (first ? "" : " ") + t;
    first = false;
  }
  return out;
}

std::string MandarinText::normalize(const std::string& text) const {
  std::string joined = pinyin_text(text);
  return basic_cleaners(options_.path == TextPath::Preprocess ? strip(joined) : joined);
}

std::vector<int64_t> MandarinText::to_ids(const std::string& text) const {
  static const std::vector<int> id_of = [] {
    std::vector<int> m(128, -1);
    const auto& s = symbols();
    // The pad and EOS symbols are never produced from text.
    for (size_t i = 2; i < s.size(); ++i) m[static_cast<unsigned char>(s[i][0])] = int(i);
    return m;
  }();
  std::vector<int64_t> ids;
  for (const auto& c : decode_utf8(normalize(text)))
    if (c.code_point < 128 && id_of[c.code_point] >= 0) ids.push_back(id_of[c.code_point]);
  ids.push_back(1);
  return ids;
}

}  // namespace voxclone::mandarin
