// VCTK reader: the 0.80 layout (wav48/<spk>/<utt>.wav) and 0.92 (wav48_silence_trimmed/<spk>/<utt>_micN.flac).
#include "english_readers.h"
#include "reader_util.h"
#include "voxclone/error.h"

namespace voxclone::english {

using namespace readers;

namespace {

std::string read_text(const fs::path& txt, DatasetListing& out) {
  std::vector<std::string> lines;
  if (!read_lines(txt, lines, out.problems)) return "";
  std::string text;
  for (const auto& l : lines) {
    std::string t = trim(l);
    if (!t.empty()) text += (text.empty() ? "" : " ") + t;
  }
  if (text.empty()) out.problems.push_back({txt.string(), 0, "empty transcript file"});
  return text;
}

}  // namespace

DatasetListing read_vctk(const std::string& root, const VctkOptions& opt) {
  require_folder(root, "vctk");
  if (opt.mic != "mic1" && opt.mic != "mic2" && opt.mic != "both")
    throw UserError("vctk: mic must be \"mic1\", \"mic2\" or \"both\" (got \"" + opt.mic + "\")");
  fs::path base = corpus_dir(root, {"VCTK-Corpus", "VCTK-Corpus-0.92"});
  fs::path old_wavs = child_nocase(base, "wav48"), new_wavs = child_nocase(base, "wav48_silence_trimmed");
  fs::path txt = child_nocase(base, "txt");
  DatasetListing out;
  if (old_wavs.empty() && new_wavs.empty())
    throw UserError("vctk: " + base.string() + " has neither wav48/ (VCTK 0.80) nor wav48_silence_trimmed/ (0.92)");
  for (const auto& spk_dir : sorted_dirs(old_wavs)) {
    std::string spk = spk_dir.filename().string();
    for (const auto& f : sorted_files(spk_dir)) {
      if (!is_audio_file(f)) continue;
      Utterance u;
      u.id = f.stem().string();
      u.speaker = spk;
      u.audio = f.string();
      u.language = "en";
      fs::path t = txt / spk / (u.id + ".txt");
      std::error_code ec;
      if (fs::exists(t, ec)) u.text = read_text(t, out);
      out.utterances.push_back(std::move(u));
    }
  }
  for (const auto& spk_dir : sorted_dirs(new_wavs)) {
    std::string spk = spk_dir.filename().string();
    for (const auto& f : sorted_files(spk_dir)) {
      if (!is_audio_file(f)) continue;
      std::string stem = f.stem().string();  // p225_001_mic1
      size_t us = stem.rfind('_');
      std::string mic = us == std::string::npos ? "" : stem.substr(us + 1);
      if (mic != "mic1" && mic != "mic2") {
        out.problems.push_back({f.string(), 0, "expected <speaker>_<nnn>_mic1 or _mic2 in the name"});
        continue;
      }
      if (opt.mic != "both" && mic != opt.mic) continue;
      std::string base_id = stem.substr(0, us);
      Utterance u;
      u.id = opt.mic == "both" ? stem : base_id;
      u.speaker = spk;
      u.audio = f.string();
      u.language = "en";
      fs::path t = txt / spk / (base_id + ".txt");
      std::error_code ec;
      if (fs::exists(t, ec)) u.text = read_text(t, out);
      out.utterances.push_back(std::move(u));
    }
  }
  if (opt.read_durations) read_durations(out);
  return out;
}

}  // namespace voxclone::english
