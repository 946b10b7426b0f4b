// vocoder:hifigan through the plugin loader and the `voxclone vocode` command: MockingBird checkpoints with
// their JSON config (beside the checkpoint, --config FILE.json, config_json), inference.py parity, and the
// mel-settings check that refuses mismatched pairings.
#include <sys/wait.h>
#include <torch/torch.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>

#include "fixtures.h"
#include "voxclone/error.h"
#include "voxclone/npy.h"
#include "voxclone/runtime.h"

using namespace voxclone;
namespace fs = std::filesystem;

namespace {

const std::string kDir = "mockingbird/hifigan/";

Runtime& runtime() {
  Runtime& rt = Runtime::instance();
  rt.load_plugins({vctest::plugin_dir()});
  return rt;
}

struct Result {
  int code;
  std::string err;
};

Result run(const std::string& args, const std::string& scratch) {
  std::string err_file = scratch + "/stderr.txt";
  std::string cmd = vctest::voxclone_binary() + " --plugin-dir " + vctest::plugin_dir() + " " + args + " 2>" +
                    err_file + " >/dev/null";
  int status = std::system(cmd.c_str());
  std::FILE* f = std::fopen(err_file.c_str(), "r");
  std::string err;
  if (f) {
    std::array<char, 4096> buf;
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) err.append(buf.data(), n);
    std::fclose(f);
  }
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, err};
}

at::Tensor infer_reference() {
  return vctest::load_pt_dict(vctest::fixture_or_skip(kDir + "generator_io.pt"))
      .at("audio_infer_waveform_item0");
}

Mel item0_mel() {
  Mel m;
  m.data = vctest::load_pt_dict(vctest::fixture_or_skip(kDir + "generator_io.pt")).at("mel_input")[0].clone();
  return m;
}

}  // namespace

TEST_CASE("vocoder:hifigan loads g_00000000.pt with config_json and matches inference.py") {
  auto& rt = runtime();
  REQUIRE(rt.registry().has(Kind::Vocoder, "hifigan"));
  std::string ckpt = vctest::fixture_or_skip(kDir + "g_00000000.pt");
  auto voc = rt.create<Vocoder>("hifigan", ckpt,
                                {{"config_json", vctest::fixture_or_skip(kDir + "config_small.json")}});
  CHECK(voc->sample_rate() == 16000);
  Waveform w = voc->vocode(item0_mel(), {});
  at::Tensor ref = infer_reference();
  REQUIRE(int64_t(w.samples.size()) == ref.numel());
  at::Tensor ours = at::from_blob(w.samples.data(), {int64_t(w.samples.size())}, at::kFloat);
  CHECK(vctest::max_abs_diff(ours, ref) <= 1e-5);
  // It expects the synthesizer's mel: RTVC/MockingBird settings at its rate and hop.
  MelSettings e = voc->expected_mel();
  CHECK(e.sample_rate == 16000);
  CHECK(e.hop_size == 200);
  CHECK(e.num_mels == 80);
  CHECK(e.symmetric_mels);
  CHECK(e.max_abs_value == 4.0);
}

TEST_CASE("A checkpoint without a config is refused with one clear line, a sibling config*.json is found") {
  auto& rt = runtime();
  std::string dir = vctest::scratch_dir("hifigan_sibling");
  fs::copy_file(vctest::fixture_or_skip(kDir + "g_00000000.pt"), dir + "/g_00000000.pt");
  CHECK_THROWS_WITH(
      rt.create<Vocoder>("hifigan", dir + "/g_00000000.pt"),
      Catch::Contains("no MockingBird config for checkpoint") && Catch::Contains("g_00000000.pt"));
  fs::copy_file(vctest::fixture_or_skip(kDir + "config_small.json"), dir + "/config_small.json");
  auto voc = rt.create<Vocoder>("hifigan", dir + "/g_00000000.pt");
  Waveform w = voc->vocode(item0_mel(), {});
  CHECK(vctest::max_abs_diff(at::from_blob(w.samples.data(), {int64_t(w.samples.size())}, at::kFloat),
                             infer_reference()) <= 1e-5);
  // The wrong config: a channel mismatch names the checkpoint and the config's layout.
  CHECK_THROWS_WITH(
      rt.create<Vocoder>("hifigan", dir + "/g_00000000.pt",
                         {{"config_json", vctest::fixture_or_skip(kDir + "config_16k_shipped.json")}}),
      Catch::Contains("does not fit the HiFi-GAN config") && Catch::Contains("upsample_initial_channel 512"));
}

TEST_CASE("Plain and weight-norm-removed state dicts load too") {
  auto& rt = runtime();
  std::string cfg = vctest::fixture_or_skip(kDir + "config_small.json");
  for (const char* f : {"generator_state_plain.pt", "generator_removed_weight_norm_state.pt"}) {
    INFO(f);
    auto voc = rt.create<Vocoder>("hifigan", vctest::fixture_or_skip(kDir + f), {{"config_json", cfg}});
    Waveform w = voc->vocode(item0_mel(), {});
    CHECK(vctest::max_abs_diff(at::from_blob(w.samples.data(), {int64_t(w.samples.size())}, at::kFloat),
                               infer_reference()) <= 1e-5);
  }
}

TEST_CASE("check_mel_compatible names both sides and every differing field") {
  MelSettings a, b;
  CHECK_NOTHROW(check_mel_compatible(a, b, "synthesizer:tacotron", "vocoder:hifigan"));
  b.power = 2.0;  // Griffin-Lim's own knob: not a mel property
  CHECK_NOTHROW(check_mel_compatible(a, b, "x", "y"));
  b.hop_size = 256;
  b.sample_rate = 22050;
  CHECK_THROWS_WITH(check_mel_compatible(a, b, "synthesizer:tacotron", "vocoder:hifigan"),
                    Catch::Contains("synthesizer:tacotron") && Catch::Contains("vocoder:hifigan") &&
                        Catch::Contains("sample_rate 16000 vs 22050") &&
                        Catch::Contains("hop_size 200 vs 256"));
  MelSettings c;
  c.symmetric_mels = false;
  CHECK_THROWS_WITH(check_mel_compatible(c, MelSettings{}, "p", "q"),
                    Catch::Contains("symmetric_mels false vs true"));
}

TEST_CASE("voxclone vocode: hifigan with --config FILE.json, a missing config, and the mel-settings check") {
  std::string dir = vctest::scratch_dir("hifigan_cli");
  std::string ckpt = dir + "/g_00000000.pt";
  fs::copy_file(vctest::fixture_or_skip(kDir + "g_00000000.pt"), ckpt);
  write_npy(dir + "/mel.npy", item0_mel().data);
  std::string cfg = vctest::fixture_or_skip(kDir + "config_small.json");

  Result r =
      run("vocode --vocoder hifigan:" + ckpt + " --mel " + dir + "/mel.npy --out " + dir + "/a.npy", dir);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("no MockingBird config for checkpoint"));

  r = run("--config " + cfg + " vocode --vocoder hifigan:" + ckpt + " --mel " + dir + "/mel.npy --out " +
              dir + "/a.npy",
          dir);
  REQUIRE(r.code == 0);
  CHECK(vctest::max_abs_diff(read_npy(dir + "/a.npy"), infer_reference()) <= 1e-5);

  // A mel made by `voxclone mel` carries its settings (MEL.npy.config.toml): accepted by a vocoder expecting
  // them, refused by one configured for another hop.
  std::string wav = vctest::fixture_or_skip("rtvc/encoder/input.wav");
  REQUIRE(run("mel --type synthesizer --out " + dir + "/s.npy " + wav, dir).code == 0);
  r = run(
      "vocode --vocoder griffinlim --set griffinlim.n_iter=2 --mel " + dir + "/s.npy --out " + dir + "/g.npy",
      dir);
  CHECK(r.code == 0);
  r = run("vocode --vocoder griffinlim --set griffinlim.hop_size=256 --mel " + dir + "/s.npy --out " + dir +
              "/g2.npy",
          dir);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("mel mismatch") && Catch::Contains("hop_size 200 vs 256"));
  CHECK_FALSE(fs::exists(dir + "/g2.npy"));
}

TEST_CASE(
    "Recipes: vocode refuses a mel made for another vocoder, stage vocoder_train_hifigan runs and checks "
    "options") {
  std::string dir = vctest::scratch_dir("hifigan_lua");
  std::string wav = vctest::fixture_or_skip("rtvc/encoder/input.wav");
  auto recipe = [&](const std::string& name, const std::string& body) {
    std::string path = dir + "/" + name;
    std::FILE* f = std::fopen(path.c_str(), "w");
    std::fputs(("local vc = require \"voxclone\"\nlocal args = vc.args {}\n" + body).c_str(), f);
    std::fclose(f);
    return path;
  };
  std::string mel = "local mel = vc.mel(vc.load_audio(\"" + wav + "\", 16000))\n";
  Result r =
      run("run " + recipe("ok.lua", mel + "vc.vocoder(\"griffinlim\", {n_iter = 1}):vocode(mel)\n"), dir);
  CHECK(r.code == 0);
  r = run("run " + recipe("bad.lua", mel + "vc.vocoder(\"griffinlim\", {hop_size = 256}):vocode(mel)\n"),
          dir);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("mel mismatch") && Catch::Contains("vocoder griffinlim") &&
                        Catch::Contains("hop_size 200 vs 256"));
  r = run(
      "run " + recipe("typo.lua", "vc.stage(\"vocoder_train_hifigan\", {data = {\"" + dir +
                                      "\"}, run_dir = \"" + dir + "/run\", max_steps = 1, save_evry = 3})\n"),
      dir);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("save_evry"));

  // One real step through the stage: audio folder in, MockingBird files out, figures back to the recipe.
  std::string data = dir + "/data";
  fs::create_directories(data);
  for (int k = 0; k < 3; ++k) fs::copy_file(wav, data + "/clip" + std::to_string(k) + ".wav");
  r = run("run " + recipe("train.lua",
                          "local r = vc.stage(\"vocoder_train_hifigan\", {data = {\"" + data +
                              "\"}, run_dir = \"" + dir +
                              "/run\", max_steps = 1, eval_every = 0, model_overrides = "
                              "{\"upsample_initial_channel=16\", \"segment_size=1600\", \"batch_size=2\"}})\n"
                              "assert(r.end_step == 1 and r.start_step == 0 and r.last_loss > 0)\n"),
          dir);
  CHECK(r.code == 0);
  INFO(r.err);
  CHECK(fs::exists(dir + "/run/g_00000001.pt"));
  CHECK(fs::exists(dir + "/run/do_00000001"));
  CHECK(fs::exists(dir + "/run/checkpoint.pt"));
}
