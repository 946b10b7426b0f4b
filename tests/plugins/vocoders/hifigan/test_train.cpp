// HiFi-GAN training: a few steps on tiny synthetic audio, MockingBird's g_/do_ checkpoint files, resume.
#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fixtures.h"
#include "hifigan_model.h"
#include "hifigan_train.h"
#include "voxclone/audio.h"
#include "voxclone/checkpoint.h"
#include "voxclone/error.h"

using namespace voxclone;
using namespace voxclone::hifigan;
namespace fs = std::filesystem;

namespace {

// Three short clips of two tones and noise: enough for batches, small enough for seconds per step.
std::string make_corpus(const std::string& dir) {
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0.f, 0.02f);
  for (int k = 0; k < 3; ++k) {
    Waveform w;
    w.sample_rate = 16000;
    for (int i = 0; i < 8000; ++i)
      w.samples.push_back(0.3f * std::sin(2 * M_PI * (220.0 + 110 * k) * i / 16000.0) + noise(rng));
    write_wav(dir + "/clip" + std::to_string(k) + ".wav", w);
  }
  return dir;
}

Hparams tiny() {
  Hparams h;
  h.upsample_initial_channel = 16;
  h.batch_size = 2;
  h.segment_size = 1600;
  return h;
}

}  // namespace

TEST_CASE("Audio folders and SV2TTS folders load, a folder with neither is refused") {
  std::string dir = make_corpus(vctest::scratch_dir("hifigan_corpus"));
  auto utts = load_utterances({dir}, tiny());
  REQUIRE(utts.size() == 3);
  CHECK(utts[0].mel.size(0) == 80);
  CHECK(utts[0].mel.size(1) == 8000 / 200 + 1);
  std::string empty = vctest::scratch_dir("hifigan_empty");
  CHECK_THROWS_WITH(load_utterances({empty}, tiny()), Catch::Contains("neither mels/ + audio/"));
  std::string sv2tts = vctest::fixture_or_skip("rtvc/synthesizer/sv2tts/SV2TTS/synthesizer");
  auto s = load_utterances({sv2tts}, tiny());
  REQUIRE_FALSE(s.empty());
  CHECK(s[0].mel.size(0) == 80);
  CHECK(std::abs(s[0].audio.size(0) / 200 - s[0].mel.size(1)) <= 1);
}

TEST_CASE("Training writes MockingBird's g_/do_ files and resumes from them") {
  std::string data = make_corpus(vctest::scratch_dir("hifigan_train_data"));
  std::string run = vctest::scratch_dir("hifigan_train_run");
  TrainOptions o;
  o.run_dir = run;
  o.max_steps = 2;
  o.save_every = 2;
  o.eval_every = 2;
  o.log_every = 1;
  TrainResult r = train_hifigan(tiny(), o, {data}, {});
  CHECK(r.start_step == 0);
  CHECK(r.end_step == 2);
  REQUIRE(r.losses.size() == 2);
  for (auto& [step, loss] : r.losses) CHECK(std::isfinite(loss));

  ckpt::Value g = ckpt::load(run + "/g_00000002.pt");
  ckpt::Value d = ckpt::load(run + "/do_00000002");
  Generator gen(tiny());
  ckpt::load_into_module(*gen, g.at("generator"));  // strict: every name and shape
  MultiPeriodDiscriminator mpd;
  MultiScaleDiscriminator msd;
  ckpt::load_into_module(*mpd, d.at("mpd"));
  ckpt::load_into_module(*msd, d.at("msd"));
  CHECK(d.at("steps").as_int() == 2);
  CHECK(d.at("epoch").as_int() == 1);  // one batch of 2 per epoch (2 training clips, 1 held out)
  const ckpt::Value& groups = d.at("optim_g").at("param_groups");
  REQUIRE(groups.elements().size() == 1);
  CHECK(groups.elements()[0].at("betas").elements()[0].as_float() == Approx(0.8));
  CHECK(groups.elements()[0].at("lr").as_float() == Approx(2e-4 * 0.999));  // ExponentialLR after one epoch
  CHECK(d.at("optim_d").at("state").items().size() == mpd->parameters().size() + msd->parameters().size());
  CHECK(hparams_from_json_file(run + "/config.json").upsample_initial_channel == 16);
  CHECK(fs::exists(run + "/train_log.csv"));
  bool sample = false;
  for (const auto& e : fs::directory_iterator(run + "/samples"))
    sample = sample || e.path().extension() == ".wav";
  CHECK(sample);

  o.max_steps = 3;
  o.save_every = 0;
  o.eval_every = 0;
  TrainResult again = train_hifigan(tiny(), o, {data}, {});
  CHECK(again.start_step == 2);
  CHECK(again.end_step == 3);
  CHECK(fs::exists(run + "/g_00000003.pt"));
  // The resumed generator continued from step 2's weights: one update away, not a fresh init.
  ckpt::Value g3 = ckpt::load(run + "/g_00000003.pt");
  auto a = ckpt::flatten_state_dict(g.at("generator")), b = ckpt::flatten_state_dict(g3.at("generator"));
  double moved = 0.0;
  for (size_t i = 0; i < a.size(); ++i)
    moved = std::max(moved, vctest::max_abs_diff(a[i].second, b[i].second));
  CHECK(moved > 0.0);
  CHECK(moved < 0.01);  // AdamW steps of lr 2e-4
}
