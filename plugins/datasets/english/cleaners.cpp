// English cleaners, the symbol table and text ↔ ids (RTVC synthesizer/utils behaviour).
#include <regex>
#include <string>
#include <unordered_map>

#include "english_text.h"

namespace voxclone::english {

namespace {

// Python's str \s for ASCII text: space, \t \n \v \f \r and the separators \x1c..\x1f.
bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f'); }

std::string collapse_whitespace(const std::string& s) {
  std::string out;
  bool in_space = false;
  for (char c : s) {
    if (is_space(c)) {
      if (!in_space) out += ' ';
      in_space = true;
    } else {
      out += c;
      in_space = false;
    }
  }
  return out;
}

std::string expand_abbreviations(std::string s) {
  static const std::pair<const char*, const char*> kAbbr[] = {
      {"mrs", "misess"},  {"mr", "mister"},    {"dr", "doctor"},      {"st", "saint"},    {"co", "company"},
      {"jr", "junior"},   {"maj", "major"},    {"gen", "general"},    {"drs", "doctors"}, {"rev", "reverend"},
      {"lt", "lieutenant"}, {"hon", "honorable"}, {"sgt", "sergeant"}, {"capt", "captain"},
      {"esq", "esquire"}, {"ltd", "limited"},  {"col", "colonel"},    {"ft", "fort"}};
  static const std::vector<std::pair<std::regex, std::string>> rules = [] {
    std::vector<std::pair<std::regex, std::string>> r;
    for (const auto& a : kAbbr)
      r.emplace_back(std::regex(std::string("\\b") + a.first + "\\.", std::regex::icase), a.second);
    return r;
  }();
  for (const auto& [re, word] : rules) s = std::regex_replace(s, re, word);
  return s;
}

std::string lowercase(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return s;
}

const std::unordered_map<std::string, int64_t>& symbol_ids() {
  static const std::unordered_map<std::string, int64_t> m = [] {
    std::unordered_map<std::string, int64_t> r;
    const auto& syms = symbols();
    for (size_t i = 0; i < syms.size(); ++i) r.emplace(syms[i], int64_t(i));
    return r;
  }();
  return m;
}

void append_symbols(const std::string& cleaned, std::vector<int64_t>& out) {
  const auto& ids = symbol_ids();
  for (char c : cleaned) {
    if (c == '_' || c == '~') continue;  // pad and eos are never taken from text
    auto it = ids.find(std::string(1, c));
    if (it != ids.end()) out.push_back(it->second);
  }
}

void append_arpabet(const std::string& inside, std::vector<int64_t>& out) {
  const auto& ids = symbol_ids();
  size_t i = 0;
  while (i < inside.size()) {
    while (i < inside.size() && is_space(inside[i])) ++i;
    size_t j = i;
    while (j < inside.size() && !is_space(inside[j])) ++j;
    if (j > i) {
      auto it = ids.find("@" + inside.substr(i, j - i));
      if (it != ids.end()) out.push_back(it->second);
    }
    i = j;
  }
}

// Python's re.match(r"(.*?)\{(.+?)\}(.*)", text): '.' stops at a newline, so does the whole match.
bool match_curly(const std::string& t, std::string& before, std::string& inside, std::string& after) {
  for (size_t i = 0; i < t.size() && t[i] != '\n'; ++i) {
    if (t[i] != '{') continue;
    if (i + 1 >= t.size() || t[i + 1] == '\n') return false;
    for (size_t j = i + 2; j < t.size() && t[j] != '\n'; ++j) {
      if (t[j] != '}') continue;
      before = t.substr(0, i);
      inside = t.substr(i + 1, j - i - 1);
      size_t nl = t.find('\n', j + 1);
      after = t.substr(j + 1, nl == std::string::npos ? std::string::npos : nl - j - 1);
      return true;
    }
  }
  return false;
}

}  // namespace

std::string english_cleaners(const std::string& text) {
  std::string s = lowercase(to_ascii(text));
  s = normalize_numbers(s);
  s = expand_abbreviations(s);
  return collapse_whitespace(s);
}

const std::vector<std::string>& symbols() {
  static const std::vector<std::string> syms = [] {
    std::vector<std::string> v = {"_", "~"};
    const std::string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!'\"(),-.:;? ";
    for (char c : chars) v.emplace_back(1, c);
    return v;
  }();
  return syms;
}

std::vector<int64_t> text_to_sequence(const std::string& text_in) {
  std::vector<int64_t> seq;
  std::string text = text_in, before, inside, after;
  while (!text.empty()) {
    if (!match_curly(text, before, inside, after)) {
      append_symbols(english_cleaners(text), seq);
      break;
    }
    append_symbols(english_cleaners(before), seq);
    append_arpabet(inside, seq);
    text = after;
  }
  seq.push_back(1);  // '~'
  return seq;
}

std::string sequence_to_text(const std::vector<int64_t>& ids) {
  const auto& syms = symbols();
  std::string out;
  for (int64_t id : ids) {
    if (id < 0 || size_t(id) >= syms.size()) continue;
    const std::string& s = syms[size_t(id)];
    out += (s.size() > 1 && s[0] == '@') ? "{" + s.substr(1) + "}" : s;
  }
  // Adjacent ARPAbet symbols merge into one braced group.
  std::string merged;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '}' && i + 1 < out.size() && out[i + 1] == '{') {
      merged += ' ';
      ++i;
    } else {
      merged += out[i];
    }
  }
  return merged;
}

}  // namespace voxclone::english
