// Minimal UTF-8 helpers for the Mandarin frontend: code points in, code points out.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace voxclone::mandarin {

/// One decoded character and the bytes it came from (invalid bytes decode to U+FFFD, one byte each).
struct Utf8Char {
  uint32_t code_point;
  std::string bytes;
};

std::vector<Utf8Char> decode_utf8(const std::string& text);

/// Python's str.isspace()/\s for the characters that matter here (ASCII, NBSP, U+2000-U+200A, U+3000, ...).
bool is_unicode_space(uint32_t cp);

}  // namespace voxclone::mandarin
