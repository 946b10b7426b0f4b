// Checkpoint reader vs the reference fixtures: every tensor and scalar equals what Python's torch.load sees,
// legacy == zip, real checkpoints == their plain-dict twins, module loading and `info` layout recognition.
#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "checkpoint_test_util.h"
#include "fixtures.h"
#include "voxclone/checkpoint.h"
#include "voxclone/error.h"

namespace ck = voxclone::ckpt;
namespace fs = std::filesystem;

namespace {

std::string dtype_of(const at::Tensor& t) {
  switch (t.scalar_type()) {
    case at::kFloat:
      return "float32";
    case at::kHalf:
      return "float16";
    case at::kBFloat16:
      return "bfloat16";
    case at::kDouble:
      return "float64";
    case at::kLong:
      return "int64";
    case at::kInt:
      return "int32";
    case at::kShort:
      return "int16";
    case at::kChar:
      return "int8";
    case at::kByte:
      return "uint8";
    case at::kBool:
      return "bool";
    default:
      return "other";
  }
}

std::string shape_of(const at::Tensor& t) {
  std::string s;
  for (int64_t d = 0; d < t.dim(); ++d) s += (d ? "," : "") + std::to_string(t.size(d));
  return s;
}

std::string hex(const std::string& s) {
  static const char* h = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out.push_back(h[c >> 4]);
    out.push_back(h[c & 15]);
  }
  return out;
}

// Compares our tree with the dump Python's torch.load made of the same file.
void compare_with_dump(const ck::Value& root, const std::string& dir, const std::string& label) {
  INFO(label);
  auto manifest = cktest::read_manifest(dir + "/manifest.txt");
  auto expected = vctest::load_pt_dict(dir + "/tensors.pt");
  std::map<std::string, at::Tensor> ours;
  for (auto& [n, t] : ck::flatten_state_dict(root)) {
    REQUIRE(ours.count(n) == 0);
    ours[n] = t;
  }
  std::map<std::string, ck::Value> scalars;
  for (auto& [n, v] : cktest::flatten_scalars(root)) scalars[n] = v;
  std::size_t n_tensors = 0, n_scalars = 0;
  for (const auto& e : manifest) {
    INFO(e.name);
    if (e.kind == "tensor") {
      ++n_tensors;
      REQUIRE(ours.count(e.name) == 1);
      const at::Tensor& t = ours[e.name];
      CHECK(dtype_of(t) == e.value);
      CHECK(shape_of(t) == e.shape);
      at::Tensor mine = t.scalar_type() == at::kBFloat16 ? t.to(at::kFloat) : t;
      REQUIRE(expected.count(e.name) == 1);
      CHECK(mine.scalar_type() == expected[e.name].scalar_type());
      CHECK(torch::equal(mine, expected[e.name]));
      continue;
    }
    ++n_scalars;
    REQUIRE(scalars.count(e.name) == 1);
    const ck::Value& v = scalars[e.name];
    if (e.kind == "int")
      CHECK(v.as_int() == std::stoll(e.value));
    else if (e.kind == "float")
      CHECK(v.as_float() == std::strtod(e.value.c_str(), nullptr));
    else if (e.kind == "bool")
      CHECK(v.as_bool() == (e.value == "1"));
    else if (e.kind == "none")
      CHECK(v.is_none());
    else if (e.kind == "str")
      CHECK(hex(v.as_str()) == e.value);
    else
      FAIL("unknown manifest kind " << e.kind);
  }
  CHECK(n_tensors == ours.size());
  CHECK(n_scalars == scalars.size());
  CHECK(n_tensors > 0);
}

void check_against_python(const std::string& rel) {
  std::string path = vctest::fixture_or_skip(rel);
  cktest::python_or_skip();
  std::string dir = vctest::scratch_dir("ckpt_dump_" + fs::path(rel).stem().string());
  REQUIRE(cktest::run_reference("dump " + path + " " + dir) == 0);
  compare_with_dump(ck::load(path), dir, rel);
}

std::string shared_fixtures_root() {
  if (const char* env = std::getenv("VOXCLONE_SHARED")) return std::string(env) + "/fixtures";
  return std::string(VOXCLONE_SOURCE_DIR) + "/../shared/fixtures";
}

}  // namespace

TEST_CASE("GE2E encoder checkpoint (zip) equals torch.load") {
  check_against_python("rtvc/encoder/ge2e_rtvc.pt");
}
TEST_CASE("GE2E encoder checkpoint (legacy) equals torch.load") {
  check_against_python("rtvc/encoder/ge2e_rtvc_legacy.pt");
}
TEST_CASE("RTVC Tacotron checkpoint equals torch.load") {
  check_against_python("rtvc/synthesizer/tacotron_small.pt");
}
TEST_CASE("RTVC WaveRNN checkpoint equals torch.load") {
  check_against_python("rtvc/vocoder/wavernn_small.pt");
}
TEST_CASE("MockingBird HiFi-GAN checkpoint equals torch.load") {
  check_against_python("mockingbird/hifigan/g_00000000.pt");
}
TEST_CASE("MockingBird Tacotron checkpoint equals torch.load") {
  check_against_python("mockingbird/synthesizer/tacotron_small_step2.pt");
}

TEST_CASE("every .pt file of the shared fixtures equals torch.load") {
  std::string root = shared_fixtures_root();
  if (!fs::exists(root)) {
    std::cout << "SKIPPED: shared fixtures folder " << root << " not found" << std::endl;
    std::exit(77);
  }
  cktest::python_or_skip();
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().extension() == ".pt") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 10);
  std::string dir = vctest::scratch_dir("ckpt_dump_all");
  std::string args = "dumpmany " + dir;
  for (const auto& f : files) args += " " + f;
  REQUIRE(cktest::run_reference(args) == 0);
  for (std::size_t i = 0; i < files.size(); ++i)
    compare_with_dump(ck::load(files[i]), dir + "/" + std::to_string(i), files[i]);
}

TEST_CASE("converted fixture checkpoints (what `voxclone convert` writes) read back in Python unchanged") {
  cktest::python_or_skip();
  for (const char* rel : {"mockingbird/hifigan/g_00000000.pt", "rtvc/encoder/ge2e_rtvc_legacy.pt",
                          "rtvc/vocoder/wavernn_small.pt"}) {
    INFO(rel);
    std::string path = vctest::find_fixture(rel);
    if (path.empty()) continue;  // the HiFi-GAN file is in tests/fixtures, so at least one always runs
    ck::Value original = ck::load(path);
    std::string dir = vctest::scratch_dir("ckpt_convert_" + fs::path(rel).stem().string());
    ck::save(dir + "/converted.pt", original);
    REQUIRE(cktest::run_reference("dump " + dir + "/converted.pt " + dir) == 0);
    compare_with_dump(original, dir, std::string("converted ") + rel);
  }
}

TEST_CASE("legacy GE2E checkpoint holds exactly the zip checkpoint's weights and step") {
  auto zip = ck::load(vctest::fixture_or_skip("rtvc/encoder/ge2e_rtvc.pt"));
  auto legacy = ck::load(vctest::fixture_or_skip("rtvc/encoder/ge2e_rtvc_legacy.pt"));
  CHECK(zip.at("step").as_int() == 4);  // README: step = 4
  CHECK(legacy.at("step").as_int() == zip.at("step").as_int());
  CHECK(legacy.find("optimizer_state") == nullptr);
  auto a = ck::flatten_state_dict(zip.at("model_state"));
  auto b = ck::flatten_state_dict(legacy.at("model_state"));
  REQUIRE(a.size() == 16);  // README: 16 state-dict keys
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO(a[i].first);
    CHECK(a[i].first == b[i].first);
    CHECK(a[i].second.scalar_type() == b[i].second.scalar_type());
    CHECK(torch::equal(a[i].second, b[i].second));
  }
  CHECK(zip.at("model_state").ordered());
  CHECK(zip.at("model_state").at("lstm.weight_ih_l0").as_tensor().sizes() == at::IntArrayRef({1024, 40}));
}

TEST_CASE("real checkpoints equal their plain-dict twins (read by torch::pickle_load)") {
  struct Pair {
    const char* real;
    const char* key;
    const char* plain;
  };
  for (const Pair& p : {Pair{"mockingbird/hifigan/g_00000000.pt", "generator",
                             "mockingbird/hifigan/generator_state_plain.pt"},
                        Pair{"mockingbird/synthesizer/tacotron_small_step2.pt", "model_state",
                             "mockingbird/synthesizer/tacotron_small_step2_model_state_plain.pt"}}) {
    INFO(p.real);
    std::string real = vctest::fixture_or_skip(p.real);
    auto plain = vctest::load_pt_dict(vctest::fixture_or_skip(p.plain));
    auto ours = ck::flatten_state_dict(ck::load(real).at(p.key));
    REQUIRE(ours.size() == plain.size());
    for (const auto& [name, t] : ours) {
      INFO(name);
      REQUIRE(plain.count(name) == 1);
      CHECK(t.scalar_type() == plain[name].scalar_type());
      CHECK(torch::equal(t, plain[name]));
    }
  }
}

namespace {

struct SpeakerEncoderImpl : torch::nn::Module {
  torch::nn::LSTM lstm{nullptr};
  torch::nn::Linear linear{nullptr};
  torch::Tensor similarity_weight, similarity_bias;
  SpeakerEncoderImpl(int64_t mels, int64_t hidden, bool with_linear) {
    lstm = register_module(
        "lstm", torch::nn::LSTM(torch::nn::LSTMOptions(mels, hidden).num_layers(3).batch_first(true)));
    if (with_linear) linear = register_module("linear", torch::nn::Linear(hidden, 256));
    similarity_weight = register_parameter("similarity_weight", torch::tensor({10.0f}));
    similarity_bias = register_parameter("similarity_bias", torch::tensor({-5.0f}));
  }
};

}  // namespace

TEST_CASE("load_into_module fills a GE2E-shaped module and reports every mismatch") {
  auto ckpt = ck::load(vctest::fixture_or_skip("rtvc/encoder/ge2e_rtvc.pt"));
  const ck::Value& sd = ckpt.at("model_state");
  {
    SpeakerEncoderImpl m(40, 256, true);
    auto report = ck::load_into_module(m, sd);
    CHECK(report.ok());
    CHECK(torch::equal(m.lstm->named_parameters()["weight_hh_l2"], sd.at("lstm.weight_hh_l2").as_tensor()));
    CHECK(torch::equal(m.similarity_bias, sd.at("similarity_bias").as_tensor()));
    CHECK(m.similarity_weight.requires_grad());
  }
  {
    SpeakerEncoderImpl m(40, 128, false);  // wrong hidden size, no linear layer
    m.register_buffer("extra", torch::zeros({2}));
    at::Tensor before = m.similarity_weight.clone();
    try {
      ck::load_into_module(m, sd);
      FAIL("strict load accepted a mismatching module");
    } catch (const voxclone::UserError& e) {
      std::string msg = e.what();
      CHECK(msg.find("missing (1): extra") != std::string::npos);
      CHECK(msg.find("unexpected (2): linear.bias, linear.weight") != std::string::npos);
      CHECK(msg.find("lstm.weight_ih_l0: checkpoint [1024, 40] float32 vs module [512, 40] float32") !=
            std::string::npos);
    }
    CHECK(torch::equal(m.similarity_weight, before));  // strict failure leaves the module untouched
    auto report = ck::load_into_module(m, sd, /*strict=*/false);
    CHECK(report.missing.size() == 1);
    CHECK(report.unexpected.size() == 2);
    CHECK(report.mismatched.size() == 12);
    CHECK(torch::equal(m.similarity_weight, sd.at("similarity_weight").as_tensor()));
  }
}

TEST_CASE("describe_checkpoint recognises the RTVC and MockingBird layouts") {
  struct Case {
    const char* rel;
    const char* layout;
    const char* step;
  };
  for (const Case& c :
       {Case{"rtvc/encoder/ge2e_rtvc.pt",
             "layout: RTVC GE2E speaker encoder (model_state: LSTM 256 hidden, 40 mel channels, 3 layers)",
             "step: 4\n"},
        Case{"rtvc/encoder/ge2e_rtvc_legacy.pt", "layout: RTVC GE2E speaker encoder", "step: 4\n"},
        Case{"rtvc/synthesizer/tacotron_small.pt",
             "layout: RTVC / MockingBird Tacotron synthesizer (model_state: 66 symbols, embedding 64, r = 2)",
             "step: 2 (model_state.step buffer)"},
        Case{"rtvc/vocoder/wavernn_small.pt",
             "layout: RTVC WaveRNN vocoder (model_state: 512 output classes)",
             "step: 2 (model_state.step buffer)"},
        Case{"mockingbird/hifigan/g_00000000.pt",
             "layout: MockingBird HiFi-GAN generator (generator: 4 upsampling stages, weight norm on)",
             ""}}) {
    INFO(c.rel);
    std::string path = vctest::find_fixture(c.rel);
    if (path.empty()) continue;
    CHECK(ck::is_torch_checkpoint(path));
    std::string text = ck::describe_checkpoint(path);
    INFO(text.substr(0, 600));
    CHECK(text.find(c.layout) != std::string::npos);
    CHECK(text.find(c.step) != std::string::npos);
  }
  std::string g = vctest::fixture_or_skip("mockingbird/hifigan/g_00000000.pt");
  std::string text = ck::describe_checkpoint(g);
  CHECK(text.find("conv_pre.weight_v: tensor [32, 80, 7] float32") != std::string::npos);
  std::string dir = vctest::scratch_dir("ckpt_sniff");
  std::FILE* f = std::fopen((dir + "/fake.wav").c_str(), "wb");
  std::fputs("RIFF\x24\x00\x00\x00WAVEfmt ", f);
  std::fclose(f);
  CHECK_FALSE(ck::is_torch_checkpoint(dir + "/fake.wav"));
  CHECK_FALSE(ck::is_torch_checkpoint(dir + "/missing.pt"));
}
