// TIMIT reader: {TRAIN,TEST}/DR*/<speaker>/<utt>.WAV (NIST SPHERE) with .TXT and .WRD (sample offsets).
#include <map>

#include "english_readers.h"
#include "reader_util.h"

namespace voxclone::english {

using namespace readers;

namespace {

struct RawWord {
  long long start, end;
  std::string word;
};

// `<start> <end> <rest>` lines with sample offsets.
bool parse_span_line(const std::string& line, long long& a, long long& b, std::string& rest) {
  std::string t = trim(line);
  size_t s1 = t.find(' ');
  if (s1 == std::string::npos) return false;
  size_t s2 = t.find(' ', s1 + 1);
  std::string second = t.substr(s1 + 1, s2 == std::string::npos ? std::string::npos : s2 - s1 - 1);
  rest = s2 == std::string::npos ? "" : trim(t.substr(s2 + 1));
  return parse_long(t.substr(0, s1), a) && parse_long(second, b) && a >= 0 && b >= a;
}

}  // namespace

DatasetListing read_timit(const std::string& root, const std::vector<std::string>& subsets, const TimitOptions& opt) {
  require_folder(root, "timit");
  fs::path base = corpus_dir(root, {"TIMIT"});
  DatasetListing out;
  std::vector<fs::path> present;
  for (const auto& d : sorted_dirs(base))
    if (lower(d.filename().string()) == "train" || lower(d.filename().string()) == "test") present.push_back(d);
  if (present.empty()) out.problems.push_back({base.string(), 0, "no TRAIN/ or TEST/ folder"});
  std::map<size_t, std::vector<RawWord>> words;  // utterance index → .WRD entries
  for (const auto& subset : select_subsets(present, subsets, base, out.problems)) {
    for (const auto& region : sorted_dirs(subset)) {
      for (const auto& spk_dir : sorted_dirs(region)) {
        std::string spk = spk_dir.filename().string();
        // One utterance per stem; SA1.WAV (SPHERE) is preferred over a SA1.WAV.wav conversion.
        std::map<std::string, fs::path> audio;
        for (const auto& f : sorted_files(spk_dir)) {
          std::string name = f.filename().string(), stem = name.substr(0, name.find('.'));
          std::string rest = lower(name.substr(stem.size()));
          if (rest == ".wav" || (rest == ".wav.wav" && !audio.count(stem))) audio[stem] = f;
        }
        for (const auto& [stem, wav] : audio) {
          Utterance u;
          u.id = spk + "_" + stem;
          u.speaker = spk;
          u.subset = subset.filename().string();
          u.audio = wav.string();
          u.language = "en";
          std::vector<std::string> lines;
          fs::path txt = child_nocase(spk_dir, stem + ".TXT");
          if (!txt.empty() && read_lines(txt, lines, out.problems)) {
            long long a, b;
            std::string text;
            if (lines.empty() || !parse_span_line(lines[0], a, b, text) || text.empty())
              out.problems.push_back({txt.string(), 1, "expected '<first sample> <end sample> <text>'"});
            else
              u.text = text;
          }
          fs::path wrd = child_nocase(spk_dir, stem + ".WRD");
          if (!wrd.empty() && read_lines(wrd, lines, out.problems)) {
            std::vector<RawWord> ws;
            for (size_t i = 0; i < lines.size(); ++i) {
              if (trim(lines[i]).empty()) continue;
              RawWord w;
              if (!parse_span_line(lines[i], w.start, w.end, w.word) || w.word.empty()) {
                out.problems.push_back({wrd.string(), int(i + 1), "expected '<start> <end> <word>'"});
                ws.clear();
                break;
              }
              ws.push_back(w);
            }
            if (!ws.empty()) words[out.utterances.size()] = ws;
          }
          out.utterances.push_back(std::move(u));
        }
      }
    }
  }
  // Sample offsets need the rate: keep the word lists aside until the headers are read.
  std::map<std::string, std::vector<RawWord>> by_id;
  for (auto& [i, ws] : words) by_id[out.utterances[i].id] = std::move(ws);
  if (opt.read_durations) read_durations(out);
  for (Utterance& u : out.utterances) {
    auto it = by_id.find(u.id);
    if (it == by_id.end()) continue;
    double rate = u.sample_rate > 0 ? u.sample_rate : 16000.0;
    long long prev = 0;
    for (const RawWord& w : it->second) {
      if (w.start > prev) u.alignment.push_back({"", prev / rate, w.start / rate});  // silence between words
      u.alignment.push_back({w.word, w.start / rate, w.end / rate});
      prev = std::max(prev, w.end);
    }
  }
  return out;
}

}  // namespace voxclone::english
