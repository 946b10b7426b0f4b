// LibriSpeech reader: <subset>/<speaker>/<chapter>/*.flac, .trans.txt and librispeech-alignments files.
#include <map>

#include "english_readers.h"
#include "reader_util.h"

namespace voxclone::english {

using namespace readers;

namespace {

// `<utt> "<w1>,...,<wn>" "<t1>,...,<tn>"`: words and end times; "" words are silences.
bool parse_alignment_line(const std::string& line, std::string& id, std::vector<WordAlignment>& out,
                          std::string& why) {
  std::vector<std::string> f = split(trim(line), ' ');
  if (f.size() != 3) {
    why = "expected 3 space-separated fields, found " + std::to_string(f.size());
    return false;
  }
  auto unquote = [](std::string s) {
    std::string r;
    for (char c : s)
      if (c != '"') r += c;
    return r;
  };
  id = f[0];
  std::vector<std::string> words = split(unquote(f[1]), ','), times = split(unquote(f[2]), ',');
  if (words.size() != times.size()) {
    why = std::to_string(words.size()) + " words but " + std::to_string(times.size()) + " times";
    return false;
  }
  out.clear();
  double prev = 0.0;
  for (size_t i = 0; i < words.size(); ++i) {
    double t;
    if (!parse_double(times[i], t)) {
      why = "bad time '" + times[i] + "'";
      return false;
    }
    out.push_back({words[i], prev, t});
    prev = t;
  }
  return true;
}

void read_chapter(const fs::path& chapter, const std::string& subset, const std::string& speaker,
                  const LibriSpeechOptions& opt, DatasetListing& out) {
  std::map<std::string, fs::path> audio;
  fs::path trans, align;
  for (const auto& f : sorted_files(chapter)) {
    std::string name = f.filename().string();
    if (name.size() > 10 && name.compare(name.size() - 10, 10, ".trans.txt") == 0) trans = f;
    else if (name.size() > 14 && name.compare(name.size() - 14, 14, ".alignment.txt") == 0) align = f;
    else if (ext_of(f) == ".flac" || ext_of(f) == ".wav") audio[f.stem().string()] = f;
  }
  std::map<std::string, std::string> texts;
  std::vector<std::string> lines;
  if (!trans.empty() && read_lines(trans, lines, out.problems)) {
    for (size_t i = 0; i < lines.size(); ++i) {
      if (trim(lines[i]).empty()) continue;
      size_t sp = lines[i].find(' ');
      if (sp == std::string::npos || sp == 0) {
        out.problems.push_back({trans.string(), int(i + 1), "expected '<utterance-id> <TEXT>'"});
        continue;
      }
      std::string id = lines[i].substr(0, sp);
      if (!audio.count(id)) out.problems.push_back({trans.string(), int(i + 1), "no audio file for " + id});
      texts[id] = trim(lines[i].substr(sp + 1));
    }
  }
  std::map<std::string, std::vector<WordAlignment>> aligned;
  if (opt.alignments && !align.empty() && read_lines(align, lines, out.problems)) {
    for (size_t i = 0; i < lines.size(); ++i) {
      if (trim(lines[i]).empty()) continue;
      std::string id, why;
      std::vector<WordAlignment> words;
      if (!parse_alignment_line(lines[i], id, words, why)) {
        out.problems.push_back({align.string(), int(i + 1), why});
        continue;
      }
      if (!audio.count(id)) out.problems.push_back({align.string(), int(i + 1), "no audio file for " + id});
      aligned[id] = std::move(words);
    }
  }
  for (const auto& [id, path] : audio) {
    Utterance u;
    u.id = id;
    u.speaker = speaker;
    u.subset = subset;
    u.audio = path.string();
    u.language = "en";
    auto t = texts.find(id);
    if (t != texts.end()) u.text = t->second;
    else if (!trans.empty()) out.problems.push_back({trans.string(), 0, "no transcript line for " + id});
    auto a = aligned.find(id);
    if (a != aligned.end()) u.alignment = a->second;
    out.utterances.push_back(std::move(u));
  }
}

}  // namespace

DatasetListing read_librispeech(const std::string& root, const std::vector<std::string>& subsets,
                                const LibriSpeechOptions& opt) {
  require_folder(root, "librispeech");
  fs::path base = corpus_dir(root, {"LibriSpeech"});
  DatasetListing out;
  std::vector<fs::path> chosen = select_subsets(sorted_dirs(base), subsets, base, out.problems);
  for (const auto& subset : chosen) {
    for (const auto& spk : sorted_dirs(subset)) {
      auto chapters = sorted_dirs(spk);
      if (chapters.empty()) out.problems.push_back({spk.string(), 0, "speaker folder without chapter folders"});
      for (const auto& ch : chapters)
        read_chapter(ch, subset.filename().string(), spk.filename().string(), opt, out);
    }
  }
  if (out.utterances.empty() && out.problems.empty())
    out.problems.push_back({base.string(), 0, "no LibriSpeech audio (<subset>/<speaker>/<chapter>/*.flac) found"});
  if (opt.read_durations) read_durations(out);
  return out;
}

}  // namespace voxclone::english
