// VoxCeleb readers: speaker folders of YouTube-video folders of numbered clips; no transcripts.
#include <algorithm>
#include <map>
#include <set>

#include "reader_util.h"
#include "voxceleb_readers.h"
#include "voxclone/error.h"

namespace voxclone::voxceleb {

using namespace readers;

namespace {

// <speaker>/<video>/<nnnnn>.<ext> → one utterance per clip, id "<speaker>/<video>/<nnnnn>".
void add_speaker(const fs::path& spk_dir, const std::string& subset, const std::string& ext,
                 const std::string& language, DatasetListing& out) {
  std::string spk = spk_dir.filename().string();
  size_t before = out.utterances.size();
  for (const auto& f : files_recursive(spk_dir)) {
    if (ext_of(f) != ext) continue;
    Utterance u;
    u.id = fs::relative(f, spk_dir.parent_path()).replace_extension().generic_string();
    u.speaker = spk;
    u.subset = subset;
    u.audio = f.string();
    u.language = language;
    out.utterances.push_back(std::move(u));
  }
  if (out.utterances.size() == before) out.problems.push_back({spk_dir.string(), 0, "no " + ext + " files"});
}

}  // namespace

DatasetListing read_voxceleb1(const std::string& root, const std::vector<std::string>& subsets,
                              const VoxCeleb1Options& opt) {
  require_folder(root, "voxceleb1");
  fs::path base = corpus_dir(root, {"VoxCeleb1"});
  fs::path meta = base / "vox1_meta.csv";
  std::error_code ec;
  if (!fs::is_regular_file(meta, ec))
    throw UserError("voxceleb1: " + meta.string() + " not found (expected VoxCeleb1/vox1_meta.csv and wav/)");
  DatasetListing out;
  std::vector<std::string> lines;
  read_lines(meta, lines, out.problems);
  std::map<std::string, std::string> nationality;  // kept speaker → nationality
  std::map<std::string, int> listed_line;
  std::set<std::string> filtered;
  for (size_t i = 1; i < lines.size(); ++i) {  // line 1 is the header
    if (trim(lines[i]).empty()) continue;
    std::vector<std::string> f = split(lines[i], '\t');
    if (f.size() < 4 || trim(f[0]).empty()) {
      out.problems.push_back({meta.string(), int(i + 1), "expected TAB-separated 'id, name, gender, nationality, set'"});
      continue;
    }
    std::string id = trim(f[0]), nat = lower(trim(f[3]));
    listed_line[id] = int(i + 1);
    bool keep = opt.nationalities.empty() ||
                std::find(opt.nationalities.begin(), opt.nationalities.end(), nat) != opt.nationalities.end();
    if (keep) nationality[id] = nat;
    else filtered.insert(id);
  }
  std::vector<fs::path> present;
  for (const char* s : {"wav", "test_wav"})
    if (fs::is_directory(base / s, ec)) present.push_back(base / s);
  if (present.empty()) out.problems.push_back({base.string(), 0, "no wav/ or test_wav/ folder"});
  std::set<std::string> on_disk;
  for (const auto& subset : select_subsets(present, subsets, base, out.problems)) {
    for (const auto& spk_dir : sorted_dirs(subset)) {
      std::string spk = spk_dir.filename().string();
      on_disk.insert(spk);
      if (filtered.count(spk)) continue;  // the nationality filter, as RTVC's preprocess_voxceleb1
      if (!nationality.count(spk)) {
        out.problems.push_back({spk_dir.string(), 0, spk + " is not listed in vox1_meta.csv; skipped"});
        continue;
      }
      bool anglophone = !nationality[spk].empty();
      add_speaker(spk_dir, subset.filename().string(), ".wav", anglophone && opt.nationalities.size() ? "en" : "", out);
    }
  }
  for (const auto& [spk, nat] : nationality)
    if (!on_disk.count(spk))
      out.problems.push_back({meta.string(), listed_line[spk], spk + " is listed but has no audio folder"});
  if (opt.read_durations) read_durations(out);
  return out;
}

DatasetListing read_voxceleb2(const std::string& root, const std::vector<std::string>& subsets,
                              const VoxCeleb2Options& opt) {
  require_folder(root, "voxceleb2");
  fs::path base = corpus_dir(root, {"VoxCeleb2"});
  DatasetListing out;
  std::vector<fs::path> present;
  std::error_code ec;
  for (const char* s : {"dev", "test"})
    if (fs::is_directory(base / s / "aac", ec)) present.push_back(base / s);
  if (present.empty()) out.problems.push_back({base.string(), 0, "no dev/aac/ or test/aac/ folder"});
  for (const auto& subset : select_subsets(present, subsets, base, out.problems))
    for (const auto& spk_dir : sorted_dirs(subset / "aac"))
      add_speaker(spk_dir, subset.filename().string(), ".m4a", "", out);
  if (opt.read_durations) read_durations(out);
  return out;
}

}  // namespace voxclone::voxceleb
