// SubRip (.srt) and WebVTT (.vtt) cue parsing with the common speaker-label conventions.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <regex>

#include "folder_reader.h"
#include "reader_util.h"

namespace voxclone::folder {

using namespace readers;

namespace {

// [hh:]mm:ss(,|.)mmm → seconds.
bool parse_time(const std::string& s, double& out) {
  static const std::regex re(R"(^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[,.](\d{1,3}))?$)");
  std::smatch m;
  if (!std::regex_match(s, m, re)) return false;
  double h = m[1].matched ? std::stod(m[1]) : 0, mi = std::stod(m[2]), se = std::stod(m[3]);
  double ms = 0;
  if (m[4].matched) {
    std::string f = m[4];
    ms = std::stod(f) / std::pow(10.0, double(f.size()));
  }
  if (mi >= 60 || se >= 60) return false;
  out = h * 3600 + mi * 60 + se + ms;
  return true;
}

std::string strip_tags(const std::string& s) {
  static const std::regex tags(R"(<[^>]*>|\{\\[^}]*\})");
  return trim(std::regex_replace(s, tags, ""));
}

// Takes a leading speaker label off `text`: <v Name>, [SPEAKER_01] / [NAME], or "Name:" (1-3 capitalised words).
std::string take_label(std::string& text) {
  static const std::regex voice(R"(^\s*<v(?:\.[^ >]*)?\s+([^>]+)>\s*)");
  static const std::regex bracket(R"(^\s*\[([A-Za-z0-9_ .'-]+)\]\s*)");
  static const std::regex colon(R"(^\s*([A-Z][A-Za-z0-9_.'-]*(?: [A-Z][A-Za-z0-9_.'-]*){0,2}):\s+)");
  std::smatch m;
  if (std::regex_search(text, m, voice)) {
    std::string name = trim(m[1]);
    text = m.suffix();
    return name;
  }
  if (std::regex_search(text, m, bracket)) {
    std::string name = trim(m[1]);
    bool has_lower = std::any_of(name.begin(), name.end(), [](unsigned char c) { return std::islower(c); });
    if (!has_lower || lower(name).rfind("speaker", 0) == 0) {  // "[Music]" is a sound, not a speaker
      text = m.suffix();
      return name;
    }
  }
  if (std::regex_search(text, m, colon)) {
    std::string name = m[1];
    text = m.suffix();
    return name;
  }
  return "";
}

}  // namespace

std::vector<Cue> parse_subtitles(const std::vector<std::string>& lines, const std::string& file, bool speaker_labels,
                                 std::vector<DatasetProblem>& problems) {
  std::vector<Cue> cues;
  size_t i = 0;
  while (i < lines.size()) {
    while (i < lines.size() && trim(lines[i]).empty()) ++i;
    size_t start = i;
    while (i < lines.size() && !trim(lines[i]).empty()) ++i;
    if (start == i) break;
    size_t timing = start;
    while (timing < i && lines[timing].find("-->") == std::string::npos) ++timing;
    if (timing == i) {
      std::string first = trim(lines[start]);
      bool header = first.rfind("WEBVTT", 0) == 0 || first.rfind("NOTE", 0) == 0 || first.rfind("STYLE", 0) == 0 ||
                    first.rfind("REGION", 0) == 0;
      if (!header) problems.push_back({file, int(start + 1), "subtitle block without a 'start --> end' line"});
      continue;
    }
    const std::string& t = lines[timing];
    size_t arrow = t.find("-->");
    std::string left = trim(t.substr(0, arrow)), right = trim(t.substr(arrow + 3));
    right = right.substr(0, right.find_first_of(" \t"));  // VTT cue settings follow the end time
    Cue c;
    c.line = int(timing + 1);
    if (!parse_time(left, c.start) || !parse_time(right, c.end)) {
      problems.push_back({file, c.line, "bad cue times '" + trim(t) + "'"});
      continue;
    }
    if (c.end <= c.start) {
      problems.push_back({file, c.line, "cue ends before it starts"});
      continue;
    }
    std::string text;
    for (size_t k = timing + 1; k < i; ++k) {
      std::string line = lines[k];
      if (speaker_labels && k == timing + 1) c.speaker = take_label(line);
      line = strip_tags(line);
      if (!line.empty()) text += (text.empty() ? "" : " ") + line;
    }
    c.text = text;
    if (c.text.empty()) continue;  // a cue with only a label or markup carries no speech text
    cues.push_back(std::move(c));
  }
  return cues;
}

}  // namespace voxclone::folder
