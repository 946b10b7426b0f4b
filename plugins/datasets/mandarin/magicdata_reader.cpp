// MAGICDATA reader: <subset>/<SpeakerID>/<utt>.wav plus <subset>/TRANS.txt
// ("UtteranceID<TAB>SpeakerID<TAB>Transcription" header, the UtteranceID includes ".wav").
#include <filesystem>
#include <map>
#include <set>

#include "corpus_util.h"
#include "readers.h"

namespace fs = std::filesystem;

namespace voxclone::mandarin {
namespace {

bool is_magicdata(const std::string& dir) {
  std::error_code ec;
  for (const char* s : {"train", "dev", "test"})
    if (fs::is_regular_file(fs::path(dir) / s / "TRANS.txt", ec)) return true;
  return false;
}

struct Entry {
  std::string speaker, text;
  int line = 0;
};

std::map<std::string, Entry> read_trans(const std::string& path, const MagicdataOptions& options,
                                        ProblemList& problems) {
  std::map<std::string, Entry> entries;
  std::vector<TextLine> lines;
  if (!read_transcript_lines(path, lines, problems)) return entries;
  bool first = true;
  for (const auto& l : lines) {
    if (trim(l.text).empty()) continue;
    std::vector<std::string> f = split(l.text, '\t');
    for (auto& x : f) x = trim(x);
    if (first) {
      first = false;
      if (f.size() == 3 && f[0] == "UtteranceID" && f[1] == "SpeakerID" && f[2] == "Transcription") continue;
      problems.add(path, l.number, "expected the header 'UtteranceID<TAB>SpeakerID<TAB>Transcription'");
    }
    if (f.size() != 3 || f[0].empty() || f[1].empty()) {
      problems.add(path, l.number,
                   "expected 3 TAB-separated fields (UtteranceID, SpeakerID, Transcription), found " +
                       std::to_string(f.size()));
      continue;
    }
    Entry e;
    e.speaker = f[1];
    e.line = l.number;
    e.text = options.drop_markers ? drop_annotation_markers(f[2]) : f[2];
    if (options.speaker_in_text) e.text = f[1] + " " + e.text;
    auto it = entries.find(f[0]);
    if (it != entries.end())
      problems.add(path, l.number,
                   f[0] + " already has a transcript at line " + std::to_string(it->second.line) +
                       "; this later line is used");
    entries[f[0]] = e;
  }
  return entries;
}

}  // namespace

std::string drop_annotation_markers(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '[') {
      size_t j = i + 1;
      while (j < text.size() && ((text[j] >= 'A' && text[j] <= 'Z') || text[j] == '+' || text[j] == '*')) ++j;
      if (j < text.size() && text[j] == ']' && j > i + 1) {
        i = j + 1;
        if (!out.empty() && out.back() != ' ') out += ' ';
        continue;
      }
    }
    out += text[i++];
  }
  // Collapse the spaces a removed marker leaves behind.
  std::string collapsed;
  for (char c : out)
    if (!(c == ' ' && (collapsed.empty() || collapsed.back() == ' '))) collapsed += c;
  return trim(collapsed);
}

DatasetListing list_magicdata(const std::string& root, const std::vector<std::string>& subsets,
                              const MagicdataOptions& options) {
  std::string corpus =
      resolve_corpus_root(root, "magicdata", &is_magicdata, "{train,dev,test}/TRANS.txt and speaker folders");
  DatasetListing out;
  ProblemList problems;
  std::error_code ec;
  for (const auto& subset : select_subsets("magicdata", subsets, {"train", "dev", "test"})) {
    fs::path dir = fs::path(corpus) / subset;
    if (!fs::is_directory(dir, ec)) {
      if (!subsets.empty()) problems.add(dir.string(), 0, "subset folder missing");
      continue;
    }
    std::string trans = (dir / "TRANS.txt").string();
    auto entries = read_trans(trans, options, problems);
    std::set<std::string> seen;
    list_speaker_audio(dir.string(), subset, problems, out.utterances, [&](Utterance& u, const std::string& file) {
      // TRANS.txt names the file with its extension; accept a bare id as MockingBird's lookup does.
      auto it = entries.find(file);
      if (it == entries.end()) it = entries.find(u.id);
      if (it == entries.end()) {
        problems.add(u.audio, 0, "no line in " + trans + "; listed without text");
      } else {
        u.text = it->second.text;
        seen.insert(it->first);
        if (it->second.speaker != u.speaker)
          problems.add(trans, it->second.line,
                       "SpeakerID " + it->second.speaker + " but the audio is in folder " + u.speaker);
      }
    });
    for (const auto& [key, e] : entries)
      if (!seen.count(key))
        problems.add(trans, e.line, "no audio file " + e.speaker + "/" + key + " in " + dir.string());
  }
  sort_utterances(out.utterances);
  problems.finish(out.problems);
  return out;
}

}  // namespace voxclone::mandarin
