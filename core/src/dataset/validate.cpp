// The one manifest validator (unique ids, speakers, audio present, text where promised, sane times).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <system_error>

#include "voxclone/config.h"
#include "voxclone/dataset.h"

namespace voxclone {

namespace {

std::string fmt_s(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f s", s);
  return buf;
}

// Alignment spans must be ordered, non-overlapping and inside the audio.
void check_alignment(const Utterance& u, const ValidationRules& rules, std::vector<DatasetProblem>& out) {
  double prev_end = 0.0;
  for (size_t i = 0; i < u.alignment.size(); ++i) {
    const WordAlignment& w = u.alignment[i];
    std::string where = u.id + ": alignment entry " + std::to_string(i) + " ('" + w.word + "')";
    if (!std::isfinite(w.start) || !std::isfinite(w.end) || w.start < 0) {
      out.push_back({u.audio, 0, where + " has an invalid time"});
      return;
    }
    if (w.end < w.start) {
      out.push_back({u.audio, 0, where + " ends before it starts (" + fmt_s(w.start) + " > " + fmt_s(w.end) + ")"});
      return;
    }
    if (w.start + 1e-9 < prev_end) {
      out.push_back({u.audio, 0, where + " starts at " + fmt_s(w.start) + ", before the previous end " + fmt_s(prev_end)});
      return;
    }
    prev_end = w.end;
  }
  double length = utterance_seconds(u);
  if (length > 0 && prev_end > length + rules.time_tolerance)
    out.push_back({u.audio, 0, u.id + ": alignment ends at " + fmt_s(prev_end) + ", after the audio (" + fmt_s(length) + ")"});
}

}  // namespace

ValidationRules rules_from_config(const Config& config) {
  ValidationRules r;
  if (config.has("require_text")) r.text_required = config.get_bool("require_text");
  if (config.has("min_seconds")) r.min_seconds = config.get_double("min_seconds");
  if (config.has("max_seconds")) r.max_seconds = config.get_double("max_seconds");
  return r;
}

std::vector<DatasetProblem> validate_listing(const DatasetListing& listing, const ValidationRules& rules) {
  std::vector<DatasetProblem> out;
  std::map<std::string, size_t> first_index;
  std::map<std::string, bool> exists_cache;  // cut utterances share one file
  for (size_t i = 0; i < listing.utterances.size(); ++i) {
    const Utterance& u = listing.utterances[i];
    std::string name = u.id.empty() ? "utterance #" + std::to_string(i) : u.id;
    if (u.id.empty()) out.push_back({u.audio, 0, name + " has an empty id"});
    else if (!first_index.emplace(u.id, i).second)
      out.push_back({u.audio, 0, "duplicate id " + u.id + " (first at row " + std::to_string(first_index[u.id]) + ")"});
    if (u.speaker.empty()) out.push_back({u.audio, 0, name + " has no speaker"});
    if (u.audio.empty()) {
      out.push_back({"", 0, name + " has no audio path"});
    } else if (rules.audio_must_exist) {
      auto it = exists_cache.find(u.audio);
      if (it == exists_cache.end()) {
        std::error_code ec;
        it = exists_cache.emplace(u.audio, std::filesystem::is_regular_file(u.audio, ec)).first;
      }
      if (!it->second) out.push_back({u.audio, 0, name + ": audio file missing"});
    }
    if (rules.text_required && u.text.find_first_not_of(" \t\r\n") == std::string::npos)
      out.push_back({u.audio, 0, name + " has no transcript"});
    if (u.seconds < 0 || !std::isfinite(u.seconds))
      out.push_back({u.audio, 0, name + ": invalid duration"});
    if (u.start < 0 || u.end < 0 || (u.end > 0 && u.end <= u.start))
      out.push_back({u.audio, 0, name + ": invalid segment " + fmt_s(u.start) + " .. " + fmt_s(u.end)});
    else if (u.end > 0 && u.seconds > 0 && u.end > u.seconds + rules.time_tolerance)
      out.push_back({u.audio, 0, name + ": segment ends at " + fmt_s(u.end) + ", after the audio (" + fmt_s(u.seconds) + ")"});
    double length = utterance_seconds(u);
    if (length > 0 && length < rules.min_seconds)
      out.push_back({u.audio, 0, name + " is only " + fmt_s(length) + " long"});
    if (length > rules.max_seconds)
      out.push_back({u.audio, 0, name + " is " + fmt_s(length) + " long (more than " + fmt_s(rules.max_seconds) + ")"});
    if (!u.alignment.empty()) check_alignment(u, rules, out);
  }
  return out;
}

double utterance_seconds(const Utterance& u) {
  if (u.end > 0) return u.end - u.start;
  if (u.seconds > 0) return u.seconds - u.start;
  return 0.0;
}

}  // namespace voxclone
