// The manifest validator, summary and JSON output on hand-made listings (each rule can fail).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

#include "fixtures.h"
#include "voxclone/dataset.h"

using namespace voxclone;

namespace {

bool has_problem(const std::vector<DatasetProblem>& ps, const std::string& needle) {
  for (const auto& p : ps)
    if (p.message.find(needle) != std::string::npos) return true;
  return false;
}

Utterance utt(const std::string& id, const std::string& audio, double seconds) {
  Utterance u;
  u.id = id;
  u.speaker = "s1";
  u.audio = audio;
  u.text = "hello";
  u.language = "en";
  u.seconds = seconds;
  return u;
}

}  // namespace

TEST_CASE("a clean listing has no problems and sums its durations") {
  std::string dir = vctest::scratch_dir("dataset_clean");
  std::ofstream(dir + "/a.wav") << "x";
  std::ofstream(dir + "/b.wav") << "x";
  DatasetListing l;
  l.utterances = {utt("a", dir + "/a.wav", 1.5), utt("b", dir + "/b.wav", 2.0)};
  l.utterances[1].speaker = "s2";
  l.utterances[1].alignment = {{"", 0.0, 0.1}, {"hi", 0.1, 1.9}, {"", 1.9, 2.0}};
  ValidationRules rules;
  rules.text_required = true;
  CHECK(validate_listing(l, rules).empty());
  DatasetSummary s = summarize(l);
  CHECK(s.speakers == 2);
  CHECK(s.utterances == 2);
  CHECK(s.seconds == Approx(3.5));
  CHECK(s.with_alignment == 1);
  auto j = nlohmann::json::parse(summary_json(s));
  CHECK(j["speakers"] == 2);
  CHECK(j["utterances"] == 2);
  CHECK(j["seconds"].get<double>() == Approx(3.5));
  CHECK(j["problems"].empty());
  CHECK(j["languages"]["en"] == 2);
}

TEST_CASE("every validator rule reports its problem") {
  std::string dir = vctest::scratch_dir("dataset_bad");
  std::ofstream(dir + "/a.wav") << "x";
  DatasetListing l;
  l.utterances.push_back(utt("a", dir + "/a.wav", 2.0));
  l.utterances.push_back(utt("a", dir + "/a.wav", 2.0));            // duplicate id
  l.utterances.push_back(utt("nospk", dir + "/a.wav", 2.0));
  l.utterances.back().speaker = "";
  l.utterances.push_back(utt("gone", dir + "/missing.wav", 2.0));
  l.utterances.push_back(utt("notext", dir + "/a.wav", 2.0));
  l.utterances.back().text = "  ";
  l.utterances.push_back(utt("tiny", dir + "/a.wav", 0.01));
  l.utterances.push_back(utt("cut", dir + "/a.wav", 2.0));
  l.utterances.back().start = 1.5;
  l.utterances.back().end = 1.0;
  l.utterances.push_back(utt("late", dir + "/a.wav", 2.0));
  l.utterances.back().start = 1.0;
  l.utterances.back().end = 3.0;
  l.utterances.push_back(utt("order", dir + "/a.wav", 2.0));
  l.utterances.back().alignment = {{"a", 0.0, 0.5}, {"b", 0.4, 0.8}};
  l.utterances.push_back(utt("past", dir + "/a.wav", 2.0));
  l.utterances.back().alignment = {{"a", 0.0, 2.5}};
  ValidationRules rules;
  rules.text_required = true;
  auto ps = validate_listing(l, rules);
  CHECK(has_problem(ps, "duplicate id a"));
  CHECK(has_problem(ps, "nospk has no speaker"));
  CHECK(has_problem(ps, "gone: audio file missing"));
  CHECK(has_problem(ps, "notext has no transcript"));
  CHECK(has_problem(ps, "tiny is only"));
  CHECK(has_problem(ps, "cut: invalid segment"));
  CHECK(has_problem(ps, "late: segment ends at"));
  CHECK(has_problem(ps, "before the previous end"));
  CHECK(has_problem(ps, "past: alignment ends at"));
  CHECK(ps.size() == 9);
  rules.text_required = false;
  CHECK(!has_problem(validate_listing(l, rules), "has no transcript"));
  // Reader problems come first in the summary, then the validator's.
  l.problems.push_back({"meta.csv", 3, "reader said so"});
  DatasetSummary s = summarize(l, ps);
  REQUIRE(s.problems.size() == 10);
  CHECK(problem_text(s.problems[0]) == "meta.csv:3: reader said so");
}

TEST_CASE("utterance_json carries the fields data list promises") {
  Utterance u = utt("x", "/a/x.wav", 4.0);
  u.start = 1.0;
  u.end = 2.5;
  auto j = nlohmann::json::parse(utterance_json(u));
  CHECK(j["id"] == "x");
  CHECK(j["speaker"] == "s1");
  CHECK(j["audio"] == "/a/x.wav");
  CHECK(j["text"] == "hello");
  CHECK(j["language"] == "en");
  CHECK(j["seconds"].get<double>() == Approx(1.5));
  CHECK(j["start"].get<double>() == Approx(1.0));
  CHECK(utterance_json(u).find('\n') == std::string::npos);
}
