// LJSpeech reader: metadata.csv (id|raw|normalized, no quoting) and wavs/<id>.wav, one speaker.
#include <map>
#include <set>

#include "english_readers.h"
#include "reader_util.h"
#include "voxclone/error.h"

namespace voxclone::english {

using namespace readers;

DatasetListing read_ljspeech(const std::string& root, const LjSpeechOptions& opt) {
  require_folder(root, "ljspeech");
  fs::path base = corpus_dir(root, {"LJSpeech-1.1"});
  fs::path meta = base / "metadata.csv", wavs = base / "wavs";
  std::error_code ec;
  if (!fs::is_regular_file(meta, ec))
    throw UserError("ljspeech: " + meta.string() + " not found (expected LJSpeech-1.1/metadata.csv and wavs/)");
  DatasetListing out;
  std::vector<std::string> lines;
  read_lines(meta, lines, out.problems);
  std::set<std::string> listed;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (trim(lines[i]).empty()) continue;
    std::vector<std::string> f = split(lines[i], '|');
    if (f.size() != 3 || f[0].empty()) {
      out.problems.push_back({meta.string(), int(i + 1), "expected 'id|raw text|normalized text', found " +
                                                             std::to_string(f.size()) + " field(s)"});
      continue;
    }
    if (!listed.insert(f[0]).second) {
      out.problems.push_back({meta.string(), int(i + 1), "duplicate id " + f[0]});
      continue;
    }
    fs::path wav = wavs / (f[0] + ".wav");
    if (!fs::is_regular_file(wav, ec)) {
      out.problems.push_back({meta.string(), int(i + 1), "no audio file wavs/" + f[0] + ".wav"});
      continue;
    }
    Utterance u;
    u.id = f[0];
    u.speaker = opt.speaker;
    u.audio = wav.string();
    u.text = trim(opt.normalized && !trim(f[2]).empty() ? f[2] : f[1]);
    u.language = "en";
    out.utterances.push_back(std::move(u));
  }
  for (const auto& f : sorted_files(wavs)) {
    if (ext_of(f) == ".wav" && !listed.count(f.stem().string())) {
      Utterance u;  // audio without a metadata line: kept (the validator reports the missing text)
      u.id = f.stem().string();
      u.speaker = opt.speaker;
      u.audio = f.string();
      u.language = "en";
      out.utterances.push_back(std::move(u));
    }
  }
  if (opt.read_durations) read_durations(out);
  return out;
}

}  // namespace voxclone::english
