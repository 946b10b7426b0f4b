// VoxCeleb1/2 readers on the layout fixtures: nationality filter, missing speakers, m4a via FFmpeg.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "fixtures.h"
#include "voxclone/audio.h"
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

std::string root() { return fs::path(vctest::fixture_or_skip("datasets/VoxCeleb1")).parent_path().string(); }

// Speakers RTVC's preprocess function produced ("VoxCeleb1_wav_id10001" → "id10001").
std::set<std::string> rtvc_speakers(const std::string& fn, const std::string& prefix) {
  const nlohmann::json all = expected();
  std::set<std::string> out;
  for (const auto& [name, v] : all["encoder_preprocess_rtvc"][fn].items()) out.insert(name.substr(prefix.size()));
  return out;
}

// The toolbox browser's files for one dataset folder, relative to the datasets root.
std::set<std::string> toolbox_files(const std::string& key, const std::set<std::string>& speakers) {
  const nlohmann::json all = expected();
  std::set<std::string> out;
  for (const auto& [spk, files] : all["toolbox_browser"]["rtvc"]["present"][key].items())
    if (speakers.count(spk))
      for (const auto& f : files) out.insert(key + "/" + spk + "/" + f.get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("voxceleb1: anglophone speakers kept, id10003 filtered, id10004 reported missing") {
  auto l = dataset("voxceleb1")->list(root(), {});
  std::set<std::string> speakers, files;
  for (const auto& u : l.utterances) {
    speakers.insert(u.speaker);
    files.insert(fs::relative(u.audio, root()).generic_string());
    CHECK(u.language == "en");
    CHECK(u.text.empty());
  }
  CHECK(speakers == rtvc_speakers("preprocess_voxceleb1", "VoxCeleb1_wav_"));
  CHECK(speakers.count("id10003") == 0);
  CHECK(files == toolbox_files("VoxCeleb1/wav", speakers));
  CHECK(l.utterances.size() == 5);
  REQUIRE(l.problems.size() == 1);
  CHECK(l.problems[0].message.find("id10004") != std::string::npos);
  CHECK(l.problems[0].line == 5);  // its row in vox1_meta.csv
  const nlohmann::json durations = expected()["durations_s"];
  for (const auto& u : l.utterances)
    CHECK(u.seconds == Approx(durations[fs::relative(u.audio, root()).generic_string()].get<double>()).margin(1e-3));
  // An empty filter keeps every listed speaker, id10003 included.
  auto all = dataset("voxceleb1", {{"nationalities", ConfigValue::Array{}}})->list(root(), {});
  CHECK(all.utterances.size() == 6);
}

TEST_CASE("voxceleb2: every speaker, m4a durations from the MP4 header and the decoder") {
  auto l = dataset("voxceleb2")->list(root(), {});
  CHECK(l.problems.empty());
  std::set<std::string> speakers, files;
  for (const auto& u : l.utterances) {
    speakers.insert(u.speaker);
    files.insert(fs::relative(u.audio, root()).generic_string());
    CHECK(u.subset == "dev");
    CHECK(u.sample_rate == 16000);
  }
  CHECK(speakers == rtvc_speakers("preprocess_voxceleb2", "VoxCeleb2_dev_aac_"));
  CHECK(files == toolbox_files("VoxCeleb2/dev/aac", speakers));
  REQUIRE(l.utterances.size() == 4);
  const nlohmann::json durations = expected()["durations_s"];
  for (const auto& u : l.utterances) {
    double want = durations[fs::relative(u.audio, root()).generic_string()].get<double>();
    INFO(u.audio);
    // AAC is lossy and frames are 1024 samples: header and decoded lengths within 2 ms of ffprobe's.
    CHECK(u.seconds == Approx(want).margin(0.002));
    Waveform w = read_audio(u.audio);
    CHECK(w.sample_rate == 16000);
    CHECK(w.seconds() == Approx(want).margin(0.002));
    float peak = 0;
    for (float x : w.samples) peak = std::max(peak, std::abs(x));
    CHECK(peak > 0.01f);  // real decoded speech, not silence
    CHECK(peak <= 1.5f);
  }
  CHECK(dataset("voxceleb2")->list(root(), {"test"}).problems.size() == 1);
}
