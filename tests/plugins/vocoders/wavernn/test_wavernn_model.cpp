// WaveRNN parity with RTVC 865eba8: mu-law, fold/unfold, checkpoint loading, upsample/forward, seeded
// generation (strict: bit-exact; fast: logits under forced labels), against shared/fixtures/rtvc/vocoder.
#include <ATen/ATen.h>
#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fixtures.h"
#include "voxclone/checkpoint.h"
#include "voxclone/error.h"
#include "wavernn_model.h"
#include "wavernn_signal.h"

using namespace voxclone;
using namespace voxclone::wavernn;

namespace {

std::map<std::string, at::Tensor> fixture(const std::string& name) {
  return vctest::load_pt_dict(vctest::fixture_or_skip("rtvc/vocoder/" + name));
}

WaveRnn small_model() {
  at::set_num_threads(1);  // the references were made with one intra-op thread
  return load_wavernn(vctest::fixture_or_skip("rtvc/vocoder/wavernn_small.pt"), WaveRnnOptions{});
}

bool exactly_equal(const at::Tensor& a, const at::Tensor& b) {
  return a.sizes() == b.sizes() && a.to(at::kDouble).equal(b.to(at::kDouble));
}

}  // namespace

TEST_CASE("mu-law and label conversions match RTVC vocoder/audio.py") {
  auto f = fixture("mulaw.pt");
  const at::Tensor x = f.at("x");
  CHECK(exactly_equal(encode_mu_law(x, 512), f.at("encode_mu_law")));
  CHECK(vctest::max_abs_diff(decode_mu_law(f.at("encode_mu_law"), 512, true),
                             f.at("decode_mu_law_from_labels")) < 1e-12);
  CHECK(vctest::max_abs_diff(decode_mu_law(x, 512, false), f.at("decode_mu_law_from_float")) < 1e-12);
  const at::Tensor l2f = label_2_float(f.at("labels"), 9);
  CHECK(l2f.scalar_type() == at::kDouble);
  CHECK(vctest::max_abs_diff(l2f, f.at("label_2_float")) < 1e-15);
  const at::Tensor l2f32 = label_2_float(f.at("labels").to(at::kFloat), 9);
  CHECK(l2f32.scalar_type() == at::kFloat);
  CHECK(exactly_equal(l2f32, f.at("label_2_float_f32")));
  CHECK(vctest::max_abs_diff(float_2_label(x, 9), f.at("float_2_label")) < 1e-12);
}

TEST_CASE("fold_with_overlap, xfade_and_unfold and pad_tensor match RTVC") {
  auto f = fixture("fold_unfold.pt");
  const std::vector<std::pair<int64_t, int64_t>> folds{{400, 40}, {400, 40}, {8000, 800}, {1000, 100}};
  for (size_t i = 0; i < folds.size(); ++i) {
    const std::string k = "fold_" + std::to_string(i);
    const at::Tensor out = fold_with_overlap(f.at(k + ".in"), folds[i].first, folds[i].second);
    INFO(k);
    CHECK(exactly_equal(out, f.at(k + ".out")));
  }
  const std::vector<std::pair<int64_t, int64_t>> unfolds{{400, 40}, {8000, 800}, {100, 9}};
  for (size_t i = 0; i < unfolds.size(); ++i) {
    const std::string k = "unfold_" + std::to_string(i);
    const at::Tensor out = xfade_and_unfold(f.at(k + ".in"), unfolds[i].first, unfolds[i].second);
    INFO(k);
    REQUIRE(out.sizes() == f.at(k + ".out").sizes());
    CHECK(vctest::max_abs_diff(out, f.at(k + ".out")) < 1e-12);
  }
  for (const char* side : {"both", "before", "after"}) {
    INFO(side);
    CHECK(exactly_equal(pad_tensor(f.at("pad_tensor.in"), 2, side), f.at(std::string("pad_tensor.") + side)));
  }
}

TEST_CASE("the full-size model has RTVC's state-dict keys, shapes and order") {
  std::ifstream in(vctest::fixture_or_skip("rtvc/vocoder/shape_manifest_wavernn_full.json"));
  const auto manifest = nlohmann::json::parse(in)["state_dict"];
  WaveRnn model(WaveRnnOptions{});
  // Module state: parameters and buffers interleaved per module as PyTorch's state_dict() orders them.
  std::map<std::string, at::Tensor> mine;
  for (const auto& p : model->named_parameters()) mine[p.key()] = p.value();
  for (const auto& b : model->named_buffers()) mine[b.key()] = b.value();
  REQUIRE(mine.size() == manifest.size());
  for (const auto& e : manifest) {
    const std::string key = e["key"];
    INFO(key);
    REQUIRE(mine.count(key) == 1);
    CHECK(mine[key].sizes().vec() == e["shape"].get<std::vector<int64_t>>());
    CHECK(std::string(e["dtype"]) == (mine[key].scalar_type() == at::kLong ? "int64" : "float32"));
  }
  // Parameter order = the optimiser's indices: RTVC's "step" is index 0.
  std::vector<std::string> manifest_params;
  for (const auto& e : manifest)
    if (e["kind"] == "parameter") manifest_params.push_back(e["key"]);
  std::vector<std::string> params;
  for (const auto& p : model->named_parameters()) params.push_back(p.key());
  CHECK(params == manifest_params);
}

TEST_CASE("RTVC's small checkpoint loads and its sizes are inferred from the shapes") {
  std::ifstream in(vctest::fixture_or_skip("rtvc/vocoder/wavernn_config.json"));
  const auto c = nlohmann::json::parse(in)["constructor"];
  WaveRnn model = small_model();
  const WaveRnnOptions& o = model->options();
  CHECK(o.rnn_dims == c["rnn_dims"].get<int64_t>());
  CHECK(o.fc_dims == c["fc_dims"].get<int64_t>());
  CHECK(o.compute_dims == c["compute_dims"].get<int64_t>());
  CHECK(o.res_out_dims == c["res_out_dims"].get<int64_t>());
  CHECK(o.res_blocks == c["res_blocks"].get<int64_t>());
  CHECK(o.pad == c["pad"].get<int64_t>());
  CHECK(o.bits == c["bits"].get<int64_t>());
  CHECK(o.upsample_factors == c["upsample_factors"].get<std::vector<int64_t>>());
  CHECK(o.hop_length == c["hop_length"].get<int64_t>());
  CHECK(model->step.item<int64_t>() == 2);
  // Every tensor is bit-identical to the file.
  const ckpt::Value root = ckpt::load(vctest::fixture_or_skip("rtvc/vocoder/wavernn_small.pt"));
  auto params = model->named_parameters();
  auto buffers = model->named_buffers();
  for (const auto& [name, t] : ckpt::flatten_state_dict(root.at("model_state"))) {
    INFO(name);
    const at::Tensor* mine = params.find(name);
    if (!mine) mine = buffers.find(name);
    REQUIRE(mine);
    CHECK(exactly_equal(*mine, t));
  }
}

TEST_CASE("a state dict that is not a WaveRNN is refused with the missing key") {
  ckpt::Value sd = ckpt::Value::dict(true);
  sd.set("fc1.weight", at::zeros({4, 4}));
  CHECK_THROWS_WITH(infer_options(sd, WaveRnnOptions{}), Catch::Contains("upsample.resnet.conv_in.weight"));
}

TEST_CASE("upsample network and teacher-forced forward match RTVC") {
  auto f = fixture("wavernn_io.pt");
  WaveRnn model = small_model();
  torch::NoGradGuard no_grad;
  auto [mels, aux] = model->upsample->forward(f.at("upsample.in"));
  CHECK(vctest::max_abs_diff(mels, f.at("upsample.mels")) < 1e-5);
  CHECK(vctest::max_abs_diff(aux, f.at("upsample.aux")) < 1e-5);
  const at::Tensor logits = model->forward(f.at("forward.x"), f.at("forward.mels"));
  REQUIRE(logits.sizes() == f.at("forward.logits").sizes());
  CHECK(vctest::max_abs_diff(logits, f.at("forward.logits")) < 1e-5);
  CHECK(model->step.item<int64_t>() == 3);  // forward() counts steps like RTVC
  const at::Tensor loss = torch::nn::functional::cross_entropy(logits.transpose(1, 2).unsqueeze(-1),
                                                               f.at("forward.y").unsqueeze(-1));
  CHECK(std::abs(loss.item<double>() - f.at("forward.loss").item<double>()) < 1e-5);
}

TEST_CASE("upsampling by chunks gives the one-call result") {
  auto f = fixture("generate.pt");
  WaveRnn model = small_model();
  torch::NoGradGuard no_grad;
  const int64_t pad = model->options().pad;
  const at::Tensor padded = pad_tensor(f.at("mel").transpose(1, 2), pad, "both").transpose(1, 2);
  auto [m1, a1] = model->upsample->forward(padded);
  auto [m2, a2] = upsample_chunked(*model, padded, 7);
  REQUIRE(m1.sizes() == m2.sizes());
  REQUIRE(a1.sizes() == a2.sizes());
  CHECK(vctest::max_abs_diff(m1, m2) < 1e-6);
  CHECK(vctest::max_abs_diff(a1, a2) < 1e-6);
}

TEST_CASE("strict seeded generation reproduces RTVC's generate() bit for bit") {
  auto f = fixture("generate.pt");
  WaveRnn model = small_model();
  for (bool batched : {false, true}) {
    const std::string k = batched ? "batched" : "unbatched";
    INFO(k);
    GenerateTrace trace;
    const at::Tensor wav =
        generate(*model, f.at("mel"), batched, 1000, 100, /*strict=*/true, 1242, nullptr, &trace);
    CHECK(exactly_equal(trace.labels, f.at(k + ".labels")));
    CHECK(vctest::max_abs_diff(trace.logits, f.at(k + ".logits_first")) < 1e-5);
    REQUIRE(wav.sizes() == f.at(k + ".wav").sizes());
    CHECK(vctest::max_abs_diff(wav, f.at(k + ".wav")) < 1e-9);
  }
}

TEST_CASE("the fast sampler gives RTVC's logits and waveform when fed RTVC's labels, on every kernel") {
  auto f = fixture("generate.pt");
  WaveRnn model = small_model();
  const WaveRnnOptions& o = model->options();
  for (const std::string& isa : FastSampler::available_isas()) {
    FastSampler fast(step_weights(*model), o.feat_dims, o.aux_dims(), o.bits, isa);
    for (bool batched : {false, true}) {
      const std::string k = batched ? "batched" : "unbatched";
      INFO(isa << " " << k);
      GenerateTrace trace;
      trace.forced = f.at(k + ".labels");
      const at::Tensor wav = generate(*model, f.at("mel"), batched, 1000, 100, false, 7, &fast, &trace);
      CHECK(vctest::max_abs_diff(trace.logits, f.at(k + ".logits_first")) < 1e-5);
      CHECK(vctest::max_abs_diff(wav, f.at(k + ".wav")) < 1e-9);
    }
  }
}

TEST_CASE("the opt-in bfloat16 kernels stay close to RTVC's logits under RTVC's labels") {
  if (!FastSampler::bf16_available()) {
    WARN("this CPU has no AVX-512 BF16: not tested");
    return;
  }
  auto f = fixture("generate.pt");
  WaveRnn model = small_model();
  const WaveRnnOptions& o = model->options();
  FastSampler fast(step_weights(*model), o.feat_dims, o.aux_dims(), o.bits, "avx512bf16");
  GenerateTrace trace;
  trace.forced = f.at("batched.labels");
  generate(*model, f.at("mel"), true, 1000, 100, false, 7, &fast, &trace);
  const double d = vctest::max_abs_diff(trace.logits, f.at("batched.logits_first"));
  CHECK(d < 5e-3);
  CHECK(d > 0.0);  // really the bfloat16 path, not the float32 one
}

TEST_CASE("fast sampling is reproducible for a seed and follows the model's distribution") {
  auto f = fixture("generate.pt");
  WaveRnn model = small_model();
  const WaveRnnOptions& o = model->options();
  FastSampler fast(step_weights(*model), o.feat_dims, o.aux_dims(), o.bits);
  GenerateTrace t1, t2, t3;
  generate(*model, f.at("mel"), true, 1000, 100, false, 5, &fast, &t1);
  generate(*model, f.at("mel"), true, 1000, 100, false, 5, &fast, &t2);
  generate(*model, f.at("mel"), true, 1000, 100, false, 6, &fast, &t3);
  CHECK(t1.labels.equal(t2.labels));
  CHECK(!t1.labels.equal(t3.labels));
  // Rows have their own random streams: the thread count does not change the result.
  GenerateTrace t4;
  fast.set_threads(3);
  generate(*model, f.at("mel"), true, 1000, 100, false, 5, &fast, &t4);
  CHECK(t1.labels.equal(t4.labels));
  // Fast and strict label histograms agree (different random streams), in 32 coarse bins of 16 labels.
  // The checkpoint is barely trained (nearly uniform output), so fc3's bias is tilted first to give a
  // distribution far from uniform; the comparison then has teeth.
  {
    torch::NoGradGuard no_grad;
    model->fc3->bias.copy_(at::linspace(-6.0, 3.0, 512) + at::sin(at::arange(512).to(at::kFloat) * 0.3) * 2);
  }
  FastSampler tilted(step_weights(*model), o.feat_dims, o.aux_dims(), o.bits);
  auto hist = [&](bool strict) {
    at::Tensor h = at::zeros({32}, at::kDouble);
    for (int seed = 0; seed < 3; ++seed) {
      GenerateTrace t;
      generate(*model, f.at("mel"), true, 1000, 100, strict, 100 + seed, &tilted, &t);
      h += at::bincount(t.labels.reshape({-1}).div(16, "floor"), {}, 32).to(at::kDouble);
    }
    return h / h.sum();
  };
  const at::Tensor hs = hist(true), hf = hist(false);
  const double tv = 0.5 * (hs - hf).abs().sum().item<double>();
  const double tv_uniform = 0.5 * (hf - 1.0 / 32).abs().sum().item<double>();
  CHECK(tv < 0.05);
  CHECK(tv_uniform > 0.2);
}
