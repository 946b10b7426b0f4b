// The Mandarin corpus readers (AISHELL-3, aidatatang_200zh, MAGICDATA) as plain functions over a folder.
// plugin.cpp wraps them as Dataset factories; tests call them directly as well.
#pragma once

#include <string>
#include <vector>

#include "voxclone/interfaces.h"

namespace voxclone::mandarin {

struct Aishell3Options {
  /// true: the transcript's pinyin tokens (what MockingBird trains on: human-checked readings);
  /// false: the Chinese characters.
  bool pinyin_text = true;
};
/// `root`: the aishell3 folder or a datasets root holding one. Subsets: train, test.
DatasetListing list_aishell3(const std::string& root, const std::vector<std::string>& subsets,
                             const Aishell3Options& options = {});

/// `root`: the aidatatang_200zh folder or a datasets root holding one. Subsets: train, dev, test.
DatasetListing list_aidatatang(const std::string& root, const std::vector<std::string>& subsets);

struct MagicdataOptions {
  /// Reproduce MockingBird a824b54's pre.py, which put the SpeakerID in front of the text.
  bool speaker_in_text = false;
  /// Remove bracketed annotation markers such as [FIL] and [SPK] from the transcription.
  bool drop_markers = true;
};
/// `root`: the magicdata folder or a datasets root holding one. Subsets: train, dev, test.
DatasetListing list_magicdata(const std::string& root, const std::vector<std::string>& subsets,
                              const MagicdataOptions& options = {});

/// Removes "[XYZ]" markers made of upper-case ASCII letters, '+' or '*' and collapses the spaces left.
std::string drop_annotation_markers(const std::string& text);

}  // namespace voxclone::mandarin
