// `voxclone clone` end to end with untrained models (the pipeline, not the voice): a valid WAV with its
// settings inside, reproducible from them, cached embeddings, and bad input → exit 2 with one line.
#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "fixtures.h"
#include "voxclone/audio.h"
#include "voxclone/clone.h"
#include "voxclone/files.h"
#include "voxclone/loudness.h"

namespace fs = std::filesystem;

namespace {

struct Result {
  int code;
  std::string out;
};

// Untrained models, small so the test is quick: a seeded random encoder and synthesizer, and Griffin-Lim.
#define SMALL_MODELS                                                                                      \
  " --set ge2e.allow_random_init=true --set ge2e.model_hidden_size=64 --set tacotron.init_seed=7"        \
  " --set tacotron.tts_inference_prenet_dropout=0 --set tacotron.tts_embed_dims=64"                      \
  " --set tacotron.tts_encoder_dims=32 --set tacotron.tts_decoder_dims=32 --set tacotron.tts_lstm_dims=128" \
  " --set tacotron.tts_postnet_dims=64"
const char* kModels = " --encoder ge2e --synthesizer tacotron --vocoder griffinlim --max-steps 60" SMALL_MODELS;

Result run(const std::string& dir, const std::string& args) {
  Result r;
  r.code = vctest::run_command("cd " + dir + " && VOXCLONE_CACHE_DIR=" + dir + "/cache " +
                                   vctest::voxclone_binary() + " clone " + args,
                               &r.out);
  return r;
}

std::string voice() { return vctest::fixture_or_skip("rtvc/encoder/input.wav"); }

size_t cache_entries(const std::string& dir) {
  size_t n = 0;
  if (fs::exists(dir + "/cache/embeddings"))
    for (const auto& e : fs::recursive_directory_iterator(dir + "/cache/embeddings")) n += e.path().extension() == ".npy";
  return n;
}

// dir/voices: anna.wav (the reference fixture) and broken.wav (not audio).
void make_voices(const std::string& dir) {
  fs::create_directories(dir + "/voices");
  fs::copy_file(voice(), dir + "/voices/anna.wav", fs::copy_options::overwrite_existing);
  std::ofstream(dir + "/voices/broken.wav") << "not audio";
}

}  // namespace

TEST_CASE("clone writes a WAV with its settings, and --settings-from reproduces it", "[clone][cli]") {
  std::string dir = vctest::scratch_dir("clone_cli");
  Result r = run(dir, "--voice " + voice() + " --text 'Hello there. How are you?' --out a.wav --candidates 2"
                          " --alignment a.npy" + std::string(kModels));
  INFO(r.out);
  REQUIRE(r.code == 0);
  voxclone::AudioInfo info = voxclone::audio_info(dir + "/a.wav");
  CHECK(info.sample_rate == 16000);
  CHECK(info.subtype == "PCM_16");
  // Two pieces and a 0.3 s pause between them: at least the pause, at most 2 × 60 steps × r(2) × hop(200).
  CHECK(info.seconds > 0.3);
  CHECK(info.seconds < 0.3 + 2 * 60 * 2 * 200 / 16000.0 + 0.01);
  voxclone::CloneSettings s = voxclone::read_clone_settings(dir + "/a.wav");
  CHECK(s.request.text == "Hello there. How are you?");
  CHECK(s.request.candidates == 2);
  CHECK(s.request.max_steps == 60);
  CHECK(s.models.synthesizer.name == "tacotron");
  CHECK(s.models.vocoder.name == "griffinlim");
  REQUIRE(s.request.voices.size() == 1);
  CHECK(fs::equivalent(s.request.voices[0], voice()));
  CHECK(fs::exists(dir + "/a.npy"));
  // Loudness-normalised to the default -20 LUFS unless the -1 dBFS ceiling held it back.
  voxclone::Waveform w = voxclone::read_audio(dir + "/a.wav");
  double lufs = voxclone::integrated_loudness(w);
  float peak = 0;
  for (float v : w.samples) peak = std::max(peak, std::fabs(v));
  CHECK((std::fabs(lufs + 20.0) < 0.2 || peak > 0.85f));
  CHECK(cache_entries(dir) == 1);

  Result info_out;
  info_out.code = vctest::run_command(vctest::voxclone_binary() + " info " + dir + "/a.wav", &info_out.out);
  CHECK(info_out.code == 0);
  CHECK(info_out.out.find("\"text\": \"Hello there. How are you?\"") != std::string::npos);

  Result again = run(dir, "--settings-from a.wav --out b.wav --alignment b.png" SMALL_MODELS);
  INFO(again.out);
  REQUIRE(again.code == 0);
  CHECK(voxclone::read_audio(dir + "/b.wav").samples == w.samples);
  CHECK(cache_entries(dir) == 1);  // the voice came from the cache
  std::ifstream png(dir + "/b.png", std::ios::binary);
  char magic[8] = {};
  png.read(magic, 8);
  CHECK(std::string(magic + 1, 3) == "PNG");

  Result other_seed =
      run(dir, "--settings-from a.wav --out c.wav --seed 5 --text 'Something else entirely.'" SMALL_MODELS);
  REQUIRE(other_seed.code == 0);
  voxclone::CloneSettings c = voxclone::read_clone_settings(dir + "/c.wav");
  CHECK(c.request.seed == 5);
  CHECK(c.request.text == "Something else entirely.");
  CHECK(c.request.candidates == 2);
}

TEST_CASE("clone refuses bad input with exit 2 and one line", "[clone][cli]") {
  std::string dir = vctest::scratch_dir("clone_bad");
  std::ofstream(dir + "/notaudio.wav") << "text, not audio";
  std::ofstream(dir + "/plain.wav");
  auto expect = [&](const std::string& args, const std::string& needle) {
    Result r = run(dir, args);
    INFO("voxclone clone " << args << "\n" << r.out);
    CHECK(r.code == 2);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
    CHECK(r.out.find(needle) != std::string::npos);
  };
  std::string v = voice();
  expect("--voice missing.wav --text hi --out o.wav" + std::string(kModels), "missing.wav");
  expect("--voice " + v + " --text '  ' --out o.wav" + std::string(kModels), "empty");
  expect("--voice " + v + " --text hi --out o.mp3" + std::string(kModels), "o.mp3");
  expect("--voice " + v + " --out o.wav" + std::string(kModels), "--text");
  expect("--text hi --out o.wav" + std::string(kModels), "--voice");
  expect("--voice " + v + " --text hi --out o.wav --candidates 0" + std::string(kModels), "candidates");
  expect("--voice " + v + " --text hi --out o.wav --models nowhere.toml", "nowhere.toml");
  expect("--voice notaudio.wav --text hi --out o.wav" + std::string(kModels), "notaudio.wav");
  expect("--settings-from plain.wav --out o.wav" + std::string(kModels), "plain.wav");
  expect("--voice " + v + " --text hi --out o.wav --encoder ge2e:nothere.pt --synthesizer tacotron --vocoder griffinlim",
         "nothere.pt");
  CHECK(!fs::exists(dir + "/o.wav"));
}

TEST_CASE("recipes clone through vc.cloner and get the same WAV as the command", "[clone][lua]") {
  std::string dir = vctest::scratch_dir("clone_lua");
  std::string v = voice();
  {
    std::ofstream recipe(dir + "/clone.lua");
    recipe << "local vc = require 'voxclone'\n"
              "local c = vc.cloner { encoder = 'ge2e', synthesizer = 'tacotron', vocoder = 'griffinlim' }\n"
              "local r = c:clone { voices = { '" << v << "' }, text = 'Hello there. How are you?', out = 'lua.wav',"
              " max_steps = 60, candidates = 2, alignment = 'lua.png' }\n"
              "assert(r.path == 'lua.wav' and r.pieces == 2 and r.seconds > 0.3 and r.alignment == 'lua.png')\n"
              "assert(r.take >= 1 and r.take <= 2 and r.audio.rate == c.sample_rate)\n"
              "assert(c:embed { '" << v << "' }:size(1) == 256)\n";
    std::ofstream bad(dir + "/bad.lua");
    bad << "local vc = require 'voxclone'\n"
           "local c = vc.cloner { encoder = 'ge2e', synthesizer = 'tacotron', vocoder = 'griffinlim' }\n"
           "c:clone { voices = { '" << v << "' }, text = 'hi', sead = 3 }\n";
  }
  std::string globals = " " SMALL_MODELS;
  std::string out;
  int code = vctest::run_command("cd " + dir + " && VOXCLONE_CACHE_DIR=" + dir + "/cache " + vctest::voxclone_binary() +
                                     globals + " run clone.lua",
                                 &out);
  INFO(out);
  REQUIRE(code == 0);
  Result cli = run(dir, "--voice " + v + " --text 'Hello there. How are you?' --out cli.wav --candidates 2" +
                            std::string(kModels));
  REQUIRE(cli.code == 0);
  CHECK(voxclone::read_audio(dir + "/lua.wav").samples == voxclone::read_audio(dir + "/cli.wav").samples);
  code = vctest::run_command("cd " + dir + " && " + vctest::voxclone_binary() + globals + " run bad.lua", &out);
  CHECK(code == 2);
  CHECK(out.find("sead") != std::string::npos);
}

TEST_CASE("batch_clone clones each row, reports bad rows, and skips finished rows when run again", "[clone][recipes]") {
  std::string dir = vctest::scratch_dir("batch_clone");
  make_voices(dir);
  std::ofstream(dir + "/jobs.csv") << "reference,text,output,seed\n"
                                      "voices/anna.wav,\"Hello, \"\"world\"\".\",out/a.wav,3\n"
                                      "voices/broken.wav,Hi.,out/b.wav,\n"
                                      "voices/anna.wav,,out/c.wav,\n"
                                      "voices/anna.wav,Fine.,out/d.wav,x\n"
                                      "voices/anna.wav,Bye.,out/e.wav,\n";
  std::string cmd = "cd " + dir + " && VOXCLONE_CACHE_DIR=" + dir + "/cache " + vctest::voxclone_binary() +
                    " " SMALL_MODELS " run " VOXCLONE_SOURCE_DIR "/recipes/batch_clone.lua list=jobs.csv max_steps=60"
                    " encoder=ge2e synthesizer=tacotron vocoder=griffinlim";
  std::string out;
  int code = vctest::run_command(cmd, &out);
  INFO(out);
  CHECK(code == 2);  // some rows failed
  CHECK(fs::exists(dir + "/out/a.wav"));
  CHECK(fs::exists(dir + "/out/e.wav"));
  CHECK(!fs::exists(dir + "/out/b.wav"));
  voxclone::CloneSettings a = voxclone::read_clone_settings(dir + "/out/a.wav");
  CHECK(a.request.text == "Hello, \"world\".");
  CHECK(a.request.seed == 3);
  std::string report = voxclone::read_file(dir + "/jobs.csv.report.tsv");
  CHECK(report.find("2\tdone\tout/a.wav") != std::string::npos);
  CHECK(report.find("3\tfailed\tout/b.wav") != std::string::npos);
  CHECK(report.find("4\tfailed\tout/c.wav\tthe text to speak is empty") != std::string::npos);
  CHECK(report.find("5\tfailed\tout/d.wav\tseed 'x' is not an integer") != std::string::npos);
  CHECK(report.find("6\tdone\tout/e.wav") != std::string::npos);

  auto stamp = fs::last_write_time(dir + "/out/a.wav");
  code = vctest::run_command(cmd, &out);
  CHECK(code == 2);
  report = voxclone::read_file(dir + "/jobs.csv.report.tsv");
  CHECK(report.find("2\tskipped\tout/a.wav") != std::string::npos);
  CHECK(fs::last_write_time(dir + "/out/a.wav") == stamp);
}

TEST_CASE("the clone recipe makes every voice say every text and keeps going past a bad voice", "[clone][recipes]") {
  std::string dir = vctest::scratch_dir("clone_recipe");
  make_voices(dir);
  std::ofstream(dir + "/texts.txt") << "First text.\n# a comment\n\nSecond text.\n";
  std::string cmd = "cd " + dir + " && VOXCLONE_CACHE_DIR=" + dir + "/cache " + vctest::voxclone_binary() +
                    " " SMALL_MODELS " run " VOXCLONE_SOURCE_DIR "/recipes/clone.lua voices_dir=voices texts=texts.txt"
                    " out_dir=out max_steps=60 encoder=ge2e synthesizer=tacotron vocoder=griffinlim";
  std::string out;
  int code = vctest::run_command(cmd, &out);
  INFO(out);
  CHECK(code == 2);
  CHECK(out.find("broken.wav") != std::string::npos);
  CHECK(voxclone::read_clone_settings(dir + "/out/anna/001.wav").request.text == "First text.");
  CHECK(voxclone::read_clone_settings(dir + "/out/anna/002.wav").request.text == "Second text.");
  CHECK(voxclone::read_file(dir + "/out/texts.txt") == "001\tFirst text.\n002\tSecond text.\n");
}
