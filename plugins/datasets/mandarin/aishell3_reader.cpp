// AISHELL-3 reader: <subset>/wav/<speaker>/<utt>.wav plus <subset>/content.txt ("<utt>.wav<TAB>字 zi4 ...").
#include <filesystem>
#include <map>
#include <set>

#include "corpus_util.h"
#include "pinyin.h"
#include "readers.h"

namespace fs = std::filesystem;

namespace voxclone::mandarin {
namespace {

bool is_aishell3(const std::string& dir) {
  std::error_code ec;
  for (const char* s : {"train", "test"}) {
    fs::path p = fs::path(dir) / s;
    if (fs::is_directory(p / "wav", ec) || fs::is_regular_file(p / "content.txt", ec)) return true;
  }
  return false;
}

struct Entry {
  std::string hanzi, pinyin;
  int line = 0;
};

// content.txt: utterance file name (with .wav), a TAB, then characters and their pinyin interleaved.
std::map<std::string, Entry> read_content(const std::string& path, ProblemList& problems) {
  std::map<std::string, Entry> entries;
  std::vector<TextLine> lines;
  if (!read_transcript_lines(path, lines, problems)) return entries;
  for (const auto& l : lines) {
    if (trim(l.text).empty()) continue;
    size_t tab = l.text.find('\t');
    if (tab == std::string::npos) {
      problems.add(path, l.number, "expected '<utterance>.wav<TAB>字 pinyin ...', found no TAB");
      continue;
    }
    std::string key = trim(l.text.substr(0, tab));
    if (key.size() > 4 && key.compare(key.size() - 4, 4, ".wav") == 0) key.resize(key.size() - 4);
    std::vector<std::string> tokens;
    for (const auto& t : split(trim(l.text.substr(tab + 1)), ' '))
      if (!t.empty()) tokens.push_back(t);
    if (key.empty() || tokens.empty() || tokens.size() % 2 != 0) {
      problems.add(path, l.number,
                   "expected an utterance name and pairs of character and pinyin, found " +
                       std::to_string(tokens.size()) + " tokens");
      continue;
    }
    Entry e;
    e.line = l.number;
    std::string bad;
    for (size_t i = 0; i < tokens.size(); i += 2) {
      e.hanzi += tokens[i];
      if (!is_tone3_syllable(tokens[i + 1]) && bad.empty()) bad = tokens[i + 1];
      e.pinyin += (i ? " " : "") + tokens[i + 1];
    }
    if (!bad.empty()) {
      problems.add(path, l.number, "'" + bad + "' is not a pinyin syllable with a tone digit 1-5");
      continue;
    }
    auto it = entries.find(key);
    if (it != entries.end())
      problems.add(path, l.number,
                   key + " already has a transcript at line " + std::to_string(it->second.line) +
                       "; this later line is used");
    entries[key] = e;
  }
  return entries;
}

}  // namespace

DatasetListing list_aishell3(const std::string& root, const std::vector<std::string>& subsets,
                             const Aishell3Options& options) {
  std::string corpus = resolve_corpus_root(root, "aishell3", &is_aishell3,
                                           "train/ and test/ folders with wav/ and content.txt");
  DatasetListing out;
  ProblemList problems;
  std::error_code ec;
  for (const auto& subset : select_subsets("aishell3", subsets, {"train", "test"})) {
    fs::path dir = fs::path(corpus) / subset;
    if (!fs::is_directory(dir, ec)) {
      if (!subsets.empty()) problems.add(dir.string(), 0, "subset folder missing");
      continue;
    }
    std::string content = (dir / "content.txt").string();
    auto entries = read_content(content, problems);
    fs::path wav_dir = dir / "wav";
    if (!fs::is_directory(wav_dir, ec)) problems.add(wav_dir.string(), 0, "audio folder missing");
    std::set<std::string> seen;
    list_speaker_audio(wav_dir.string(), subset, problems, out.utterances, [&](Utterance& u, const std::string&) {
      auto it = entries.find(u.id);
      if (it == entries.end()) {
        problems.add(u.audio, 0, "no line in " + content + "; listed without text");
      } else {
        u.text = options.pinyin_text ? it->second.pinyin : it->second.hanzi;
        seen.insert(u.id);
      }
    });
    for (const auto& [key, e] : entries)
      if (!seen.count(key))
        problems.add(content, e.line, "no audio file for " + key + " under " + wav_dir.string());
  }
  sort_utterances(out.utterances);
  problems.finish(out.problems);
  return out;
}

}  // namespace voxclone::mandarin
