// Runs the real `voxclone` binary: bad input → exit 2 and one line; the analysis-resynthesis path works.
#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <fstream>

#include "fixtures.h"
#include "voxclone/audio.h"
#include "voxclone/npy.h"

namespace {

struct Result {
  int code;
  std::string out;  // stdout and stderr together
};

Result run(const std::string& args) {
  Result r;
  r.code = vctest::run_command(vctest::voxclone_binary() + " " + args, &r.out);
  return r;
}

int count_lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

// Bad input: exit code 2 and exactly one line that names `needle`.
void expect_user_error(const std::string& args, const std::string& needle) {
  INFO("voxclone " << args);
  Result r = run(args);
  INFO(r.out);
  CHECK(r.code == 2);
  CHECK(count_lines(r.out) == 1);
  CHECK(r.out.find(needle) != std::string::npos);
}

}  // namespace

TEST_CASE("voxclone plugins lists griffinlim with its version and file") {
  Result r = run("plugins");
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK(r.out.find("vocoder") != std::string::npos);
  CHECK(r.out.find("griffinlim") != std::string::npos);
  CHECK(r.out.find("libvoxclone-griffinlim.so") != std::string::npos);
}

TEST_CASE("usage errors and bad input exit with 2 and one line") {
  std::string dir = vctest::scratch_dir("cli_bad");
  {
    std::ofstream(dir + "/empty.wav");
    std::ofstream(dir + "/text.wav") << "this is not audio\n";
    std::ofstream(dir + "/bad.npy") << "\x93NUMPY garbage";
    std::ofstream(dir + "/bad.toml") << "[griffinlim\n";
  }
  expect_user_error("frobnicate", "frobnicate");
  expect_user_error("mel --type encoder", "--out");
  expect_user_error("mel --type wrong --out x.npy a.wav", "wrong");
  expect_user_error("info /nonexistent/file.wav", "/nonexistent/file.wav");
  expect_user_error("info " + dir + "/empty.wav", "empty.wav");
  expect_user_error("info " + dir + "/text.wav", "text.wav");
  expect_user_error("info " + dir + "/bad.npy", "bad.npy");
  expect_user_error("mel --out " + dir + "/m.npy " + dir + "/text.wav", "text.wav");
  expect_user_error("vocode --mel " + dir + "/bad.npy --out " + dir + "/o.wav", "bad.npy");
  expect_user_error("vocode --vocoder nosuch --mel x.npy --out o.wav", "nosuch");
  expect_user_error("vocode --set griffinlim.n_itr=3 --mel x.npy --out o.wav", "n_itr");
  expect_user_error("vocode --set nosuchplugin.x=3 --mel x.npy --out o.wav", "nosuchplugin");
  expect_user_error("vocode --config " + dir + "/bad.toml --mel x.npy --out o.wav", "bad.toml");
  expect_user_error("vocode --device tpu --mel x.npy --out o.wav", "tpu");
  expect_user_error("--log-level loud plugins", "loud");
}

TEST_CASE("mel → vocode: the analysis-resynthesis path writes a WAV, its config and raw samples") {
  std::string wav_in = vctest::fixture_or_skip("rtvc/synthesizer/audio/input.wav");
  std::string dir = vctest::scratch_dir("cli_resynth");
  Result m = run("mel --type synthesizer --out " + dir + "/mel.npy " + wav_in);
  INFO(m.out);
  REQUIRE(m.code == 0);
  at::Tensor mel = voxclone::read_npy(dir + "/mel.npy");
  REQUIRE(mel.dim() == 2);
  CHECK(mel.size(0) == 80);
  CHECK(mel.size(1) == 129);  // 25600 samples / hop 200 + 1 (center=True)

  Result v = run("vocode --vocoder griffinlim --set griffinlim.n_iter=8 --seed 3 --mel " + dir +
                 "/mel.npy --out " + dir + "/out.wav");
  INFO(v.out);
  REQUIRE(v.code == 0);
  voxclone::Waveform w = voxclone::read_audio(dir + "/out.wav");
  CHECK(w.sample_rate == 16000);
  CHECK(w.samples.size() == 128 * 200);
  std::ifstream cfg(dir + "/out.wav.config.toml");
  std::string text((std::istreambuf_iterator<char>(cfg)), std::istreambuf_iterator<char>());
  CHECK(text.find("[griffinlim]") != std::string::npos);
  CHECK(text.find("n_iter = 8") != std::string::npos);

  Result raw = run("vocode --set griffinlim.n_iter=8 --seed 3 --mel " + dir + "/mel.npy --out " + dir + "/out.npy");
  REQUIRE(raw.code == 0);
  at::Tensor samples = voxclone::read_npy(dir + "/out.npy");
  CHECK(samples.dim() == 1);
  CHECK(samples.size(0) == int64_t(w.samples.size()));
  // Same seed, same samples: the WAV is the raw output peak-normalised to 0.97 and quantised to 16 bits.
  float peak = samples.abs().max().item<float>();
  at::Tensor expected = samples / peak * 0.97;
  at::Tensor got = at::from_blob(w.samples.data(), {int64_t(w.samples.size())}, at::kFloat);
  CHECK(vctest::max_abs_diff(expected, got) < 1.0 / 16384);
}
