// The Mandarin text frontend without the plugin wrapper: text → pinyin string → MockingBird symbol ids.
//
//   MandarinText t({});
//   t.normalize("你好，世界！");  // "ni3 hao3 ， shi4 jie4 ！"
//   t.to_ids("你好，世界！");     // 41 36 56 74 ... 1
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pinyin.h"

namespace voxclone::mandarin {

/// Which MockingBird code path the text goes through (they differ only in spaces at the ends).
enum class TextPath {
  /// synthesizer/inference.py: lazy_pinyin tokens joined by spaces, basic_cleaners, no strip.
  Inference,
  /// pre.py + SynthesizerDataset: whitespace-only tokens dropped, joined, then strip() before cleaning.
  Preprocess,
};

struct MandarinTextOptions {
  TextPath path = TextPath::Inference;
  /// Read digits out in Chinese first (MockingBird keeps them as digits: off by default).
  bool read_numbers = false;
};

class MandarinText {
 public:
  explicit MandarinText(const MandarinTextOptions& options);

  /// lazy_pinyin-style tokens (after number reading when enabled).
  std::vector<std::string> pinyin_tokens(const std::string& text) const;
  /// The pinyin text before cleaning: inference = tokens joined by spaces; preprocess = non-blank tokens
  /// joined by spaces (the sixth field of pre.py's train.txt).
  std::string pinyin_text(const std::string& text) const;
  /// basic_cleaners of pinyin_text (preprocess path: after strip): lower case, whitespace runs → one space.
  std::string normalize(const std::string& text) const;
  /// Symbol ids of normalize(text): characters outside the symbol table dropped, EOS (1) appended.
  std::vector<int64_t> to_ids(const std::string& text) const;

  /// MockingBird's 75 symbols: pad "_", EOS "~", letters, digits, punctuation, space.
  static const std::vector<std::string>& symbols();
  /// basic_cleaners alone: Python's str.lower() for ASCII letters and \s+ → " ".
  static std::string basic_cleaners(const std::string& text);

 private:
  MandarinTextOptions options_;
  PinyinConverter converter_;
};

}  // namespace voxclone::mandarin
