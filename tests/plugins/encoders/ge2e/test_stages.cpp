// GE2E stages and CLI end to end: encoder_preprocess on the dataset layout fixtures vs RTVC's reader
// outputs, skip_existing, a short training run whose loss falls, `voxclone embed`.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "fixtures.h"
#include "voxclone/checkpoint.h"
#include "voxclone/npy.h"

namespace fs = std::filesystem;

namespace {

std::string source_dir() { return VOXCLONE_SOURCE_DIR; }

int run_voxclone(const std::string& args, std::string* out = nullptr) {
  std::string text;
  int code = vctest::run_command(vctest::voxclone_binary() + " " + args, &text);
  if (out != nullptr) *out = text;
  if (code != 0) UNSCOPED_INFO(text);
  return code;
}

std::vector<std::pair<std::string, std::string>> read_sources(const fs::path& p) {
  std::vector<std::pair<std::string, std::string>> rows;
  std::ifstream in(p);
  std::string line;
  while (std::getline(in, line))
    rows.emplace_back(line.substr(0, line.find(',')), line.substr(line.find(',') + 1));
  std::sort(rows.begin(), rows.end());
  return rows;
}

// Preprocesses the layout fixtures once per test run; returns the SV2TTS/encoder folder.
std::string preprocessed_fixtures(const std::string& datasets_root) {
  static std::string out;
  if (out.empty()) {
    out = vctest::scratch_dir("ge2e_preprocess") + "/SV2TTS/encoder";
    std::string log;
    int code = run_voxclone(
        "run " + source_dir() + "/recipes/encoder_preprocess.lua datasets_root=" + datasets_root +
            " out_dir=" + out + " datasets=librispeech_other,voxceleb1,voxceleb2 no_trim=true",
        &log);
    INFO(log);
    REQUIRE(code == 0);
  }
  return out;
}

}  // namespace

TEST_CASE("encoder_preprocess writes RTVC's SV2TTS/encoder layout for the reference readers",
          "[ge2e][preprocess]") {
  std::string expected_path = vctest::fixture_or_skip("datasets/expected_reader_outputs.json");
  std::string root = fs::path(expected_path).parent_path().string();
  std::ifstream in(expected_path);
  auto expected = nlohmann::json::parse(in).at("encoder_preprocess_rtvc");
  std::string out = preprocessed_fixtures(root);

  std::set<std::string> want_speakers, got_speakers;
  for (const auto& [fn, speakers] : expected.items()) {
    for (const auto& [speaker, data] : speakers.items()) {
      want_speakers.insert(speaker);
      INFO(fn << " speaker " << speaker);
      auto rows = read_sources(fs::path(out) / speaker / "_sources.txt");
      REQUIRE(rows.size() == data.at("sources").size());
      std::vector<std::pair<std::string, std::string>> want;
      for (const auto& s : data.at("sources")) want.emplace_back(s[0], s[1]);
      std::sort(want.begin(), want.end());
      for (size_t i = 0; i < rows.size(); ++i) {
        CHECK(rows[i].first == want[i].first);
        CHECK(fs::path(rows[i].second).lexically_relative(root).string() == want[i].second);
        at::Tensor mel = voxclone::read_npy((fs::path(out) / speaker / rows[i].first).string());
        auto shape = data.at("npy_shapes").at(rows[i].first);
        // AAC (.m4a) decoding is decoder-dependent (priming and padding samples): RTVC's audioread/ffmpeg
        // gave a few frames more than FFmpeg's library here. Lossless sources must match exactly.
        int64_t slack =
            rows[i].second.size() > 4 && rows[i].second.substr(rows[i].second.size() - 4) == ".m4a" ? 8 : 0;
        CHECK(std::abs(mel.size(0) - int64_t(shape[0])) <= slack);
        CHECK(mel.size(1) == int64_t(shape[1]));
      }
    }
  }
  for (const auto& e : fs::directory_iterator(out))
    if (e.is_directory()) got_speakers.insert(e.path().filename().string());
  CHECK(got_speakers == want_speakers);
  // The log names the dropped utterances and why.
  std::ifstream log(fs::path(out) / "Log_librispeech_other.txt");
  std::stringstream text;
  text << log.rdbuf();
  CHECK(text.str().find("too short") != std::string::npos);
}

TEST_CASE("encoder_preprocess with skip_existing keeps what is there and writes nothing twice",
          "[ge2e][preprocess]") {
  std::string expected_path = vctest::fixture_or_skip("datasets/expected_reader_outputs.json");
  std::string root = fs::path(expected_path).parent_path().string();
  std::string out = preprocessed_fixtures(root);
  fs::path sources = fs::path(out) / "LibriSpeech_train-other-500_20" / "_sources.txt";
  auto before = read_sources(sources);
  REQUIRE(before.size() == 2);
  fs::path mel = fs::path(out) / "LibriSpeech_train-other-500_20" / before[0].first;
  auto stamp = fs::last_write_time(mel);
  REQUIRE(run_voxclone("run " + source_dir() + "/recipes/encoder_preprocess.lua datasets_root=" + root +
                       " out_dir=" + out + " datasets=librispeech_other no_trim=true skip_existing=true") ==
          0);
  CHECK(read_sources(sources) == before);
  CHECK(fs::last_write_time(mel) == stamp);
  CHECK(run_voxclone("run " + source_dir() +
                     "/recipes/encoder_preprocess.lua datasets_root=/nonexistent/x") == 2);
}

TEST_CASE("a short encoder_train run lowers the loss, checkpoints in RTVC's format and embeds",
          "[ge2e][train]") {
  std::string expected_path = vctest::fixture_or_skip("datasets/expected_reader_outputs.json");
  std::string root = fs::path(expected_path).parent_path().string();
  std::string clean = preprocessed_fixtures(root);
  std::string models = vctest::scratch_dir("ge2e_train");
  std::string log;
  // 4 usable speakers (20, id10001, id00012, id00015) × 4 crops; a larger rate (3e-4) so 40 steps show
  // learning. (1e-3 learns faster, then collapses: every embedding becomes equal and the loss sits at ln 4.)
  int code =
      run_voxclone("run " + source_dir() + "/recipes/encoder_train.lua run_id=t clean_data_root=" + clean +
                       " models_dir=" + models +
                       " speakers_per_batch=4 utterances_per_speaker=4 max_steps=40 learning_rate=0.0003"
                       " vis_every=1 umap_every=20 save_every=20 backup_every=0 threads=1",
                   &log);
  INFO(log);
  REQUIRE(code == 0);
  std::ifstream csv(models + "/t/train_log.csv");
  std::string line;
  std::vector<double> losses;
  std::getline(csv, line);
  while (std::getline(csv, line)) {
    auto a = line.find(','), b = line.find(',', a + 1);
    if (b > a + 1) losses.push_back(std::stod(line.substr(a + 1, b - a - 1)));
  }
  REQUIRE(losses.size() == 40);
  double first = 0, last = 0;
  for (int i = 0; i < 8; ++i) {
    first += losses[size_t(i)] / 8;
    last += losses[losses.size() - 1 - size_t(i)] / 8;
  }
  INFO("mean loss of the first 8 steps " << first << ", of the last 8 " << last);
  CHECK(last < first * 0.8);
  CHECK(fs::exists(models + "/t/samples/umap_000020.png"));

  // The checkpoint is RTVC's layout (step + 1) and the encoder plugin reads it.
  std::string ckpt = models + "/t/encoder.pt";
  auto saved = voxclone::ckpt::load(ckpt);
  CHECK(saved.at("step").as_int() == 41);
  CHECK(saved.at("optimizer_state").at("state").items().size() == 16);
  std::string wav = vctest::fixture_or_skip("rtvc/encoder/input.wav");
  std::string out = models + "/e.npy", mean = models + "/m.npy";
  REQUIRE(run_voxclone("embed --encoder ge2e:" + ckpt + " --out " + out + " --out-mean " + mean + " " + wav +
                       " " + wav) == 0);
  at::Tensor e = voxclone::read_npy(out), m = voxclone::read_npy(mean);
  REQUIRE(e.dim() == 2);
  CHECK(e.size(0) == 2);
  CHECK(e.size(1) == 256);
  CHECK(std::fabs(m.norm().item<double>() - 1.0) < 1e-5);
  REQUIRE(run_voxclone("embed --encoder ge2e:" + ckpt + " --out " + out + " " + wav) == 0);
  CHECK(voxclone::read_npy(out).dim() == 1);
  // No checkpoint: refused as a user error.
  CHECK(run_voxclone("embed --encoder ge2e --out " + out + " " + wav) == 2);

  // Warm-up: after 10 of 1000 ramp steps the optimizer's rate (saved in its state) is 1 % of the configured one.
  const std::string base = "run " + source_dir() + "/recipes/encoder_train.lua clean_data_root=" + clean +
                           " models_dir=" + models +
                           " speakers_per_batch=4 utterances_per_speaker=4 learning_rate=0.0003 save_every=10"
                           " backup_every=0 umap_every=0 threads=1 ";
  REQUIRE(run_voxclone(base + "run_id=w max_steps=10 warmup_steps=1000", &log) == 0);
  const auto warmed = voxclone::ckpt::load(models + "/w/encoder.pt");
  const auto& groups = warmed.at("optimizer_state").at("param_groups");
  CHECK(groups.elements().at(0).at("lr").as_float() == Approx(0.0003 * 10 / 1000).epsilon(1e-9));
  CHECK(run_voxclone(base + "run_id=x max_steps=1 warmup_steps=-1", &log) == 2);
  // Cosine decay after a 4-step ramp, reaching 0 at step 12: at step 10, 0.5 (1 + cos(0.75 pi)) of the rate.
  REQUIRE(run_voxclone(base + "run_id=d max_steps=10 warmup_steps=4 decay_steps=12", &log) == 0);
  const auto decayed = voxclone::ckpt::load(models + "/d/encoder.pt").at("optimizer_state").at("param_groups");
  CHECK(decayed.elements().at(0).at("lr").as_float() ==
        Approx(0.0003 * 0.5 * (1 + std::cos(0.75 * M_PI))).epsilon(1e-9));
  CHECK(run_voxclone(base + "run_id=x max_steps=1 warmup_steps=4 decay_steps=4", &log) == 2);
  CHECK(run_voxclone(base + "run_id=x max_steps=1 augment_freq_mask=-1", &log) == 2);
  CHECK(run_voxclone(base + "run_id=x max_steps=1 weight_decay=-0.1", &log) == 2);
  CHECK(run_voxclone(base + "run_id=x max_steps=1 dropout=1", &log) == 2);
  // log_mel_input reaches the network: the checkpoint holds its constants and `embed` restores it from them.
  REQUIRE(run_voxclone(base + "run_id=l max_steps=2 log_mel_input=true", &log) == 0);
  CHECK(voxclone::ckpt::load(models + "/l/encoder.pt").at("model_state").find("log_mel_input") != nullptr);
  CHECK(run_voxclone("embed --encoder ge2e:" + models + "/l/encoder.pt --out " + out + " " + wav) == 0);
}
