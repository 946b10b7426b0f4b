// The voxclone module's bindings to core: tensors and .npy, audio objects, and plugin objects created by
// name through the Runtime (with a vocoder registered by this test).
#include <ATen/ATen.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <iterator>
#include <memory>

#include "fixtures.h"
#include "recipe_runner.h"
#include "voxclone/audio.h"
#include "voxclone/npy.h"
#include "voxclone/runtime.h"

using vctest::run_recipe_captured;
using vctest::test_recipe;

namespace {
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("tensors: queries, tolist and .npy round trips", "[lua][tensor]") {
  std::string dir = vctest::scratch_dir("lua-tensor");
  voxclone::write_npy(dir + "/from_cpp.npy", at::arange(4, at::kDouble) * 0.25);
  std::ofstream(dir + "/not_npy.npy") << "this is not numpy";
  std::string path = test_recipe("tensor.lua");
  auto r = run_recipe_captured(path, {"dir=" + dir});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out ==
        "tensor(float32, [2, 3])\t2\t2\t3\t6\tfloat32\t2\n"
        "shape\t2x3\n"
        "tensor(float32, [2, 3])\t6.5\tfloat\n"
        "int64\t7,8,-9\tinteger\n"
        "tensor(float64, [4])\t0.0,0.25,0.5,0.75\n");
  // What Lua wrote is what NumPy would read: checked with the C++ reader, independently of Lua.
  at::Tensor t = voxclone::read_npy(dir + "/t.npy");
  REQUIRE(t.scalar_type() == at::kFloat);
  REQUIRE(t.sizes() == at::IntArrayRef({2, 3}));
  CHECK(t[1][2].item<float>() == 6.5f);
  at::Tensor i = voxclone::read_npy(dir + "/i.npy");
  REQUIRE(i.scalar_type() == at::kLong);
  CHECK(i[2].item<int64_t>() == -9);

  auto bad_dim = run_recipe_captured(path, {"dir=" + dir, "mode=bad_dim"});
  CHECK(bad_dim.code == 1);
  CHECK(contains(bad_dim.err, "dimension 3 out of range for a 2-D tensor"));
  auto bad_file = run_recipe_captured(path, {"dir=" + dir, "mode=bad_file"});
  CHECK(bad_file.code == 2);
  CHECK(contains(bad_file.err, path + ":20: "));
  CHECK(contains(bad_file.err, "not_npy.npy"));
  CHECK(!contains(bad_file.err, "traceback"));
  auto bad_field = run_recipe_captured(path, {"dir=" + dir, "mode=bad_field"});
  CHECK(bad_field.code == 1);
  CHECK(contains(bad_field.err, "voxclone.tensor has no field or method 'rows'"));
  auto set_field = run_recipe_captured(path, {"dir=" + dir, "mode=set_field"});
  CHECK(set_field.code == 1);
  CHECK(contains(set_field.err, path + ":25: cannot set field 'rows' of voxclone.tensor"));
}

TEST_CASE("audio: samples, WAV save/load with metadata, resampling", "[lua][audio]") {
  std::string dir = vctest::scratch_dir("lua-audio");
  voxclone::Waveform tone;
  tone.sample_rate = 16000;
  for (int n = 0; n < 16000; ++n) tone.samples.push_back(0.3f * std::sin(2 * M_PI * 440.0 * n / 16000.0));
  voxclone::write_wav(dir + "/tone.wav", tone, voxclone::SampleFormat::Float32);
  std::string path = test_recipe("audio.lua");
  auto r = run_recipe_captured(path, {"dir=" + dir});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out ==
        "audio(16000 Hz, 4 samples, 0.00025 s)\t16000\t4\t4\t0.00025\n"
        "back\t16000\t0.0,0.5,-0.5,0.25\n"
        "pcm16\t0.0,0.5,-0.5,0.25\n"
        "resampled\t8000\t8000\t8000\n");
  auto info = voxclone::audio_info(dir + "/clip_float.wav");
  CHECK(info.subtype == "FLOAT");
  CHECK(info.metadata["title"] == "lua test");
  CHECK(voxclone::audio_info(dir + "/clip_pcm16.wav").subtype == "PCM_16");

  auto bad_option = run_recipe_captured(path, {"dir=" + dir, "mode=bad_option"});
  CHECK(bad_option.code == 2);
  CHECK(bad_option.err == path + ":17: audio:save: unknown option 'fromat' (known: format, metadata)\n");
  auto bad_format = run_recipe_captured(path, {"dir=" + dir, "mode=bad_format"});
  CHECK(bad_format.code == 2);
  CHECK(bad_format.err == path + ":19: audio:save: format 'mp3' is not one of pcm16, float\n");
  auto missing = run_recipe_captured(path, {"dir=" + dir, "mode=missing"});
  CHECK(missing.code == 2);
  CHECK(contains(missing.err, path + ":21: "));
  CHECK(contains(missing.err, "missing.wav"));
}

namespace {

// A vocoder registered by this test: `hop` samples of value `gain` per mel frame; the seed is recorded in
// the last sample so the test sees that the option reached the plugin.
class TestVocoder : public voxclone::Vocoder {
 public:
  explicit TestVocoder(const voxclone::Config& c) : hop_(c.get_int("hop")), gain_(c.get_double("gain")) {}
  int sample_rate() const override { return 16000; }
  voxclone::Waveform vocode(const voxclone::Mel& mel, const voxclone::VocodeOptions& o) override {
    voxclone::Waveform w;
    w.sample_rate = 16000;
    w.samples.assign(size_t(mel.frames() * hop_), float(gain_));
    if (!w.samples.empty()) w.samples.back() = float(o.seed);
    return w;
  }

 private:
  int64_t hop_;
  double gain_;
};

std::unique_ptr<voxclone::Vocoder> make_test_vocoder(const voxclone::CreateArgs& a) {
  return std::make_unique<TestVocoder>(a.config);
}

void register_test_vocoder() {
  auto& reg = voxclone::Runtime::instance().registry();
  if (reg.has(voxclone::Kind::Vocoder, "lua_test_vocoder")) return;
  reg.begin_plugin("lua-test", "0.0.1", "test_lua_bindings.cpp",
                   "[lua_test_vocoder]\nhop = 200\ngain = 0.5\n");
  reg.add<voxclone::Vocoder>("lua_test_vocoder", &make_test_vocoder, "test vocoder");
  reg.end_plugin();
}

// A stage registered by this test: counts its runs, so a test sees whether vc.stage_config ran it.
int g_test_stage_runs = 0;

class TestStage : public voxclone::Stage {
 public:
  voxclone::Config run() override {
    voxclone::Config result("lua_test_stage");
    result.define("runs", int64_t(++g_test_stage_runs));
    return result;
  }
};

void register_test_stage() {
  auto& reg = voxclone::Runtime::instance().registry();
  if (reg.has(voxclone::Kind::Stage, "lua_test_stage")) return;
  reg.begin_plugin("lua-test-stage", "0.0.1", "test_lua_bindings.cpp",
                   "[lua_test_stage]\nsteps = 1\nrate = 0.5\nnames = []\n");
  reg.add<voxclone::Stage>(
      "lua_test_stage",
      [](const voxclone::CreateArgs&) -> std::unique_ptr<voxclone::Stage> {
        return std::make_unique<TestStage>();
      },
      "test stage");
  reg.end_plugin();
}

}  // namespace

TEST_CASE("vc.stage_config: a stage's effective configuration without running it and bad options exit 2",
          "[lua][plugin]") {
  register_test_stage();
  std::string path = test_recipe("stage_config.lua");
  g_test_stage_runs = 0;
  auto r = run_recipe_captured(path);
  INFO(r.err);
  REQUIRE(r.code == 0);
  // The checkpoint is not part of the configuration; only vc.stage ran the stage.
  CHECK(r.out == "5\t0.5\t2\tb\tnil\tnil\n1\n");
  CHECK(g_test_stage_runs == 1);
  struct Case {
    std::string mode, line, part;
  };
  for (const Case& c : {Case{"bad_key", ":10: ", "unknown configuration key 'stepz'"},
                        Case{"bad_type", ":12: ", "'steps' of [lua_test_stage] expects integer, got string"},
                        Case{"bad_name", ":14: ", "no_such_stage"}}) {
    INFO(c.mode);
    r = run_recipe_captured(path, {"mode=" + c.mode});
    INFO(r.err);
    CHECK(r.code == 2);
    CHECK(r.err.rfind(path + c.line, 0) == 0);
    CHECK(contains(r.err, c.part));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  CHECK(g_test_stage_runs == 1);
}

TEST_CASE("plugins: created by name with option tables, methods, listing, effective config",
          "[lua][plugin]") {
  register_test_vocoder();
  std::string dir = vctest::scratch_dir("lua-plugin");
  std::string path = test_recipe("plugin.lua");
  auto r = run_recipe_captured(path, {"dir=" + dir});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out ==
        "vocoder(lua_test_vocoder)\tlua_test_vocoder\tvocoder\t16000\n"
        "vocoded\t300\t16000\t0.25\t7.0\n"
        "listed\tvocoder\tlua_test_vocoder\tlua-test\t0.0.1\ttest_lua_bindings.cpp\n"
        "config\t" +
            dir +
            "/effective.toml\n"
            "device\tcpu\n");
  std::ifstream in(dir + "/effective.toml");
  std::string toml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(contains(toml, "[lua_test_vocoder]"));
  CHECK(contains(toml, "hop = 100"));
  CHECK(contains(toml, "gain = 0.25"));
}

TEST_CASE("plugins: unknown option keys, bad values and unknown names exit 2 with one line",
          "[lua][plugin]") {
  register_test_vocoder();
  std::string dir = vctest::scratch_dir("lua-plugin-errors");
  std::string path = test_recipe("plugin.lua");
  struct Case {
    std::string mode, line, part;
  };
  std::vector<Case> cases = {
      {"bad_key", ":15: ", "hpo"},
      {"bad_type", ":17: ", "option 'hop': a function cannot be a configuration value"},
      {"bad_name", ":19: ", "no vocoder plugin named 'no_such_vocoder'"},
      {"bad_vocode_option", ":21: ", "vocode: unknown option 'sed' (known: seed)"},
      {"bad_mel", ":23: ", "vocode: expected a mel of shape [num_mels, frames], got a 1-D tensor"},
  };
  for (const auto& c : cases) {
    INFO(c.mode);
    auto r = run_recipe_captured(path, {"dir=" + dir, "mode=" + c.mode});
    INFO(r.err);
    CHECK(r.code == 2);
    CHECK(r.err.rfind(path + c.line, 0) == 0);
    CHECK(contains(r.err, c.part));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
}
