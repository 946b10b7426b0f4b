// aidatatang_200zh reader: corpus/<subset>/<speaker>/<utt>.wav (extracted from <speaker>.tar.gz) plus
// transcript/aidatatang_200_zh_transcript.txt ("<utt> word-segmented text").
#include <filesystem>
#include <map>
#include <set>

#include "corpus_util.h"
#include "readers.h"

namespace fs = std::filesystem;

namespace voxclone::mandarin {
namespace {

const char* kTranscript = "transcript/aidatatang_200_zh_transcript.txt";

bool is_aidatatang(const std::string& dir) {
  std::error_code ec;
  return fs::is_directory(fs::path(dir) / "corpus", ec) ||
         fs::is_regular_file(fs::path(dir) / kTranscript, ec);
}

struct Entry {
  std::string text;
  int line = 0;
};

// "<utterance id> <text>": MockingBird keeps everything after the first space, segmentation spaces included.
std::map<std::string, Entry> read_transcript(const std::string& path, ProblemList& problems) {
  std::map<std::string, Entry> entries;
  std::vector<TextLine> lines;
  if (!read_transcript_lines(path, lines, problems)) return entries;
  for (const auto& l : lines) {
    std::string text = trim(l.text);
    if (text.empty()) continue;
    for (char& c : text)
      if (c == '\t') c = ' ';
    size_t sp = text.find(' ');
    std::string key = text.substr(0, sp);
    std::string value = sp == std::string::npos ? "" : trim(text.substr(sp + 1));
    if (value.empty()) {
      problems.add(path, l.number, "expected '<utterance id> <text>', found no text after " + key);
      continue;
    }
    auto it = entries.find(key);
    if (it != entries.end())
      problems.add(path, l.number,
                   key + " already has a transcript at line " + std::to_string(it->second.line) +
                       "; this later line is used");
    entries[key] = {value, l.number};
  }
  return entries;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

DatasetListing list_aidatatang(const std::string& root, const std::vector<std::string>& subsets) {
  std::string corpus = resolve_corpus_root(root, "aidatatang_200zh", &is_aidatatang,
                                           "corpus/{train,dev,test}/ and " + std::string(kTranscript));
  DatasetListing out;
  ProblemList problems;
  std::error_code ec;
  std::string transcript = (fs::path(corpus) / kTranscript).string();
  auto entries = read_transcript(transcript, problems);
  std::set<std::string> seen;
  for (const auto& subset : select_subsets("aidatatang_200zh", subsets, {"train", "dev", "test"})) {
    fs::path dir = fs::path(corpus) / "corpus" / subset;
    if (!fs::is_directory(dir, ec)) {
      if (!subsets.empty()) problems.add(dir.string(), 0, "subset folder missing");
      continue;
    }
    // The corpus ships one tarball per speaker that the user extracts in place.
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      std::string name = e.path().filename().string();
      if (!ends_with(name, ".tar.gz") || !e.is_regular_file(ec)) continue;
      std::string speaker = name.substr(0, name.size() - 7);
      if (!fs::is_directory(dir / speaker, ec))
        problems.add(
            e.path().string(), 0,
            "not extracted: run 'tar -xzf " + name + "' in " + dir.string() + " (its audio is not listed)");
    }
    list_speaker_audio(dir.string(), subset, problems, out.utterances, [&](Utterance& u, const std::string&) {
      auto it = entries.find(u.id);
      if (it == entries.end()) {
        problems.add(u.audio, 0, "no line in " + transcript + "; listed without text");
      } else {
        u.text = it->second.text;
        seen.insert(u.id);
      }
    });
  }
  // The transcript covers every subset: only a full listing can tell that audio is missing.
  if (subsets.empty())
    for (const auto& [key, e] : entries)
      if (!seen.count(key)) problems.add(transcript, e.line, "no audio file for " + key + " in any subset");
  sort_utterances(out.utterances);
  problems.finish(out.problems);
  return out;
}

}  // namespace voxclone::mandarin
