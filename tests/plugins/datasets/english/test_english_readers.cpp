// LibriSpeech, VCTK, LJSpeech and TIMIT readers on the layout fixtures and the shared real excerpts.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "fixtures.h"
#include "voxclone/error.h"
#include "voxclone/runtime.h"

using namespace voxclone;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<Dataset> dataset(const std::string& name, const Overrides& o = {}) {
  auto& rt = Runtime::instance();
  rt.load_plugins({vctest::plugin_dir()});
  return rt.create<Dataset>(name, "", o);
}

nlohmann::json expected() {
  std::ifstream in(vctest::fixture_or_skip("datasets/expected_reader_outputs.json"));
  return nlohmann::json::parse(in);
}

std::string root() {
  std::string p = vctest::fixture_or_skip("datasets/LibriSpeech");
  return fs::path(p).parent_path().string();
}

std::string rel(const std::string& path) { return fs::relative(path, root()).generic_string(); }

const Utterance* find(const DatasetListing& l, const std::string& id) {
  for (const auto& u : l.utterances)
    if (u.id == id) return &u;
  return nullptr;
}

bool has_problem(const std::vector<DatasetProblem>& ps, const std::string& needle) {
  for (const auto& p : ps)
    if (p.message.find(needle) != std::string::npos || p.file.find(needle) != std::string::npos) return true;
  return false;
}

// The toolbox listing of one recognized dataset folder: speaker → sorted relative audio paths.
std::map<std::string, std::set<std::string>> toolbox(const std::string& key) {
  std::map<std::string, std::set<std::string>> out;
  const nlohmann::json all = expected();
  for (const auto& [spk, files] : all["toolbox_browser"]["rtvc"]["present"][key].items())
    for (const auto& f : files) out[spk].insert(key + "/" + spk + "/" + f.get<std::string>());
  return out;
}

void check_durations(const DatasetListing& l) {
  const nlohmann::json want = expected()["durations_s"];
  size_t n = 0;
  for (const auto& u : l.utterances) {
    std::string r = rel(u.audio);
    if (!want.contains(r)) continue;
    INFO(r);
    CHECK(u.seconds == Approx(want[r].get<double>()).margin(1e-3));
    ++n;
  }
  CHECK(n == l.utterances.size());
}

}  // namespace

TEST_CASE("librispeech reads both subsets like the toolbox and the encoder preprocessor") {
  auto l = dataset("librispeech")->list(root(), {});
  CHECK(l.problems.empty());
  std::map<std::string, std::set<std::string>> got;
  for (const auto& u : l.utterances) got[u.subset + "/" + u.speaker].insert(rel(u.audio));
  std::map<std::string, std::set<std::string>> want;
  for (const char* sub : {"train-clean-100", "train-other-500"})
    for (const auto& [spk, files] : toolbox(std::string("LibriSpeech/") + sub)) want[std::string(sub) + "/" + spk] = files;
  CHECK(got == want);
  CHECK(l.utterances.size() == 10);
  check_durations(l);
  // RTVC's librispeech_other encoder speakers: LibriSpeech_train-other-500_<speaker>.
  std::set<std::string> enc_speakers, ours;
  const nlohmann::json all = expected();
  for (const auto& [name, v] : all["encoder_preprocess_rtvc"]["preprocess_librispeech"].items())
    enc_speakers.insert(name.substr(std::string("LibriSpeech_train-other-500_").size()));
  for (const auto& u : dataset("librispeech")->list(root(), {"train-other-500"}).utterances) ours.insert(u.speaker);
  CHECK(ours == enc_speakers);
}

TEST_CASE("librispeech alignments: words and end times, the unaligned utterance has none") {
  auto l = dataset("librispeech")->list(root(), {"train-clean-100"});
  REQUIRE(l.utterances.size() == 6);
  const Utterance* un = find(l, "103-1240-0002");
  REQUIRE(un);
  CHECK(un->alignment.empty());
  CHECK(un->text == "IT WAS COLD AND QUIET");
  // Every row RTVC's synthesizer preprocessing wrote comes from an aligned utterance whose words
  // (silences dropped) are that row's text.
  const nlohmann::json rows = expected()["rtvc_synthesizer_preprocess_librispeech_train_clean_100_rows"];
  REQUIRE(rows.size() == 3);
  for (const auto& row : rows) {
    std::string audio = row[0];
    std::string id = audio.substr(6, audio.size() - 6 - 7);  // audio-<id>_00.npy
    const Utterance* u = find(l, id);
    REQUIRE(u);
    REQUIRE(!u->alignment.empty());
    std::string words;
    for (const auto& w : u->alignment)
      if (!w.word.empty()) words += (words.empty() ? "" : " ") + w.word;
    CHECK(words == row[5].get<std::string>());
    CHECK(u->alignment.front().word.empty());
    CHECK(u->alignment.back().end == Approx(u->seconds).margin(1e-3));
  }
  CHECK(validate_listing(l).empty());
  // alignments = false ignores them
  auto plain = dataset("librispeech", {{"alignments", false}})->list(root(), {"train-clean-100"});
  for (const auto& u : plain.utterances) CHECK(u.alignment.empty());
}

TEST_CASE("librispeech: a missing subset is a problem, a missing root is a user error") {
  auto l = dataset("librispeech")->list(root(), {"train-clean-100", "train-clean-360"});
  CHECK(l.utterances.size() == 6);
  CHECK(has_problem(l.problems, "train-clean-360"));
  CHECK_THROWS_AS(dataset("librispeech")->list(root() + "/nope", {}), UserError);
}

TEST_CASE("librispeech: broken alignment and transcript lines are reported, the rest loads") {
  std::string dir = vctest::scratch_dir("libri_broken");
  fs::create_directories(dir + "/LibriSpeech/train-clean-100");
  fs::copy(root() + "/LibriSpeech/train-clean-100/103", dir + "/LibriSpeech/train-clean-100/103",
           fs::copy_options::recursive);
  std::string ch = dir + "/LibriSpeech/train-clean-100/103/1240/";
  std::ofstream(ch + "103-1240.alignment.txt", std::ios::app) << "103-1240-0009 \",A,\" \"0.1,oops,0.5\"\n";
  std::ofstream(ch + "103-1240.trans.txt", std::ios::app) << "103-1240-0007 NO AUDIO HERE\n";
  auto l = dataset("librispeech")->list(dir, {});
  CHECK(l.utterances.size() == 3);
  CHECK(has_problem(l.problems, "bad time 'oops'"));
  CHECK(has_problem(l.problems, "no audio file for 103-1240-0007"));
}

TEST_CASE("vctk 0.80: speakers, transcripts, p315 without text") {
  auto l = dataset("vctk")->list(root(), {});
  std::map<std::string, std::set<std::string>> got;
  for (const auto& u : l.utterances) got[u.speaker].insert(rel(u.audio));
  std::map<std::string, std::set<std::string>> want;
  for (const auto& [spk, files] : toolbox("VCTK-Corpus/wav48")) want[spk] = files;
  CHECK(got == want);
  check_durations(l);
  const Utterance* u = find(l, "p225_001");
  REQUIRE(u);
  std::ifstream t(root() + "/VCTK-Corpus/txt/p225/p225_001.txt");
  std::string line;
  std::getline(t, line);
  CHECK(u->text == line.substr(0, line.find_last_not_of(" \r\n") + 1));
  CHECK(find(l, "p315_001")->text.empty());
  ValidationRules rules;
  rules.text_required = true;
  auto ps = validate_listing(l, rules);
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].message == "p315_001 has no transcript");
}

TEST_CASE("vctk 0.92: flac _mic1/_mic2 layout, one microphone chosen") {
  std::string dir = vctest::scratch_dir("vctk092");
  std::string src = root() + "/LibriSpeech/train-clean-100/103/1240/103-1240-0000.flac";  // any FLAC
  fs::create_directories(dir + "/VCTK-Corpus-0.92/wav48_silence_trimmed/p225");
  fs::create_directories(dir + "/VCTK-Corpus-0.92/txt/p225");
  for (const char* m : {"mic1", "mic2"})
    for (const char* n : {"001", "002"})
      fs::copy_file(src, dir + "/VCTK-Corpus-0.92/wav48_silence_trimmed/p225/p225_" + n + "_" + m + ".flac");
  std::ofstream(dir + "/VCTK-Corpus-0.92/txt/p225/p225_001.txt") << "Please call Stella.\n";
  auto l = dataset("vctk")->list(dir, {});
  REQUIRE(l.utterances.size() == 2);
  CHECK(l.utterances[0].id == "p225_001");
  CHECK(l.utterances[0].audio.find("_mic1.flac") != std::string::npos);
  CHECK(l.utterances[0].text == "Please call Stella.");
  CHECK(l.utterances[1].text.empty());
  auto both = dataset("vctk", {{"mic", "both"}})->list(dir, {});
  CHECK(both.utterances.size() == 4);
  CHECK(find(both, "p225_002_mic2"));
  CHECK_THROWS_AS(dataset("vctk", {{"mic", "mic3"}})->list(dir, {}), UserError);
}

TEST_CASE("ljspeech: metadata ids, normalized text, 22.05 kHz durations") {
  auto l = dataset("ljspeech")->list(root(), {});
  CHECK(l.problems.empty());
  std::set<std::string> got;
  for (const auto& u : l.utterances) got.insert(rel(u.audio));
  CHECK(got == toolbox("LJSpeech-1.1")["wavs"]);
  check_durations(l);
  const Utterance* u = find(l, "LJ001-0002");
  REQUIRE(u);
  CHECK(u->text == "Mister Smith paid five dollars for it.");
  CHECK(u->sample_rate == 22050);
  auto raw = dataset("ljspeech", {{"text_column", "raw"}})->list(root(), {});
  CHECK(find(raw, "LJ001-0002")->text == "Mr. Smith paid $5 for it.");
}

TEST_CASE("timit: NIST SPHERE audio, .TXT text, .WRD word times") {
  auto l = dataset("timit")->list(root(), {});
  CHECK(l.problems.empty());
  REQUIRE(l.utterances.size() == 6);
  check_durations(l);
  const Utterance* u = find(l, "FCJF0_SA1");
  REQUIRE(u);
  CHECK(u->subset == "TRAIN");
  CHECK(u->sample_rate == 16000);
  CHECK(u->text == "She had your dark suit in greasy wash water all year.");
  std::vector<std::string> words;
  for (const auto& w : u->alignment)
    if (!w.word.empty()) words.push_back(w.word);
  CHECK(words.size() == 11);
  CHECK(words.front() == "she");
  CHECK(u->alignment.front().word.empty());        // leading silence 0 .. 1920
  CHECK(u->alignment[1].start == Approx(1920.0 / 16000));
  CHECK(validate_listing(l, {true}).empty());
  auto test_only = dataset("timit")->list(root(), {"test"});
  REQUIRE(test_only.utterances.size() == 1);
  CHECK(test_only.utterances[0].id == "FAKS0_SA2");
}

TEST_CASE("librispeech-mini (real speech): 251 speakers without transcripts") {
  std::string mini = vctest::shared_data_or_skip("librispeech-mini");
  auto l = dataset("librispeech")->list(mini, {});
  CHECK(l.problems.empty());
  std::set<std::string> speakers;
  for (const auto& u : l.utterances) speakers.insert(u.speaker);
  CHECK(speakers.size() == 251);
  CHECK(l.utterances.size() == 251);
  DatasetSummary s = summarize(l, validate_listing(l));
  CHECK(s.problems.empty());
  CHECK(s.with_text == 0);
  CHECK(s.seconds / 60 == Approx(52).margin(3));  // "about 52 minutes" (shared/data/README.md)
}

TEST_CASE("ljspeech-mini (real speech): 32 utterances, all with text") {
  std::string mini = vctest::shared_data_or_skip("ljspeech-mini");
  auto l = dataset("ljspeech")->list(mini, {});
  CHECK(l.problems.empty());
  CHECK(l.utterances.size() == 32);
  DatasetSummary s = summarize(l, validate_listing(l, {true}));
  CHECK(s.problems.empty());
  CHECK(s.with_text == 32);
  CHECK(s.seconds / 60 == Approx(3.5).margin(0.5));  // "about 3.5 minutes"
}
