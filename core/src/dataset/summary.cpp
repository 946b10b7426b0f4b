// Totals and JSON output of a dataset manifest (what `voxclone data check/list` print).
#include <nlohmann/json.hpp>

#include <set>

#include "voxclone/dataset.h"

namespace voxclone {

namespace {

nlohmann::json problem_json(const DatasetProblem& p) {
  return {{"file", p.file}, {"line", p.line}, {"message", p.message}};
}

// Invalid UTF-8 in a transcript must not make the JSON writer throw: replace it.
std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace

DatasetSummary summarize(const DatasetListing& listing, const std::vector<DatasetProblem>& validation) {
  DatasetSummary s;
  std::set<std::string> speakers;
  for (const Utterance& u : listing.utterances) {
    speakers.insert(u.speaker);
    ++s.utterances;
    if (!u.text.empty()) ++s.with_text;
    if (!u.alignment.empty()) ++s.with_alignment;
    double len = utterance_seconds(u);
    if (len > 0) s.seconds += len;
    else ++s.unknown_duration;
    ++s.languages[u.language.empty() ? "unknown" : u.language];
    ++s.subsets[u.subset.empty() ? "-" : u.subset];
  }
  s.speakers = speakers.size();
  s.problems = listing.problems;
  s.problems.insert(s.problems.end(), validation.begin(), validation.end());
  return s;
}

std::string summary_json(const DatasetSummary& s) {
  nlohmann::json j;
  j["speakers"] = s.speakers;
  j["utterances"] = s.utterances;
  j["seconds"] = s.seconds;
  j["hours"] = s.seconds / 3600.0;
  j["with_text"] = s.with_text;
  j["with_alignment"] = s.with_alignment;
  j["unknown_duration"] = s.unknown_duration;
  j["languages"] = s.languages;
  j["subsets"] = s.subsets;
  j["problems"] = nlohmann::json::array();
  for (const auto& p : s.problems) j["problems"].push_back(problem_json(p));
  return dump(j);
}

std::string utterance_json(const Utterance& u) {
  nlohmann::json j;
  j["id"] = u.id;
  j["speaker"] = u.speaker;
  j["subset"] = u.subset;
  j["audio"] = u.audio;
  j["text"] = u.text;
  j["language"] = u.language;
  j["seconds"] = utterance_seconds(u);
  j["sample_rate"] = u.sample_rate;
  if (u.end > 0 || u.start > 0) {
    j["start"] = u.start;
    j["end"] = u.end;
  }
  if (!u.alignment.empty()) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& w : u.alignment) a.push_back({w.word, w.start, w.end});
    j["alignment"] = a;
  }
  return dump(j);
}

std::string problem_text(const DatasetProblem& p) {
  if (p.file.empty()) return p.message;
  if (p.line > 0) return p.file + ":" + std::to_string(p.line) + ": " + p.message;
  return p.file + ": " + p.message;
}

}  // namespace voxclone
