// Folder reader: audio files + transcript lists, per-file .txt/.lab, subtitles or RTTM turns → utterances.
#include <algorithm>
#include <map>
#include <set>

#include "folder_reader.h"
#include "reader_util.h"
#include "voxclone/error.h"

namespace voxclone::folder {

using namespace readers;

namespace {

struct Turn {
  double start, end;
  std::string speaker;
};

// RTTM: "SPEAKER <file-id> <chan> <start> <dur> <NA> <NA> <speaker> <NA> <NA>".
void read_rttm(const fs::path& file, std::map<std::string, std::vector<Turn>>& turns, DatasetListing& out) {
  std::vector<std::string> lines;
  if (!read_lines(file, lines, out.problems)) return;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::vector<std::string> f;
    for (const auto& tok : split(trim(lines[i]), ' '))
      if (!tok.empty()) f.push_back(tok);
    if (f.empty() || f[0] != "SPEAKER") continue;
    double start, dur;
    if (f.size() < 8 || !parse_double(f[3], start) || !parse_double(f[4], dur) || start < 0 || dur <= 0) {
      out.problems.push_back({file.string(), int(i + 1), "expected 'SPEAKER <file> <chan> <start> <dur> <NA> <NA> <speaker>'"});
      continue;
    }
    turns[f[1]].push_back({start, start + dur, f[7]});
  }
}

// The speaker whose turns overlap [a, b) the most ("" when none does).
std::string speaker_by_overlap(const std::vector<Turn>& turns, double a, double b) {
  std::map<std::string, double> overlap;
  for (const auto& t : turns) {
    double o = std::min(b, t.end) - std::max(a, t.start);
    if (o > 0) overlap[t.speaker] += o;
  }
  std::string best;
  double most = 0;
  for (const auto& [s, o] : overlap)
    if (o > most) most = o, best = s;
  return best;
}

// `path|text`, `path<TAB>text` or LJSpeech's `id|raw|normalized` (the last non-empty column of 3).
void read_transcript_list(const fs::path& file, const fs::path& root, const std::map<std::string, std::vector<fs::path>>& by_stem,
                          std::map<fs::path, std::string>& texts, DatasetListing& out) {
  std::vector<std::string> lines;
  if (!read_lines(file, lines, out.problems)) return;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (trim(lines[i]).empty()) continue;
    std::vector<std::string> f = split(lines[i], lines[i].find('|') != std::string::npos ? '|' : '\t');
    if (f.size() < 2) {
      out.problems.push_back({file.string(), int(i + 1), "expected 'path|text' or 'path<TAB>text'"});
      continue;
    }
    std::string key = trim(f[0]);
    std::string text = trim(f.size() >= 3 && !trim(f[2]).empty() ? f[2] : f[1]);
    std::error_code ec;
    fs::path audio;
    if (fs::is_regular_file(root / key, ec)) {
      audio = fs::weakly_canonical(root / key, ec);
    } else {
      auto it = by_stem.find(fs::path(key).stem().string() == key ? key : fs::path(key).replace_extension().string());
      if (it == by_stem.end()) it = by_stem.find(fs::path(key).stem().string());
      if (it != by_stem.end() && it->second.size() == 1) audio = it->second.front();
    }
    if (audio.empty()) {
      std::string k = lower(key);
      bool header = i == 0 && (k == "path" || k == "file" || k == "filename" || k == "audio" || k == "wav" || k == "id");
      if (!header) out.problems.push_back({file.string(), int(i + 1), "no audio file for '" + key + "'"});
      continue;
    }
    texts[audio] = text;
  }
}

std::string beside_text(const fs::path& audio, DatasetListing& out) {
  for (const char* ext : {".txt", ".lab"}) {
    fs::path p = audio;
    p.replace_extension(ext);
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) continue;
    std::vector<std::string> lines;
    if (!read_lines(p, lines, out.problems)) return "";
    std::string text;
    for (const auto& l : lines)
      if (!trim(l).empty()) text += (text.empty() ? "" : " ") + trim(l);
    return text;
  }
  return "";
}

}  // namespace

DatasetListing read_folder(const std::string& root_in, const FolderOptions& opt) {
  require_folder(root_in, "folder");
  std::error_code ec;
  fs::path root = fs::weakly_canonical(root_in, ec);
  DatasetListing out;
  std::vector<fs::path> audio, lists, rttms;
  std::map<std::string, std::vector<fs::path>> by_stem;  // "sub/name" and "name" → files
  for (const auto& f : files_recursive(root)) {
    std::string e = ext_of(f);
    if (is_audio_file(f)) {
      audio.push_back(f);
      by_stem[fs::relative(f, root).replace_extension().generic_string()].push_back(f);
      if (f.parent_path() != root) by_stem[f.stem().string()].push_back(f);
    } else if (e == ".rttm") {
      rttms.push_back(f);
    } else if ((e == ".csv" || e == ".tsv") && f.parent_path() == root && opt.transcripts.empty()) {
      lists.push_back(f);
    }
  }
  if (!opt.transcripts.empty()) {
    fs::path t = root / opt.transcripts;
    if (!fs::is_regular_file(t, ec)) throw UserError("folder: transcripts file " + t.string() + " not found");
    lists.push_back(t);
  }
  std::map<fs::path, std::string> listed;
  for (const auto& l : lists) read_transcript_list(l, root, by_stem, listed, out);
  std::map<std::string, std::vector<Turn>> turns;
  for (const auto& r : rttms) read_rttm(r, turns, out);

  for (const auto& a : audio) {
    std::string rel = fs::relative(a, root).replace_extension().generic_string();
    std::string spk = opt.default_speaker;
    if (spk.empty()) spk = a.parent_path() != root ? fs::relative(a.parent_path(), root).generic_string() : root.filename().string();
    const std::vector<Turn>* file_turns = nullptr;
    if (auto it = turns.find(a.stem().string()); it != turns.end()) file_turns = &it->second;

    fs::path subs;
    for (const char* ext : {".srt", ".vtt"}) {
      fs::path p = a;
      p.replace_extension(ext);
      if (fs::is_regular_file(p, ec)) {
        subs = p;
        break;
      }
    }
    if (!subs.empty()) {
      std::vector<std::string> lines;
      if (!read_lines(subs, lines, out.problems)) continue;
      std::vector<Cue> cues = parse_subtitles(lines, subs.string(), opt.speaker_labels, out.problems);
      for (size_t k = 0; k < cues.size(); ++k) {
        Utterance u;
        char num[32];
        std::snprintf(num, sizeof num, "_%04zu", k + 1);
        u.id = rel + num;
        u.speaker = cues[k].speaker;
        if (u.speaker.empty() && file_turns) u.speaker = speaker_by_overlap(*file_turns, cues[k].start, cues[k].end);
        if (u.speaker.empty()) u.speaker = spk;
        u.audio = a.string();
        u.text = cues[k].text;
        u.language = opt.language;
        u.start = cues[k].start;
        u.end = cues[k].end;
        out.utterances.push_back(std::move(u));
      }
      continue;
    }
    if (file_turns && !listed.count(a)) {  // speaker turns without text: one utterance per turn
      for (size_t k = 0; k < file_turns->size(); ++k) {
        Utterance u;
        char num[32];
        std::snprintf(num, sizeof num, "_%04zu", k + 1);
        u.id = rel + num;
        u.speaker = (*file_turns)[k].speaker;
        u.audio = a.string();
        u.language = opt.language;
        u.start = (*file_turns)[k].start;
        u.end = (*file_turns)[k].end;
        out.utterances.push_back(std::move(u));
      }
      continue;
    }
    Utterance u;
    u.id = rel;
    u.speaker = spk;
    u.audio = a.string();
    u.language = opt.language;
    auto t = listed.find(a);
    u.text = t != listed.end() ? t->second : beside_text(a, out);
    out.utterances.push_back(std::move(u));
  }

  if (!opt.speaker.empty()) {
    std::set<std::string> present;
    std::vector<Utterance> kept;
    for (auto& u : out.utterances) {
      present.insert(u.speaker);
      if (u.speaker == opt.speaker) kept.push_back(std::move(u));
    }
    if (kept.empty()) {
      std::string names;
      for (const auto& s : present) names += (names.empty() ? "" : ", ") + s;
      out.problems.push_back({root.string(), 0, "speaker '" + opt.speaker + "' not found (present: " + names + ")"});
    }
    out.utterances = std::move(kept);
  }
  if (audio.empty()) out.problems.push_back({root.string(), 0, "no audio files (.wav .flac .mp3 .ogg .m4a) found"});
  if (opt.read_durations) read_durations(out);
  return out;
}

}  // namespace voxclone::folder
