// Long text → pieces the synthesizer handles well: sentences, or the user's delimiter.
#include <string>
#include <vector>

#include "voxclone/clone.h"

namespace voxclone {
namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

void add_piece(std::vector<std::string>& out, const std::string& piece) {
  std::string t = trim(piece);
  if (!t.empty()) out.push_back(t);
}

// Sentence ends: ASCII . ! ? and the UTF-8 forms of … 。 ！ ？ (a CJK end needs no following space).
size_t sentence_end_length(const std::string& s, size_t i) {
  static const char* const wide[] = {"\u2026", "\u3002", "\uff01", "\uff1f"};
  for (const char* w : wide) {
    std::string m(w);
    if (s.compare(i, m.size(), m) == 0) return m.size();
  }
  char c = s[i];
  return (c == '.' || c == '!' || c == '?') ? 1 : 0;
}

}  // namespace

std::vector<std::string> split_text(const std::string& text, const std::string& delimiter) {
  std::vector<std::string> out;
  if (!delimiter.empty()) {
    size_t start = 0;
    for (size_t at; (at = text.find(delimiter, start)) != std::string::npos; start = at + delimiter.size())
      add_piece(out, text.substr(start, at - start));
    add_piece(out, text.substr(start));
    return out;
  }
  size_t start = 0, i = 0;
  while (i < text.size()) {
    size_t n = sentence_end_length(text, i);
    if (n == 0) {
      ++i;
      continue;
    }
    size_t end = i + n;
    bool ascii = n == 1;
    // Runs like "?!" or "..." end one sentence together.
    while (end < text.size() && sentence_end_length(text, end) > 0) end += sentence_end_length(text, end);
    // Closing quotes and brackets belong to the sentence they end.
    while (end < text.size() && (text[end] == '"' || text[end] == '\'' || text[end] == ')')) ++end;
    // An ASCII stop inside a token ("3.5", "e.g.x") is not an end: it needs whitespace or the end after it.
    if (ascii && end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) {
      i = end;
      continue;
    }
    add_piece(out, text.substr(start, end - start));
    start = i = end;
  }
  add_piece(out, text.substr(start));
  return out;
}

}  // namespace voxclone
