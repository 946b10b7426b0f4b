// The SV2TTS synthesizer tree of RTVC's preprocess_dataset / create_embeddings, reproduced from the fixture's
// LibriSpeech input: the same train.txt rows, audio within 1e-5, mels within 1e-3, embeddings within 1e-5.
#include <ATen/ATen.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "fixtures.h"
#include "voxclone/npy.h"
#include "voxclone/runtime.h"

using namespace voxclone;
namespace fs = std::filesystem;

namespace {

const std::string kExpected = "rtvc/synthesizer/sv2tts/SV2TTS/synthesizer/";

using Row = std::vector<std::string>;

std::set<Row> rows_of(const fs::path& path) {
  const auto rows = vctest::train_rows(path.string());
  return {rows.begin(), rows.end()};
}

double max_abs(const std::string& got, const std::string& want) {
  at::Tensor a = read_npy(got).to(at::kDouble), b = read_npy(want).to(at::kDouble);
  REQUIRE(a.sizes() == b.sizes());
  return a.numel() == 0 ? 0.0 : (a - b).abs().max().item<double>();
}

// Runs synthesizer_preprocess_audio on the fixture's LibriSpeech folder once per process.
const std::string& preprocessed() {
  static const std::string out = [] {
    const std::string trans = vctest::fixture_or_skip(
        "rtvc/synthesizer/sv2tts/LibriSpeech/train-clean-100/1001/134500/1001-134500.trans.txt");
    const fs::path root =
        fs::path(trans).parent_path().parent_path().parent_path().parent_path().parent_path();
    const std::string dir = vctest::scratch_dir("sv2tts_preprocess") + "/synthesizer";
    fs::create_directories(dir);
    auto& rt = Runtime::instance();
    rt.load_plugins({vctest::plugin_dir()});
    rt.create<Stage>("synthesizer_preprocess_audio", "",
                     {{"datasets_root", root.string()},
                      {"dataset", "LibriSpeech"},
                      {"subfolders", ConfigValue::Array{ConfigValue("train-clean-100")}},
                      {"out_dir", dir},
                      {"workers", int64_t(1)}})
        ->run();
    return dir;
  }();
  return out;
}

}  // namespace

TEST_CASE("synthesizer_preprocess_audio reproduces RTVC's SV2TTS tree of the fixture", "[tacotron][sv2tts]") {
  const std::string want_dir =
      fs::path(vctest::fixture_or_skip(kExpected + "train.txt")).parent_path().string();
  const std::string& got_dir = preprocessed();
  const std::set<Row> want = rows_of(fs::path(want_dir) / "train.txt");
  const std::set<Row> got = rows_of(fs::path(got_dir) / "train.txt");
  for (const auto& row : want) {
    INFO("RTVC row of " << row.at(0));
    CHECK(got.count(row) == 1);
  }
  for (const auto& row : got) {
    INFO("our row of " << row.at(0));
    CHECK(want.count(row) == 1);
  }
  for (const auto& f : want) {
    if (!got.count(f)) continue;
    const double audio = max_abs(got_dir + "/audio/" + f[0], want_dir + "/audio/" + f[0]);
    const double mel = max_abs(got_dir + "/mels/" + f[1], want_dir + "/mels/" + f[1]);
    std::cout << "[parity] " << f[0] << ": audio max abs err " << audio << " (tolerance 1e-5), mel " << mel
              << " (tolerance 1e-3)" << std::endl;
    CHECK(audio <= 1e-5);
    CHECK(mel <= 1e-3);
  }
}

TEST_CASE("synthesizer_preprocess_embeds reproduces RTVC's create_embeddings", "[tacotron][sv2tts]") {
  const std::string want_dir =
      fs::path(vctest::fixture_or_skip(kExpected + "train.txt")).parent_path().string();
  const std::string encoder = vctest::fixture_or_skip("rtvc/encoder/ge2e_rtvc.pt");  // 17 MB: shared only
  const std::string& got_dir = preprocessed();
  auto& rt = Runtime::instance();
  rt.create<Stage>("synthesizer_preprocess_embeds", encoder, {{"syn_dir", got_dir}})->run();
  for (const auto& row : rows_of(fs::path(want_dir) / "train.txt")) {
    const std::string name = row.at(2);
    INFO(name);
    REQUIRE(fs::exists(got_dir + "/embeds/" + name));
    const double err = max_abs(got_dir + "/embeds/" + name, want_dir + "/embeds/" + name);
    std::cout << "[parity] " << name << ": max abs err " << err << " (tolerance 1e-5)" << std::endl;
    CHECK(err <= 1e-5);
  }
}
