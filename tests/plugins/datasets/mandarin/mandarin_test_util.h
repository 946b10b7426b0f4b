// Shared helpers of the Mandarin pack tests: JSON fixtures, train.txt rows, lookups by utterance id.
#pragma once

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fixtures.h"
#include "voxclone/interfaces.h"

namespace mandarin_test {

inline nlohmann::json load_json(const std::string& rel) {
  std::ifstream in(vctest::fixture_or_skip(rel));
  return nlohmann::json::parse(in);
}

inline std::string datasets_root() {
  std::string p = vctest::fixture_or_skip("datasets/aishell3");
  return p.substr(0, p.size() - std::string("/aishell3").size());
}

/// train.txt of MockingBird's pre.py for one corpus: wav file name → sixth field (the pinyin text).
inline std::map<std::string, std::string> train_txt_texts(const std::string& corpus) {
  std::ifstream in(vctest::fixture_or_skip("mockingbird/synthesizer/preprocess/" + corpus +
                                           "/SV2TTS/synthesizer/train.txt"));
  std::map<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    size_t start = 0, pos;
    while ((pos = line.find('|', start)) != std::string::npos) {
      f.push_back(line.substr(start, pos - start));
      start = pos + 1;
    }
    f.push_back(line.substr(start));
    if (f.size() != 6) continue;
    // "audio-<wav file name>_00.npy" → "<wav file name>"
    std::string name = f[0].substr(6, f[0].size() - 6 - 7);
    out[name] = f[5];
  }
  return out;
}

inline const voxclone::Utterance* find_utt(const voxclone::DatasetListing& l, const std::string& id) {
  for (const auto& u : l.utterances)
    if (u.id == id) return &u;
  return nullptr;
}

/// Path relative to the datasets root ("aishell3/train/wav/SSB0005/SSB00050001.wav").
inline std::string rel_to_root(const std::string& path) {
  std::string root = datasets_root() + "/";
  return path.compare(0, root.size(), root) == 0 ? path.substr(root.size()) : path;
}

}  // namespace mandarin_test
