// HiFi-GAN modules against MockingBird's fixtures: seeded init, generator outputs with and without weight
// norm, intermediate activations, removed-weight-norm state, full-size and discriminator manifests.
#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fixtures.h"
#include "hifigan_model.h"
#include "voxclone/checkpoint.h"
#include "voxclone/error.h"

using namespace voxclone;
using namespace voxclone::hifigan;
using json = nlohmann::json;

namespace {

const std::string kDir = "mockingbird/hifigan/";

json read_json(const std::string& rel) {
  std::ifstream in(vctest::fixture_or_skip(kDir + rel));
  return json::parse(in);
}

Hparams small_hparams() {
  return hparams_from_json_file(vctest::fixture_or_skip(kDir + "config_small.json"));
}

// Every (name, shape) of a module's state dict against a manifest list (order-insensitive, exact shapes).
void check_manifest(torch::nn::Module& m, const json& entries) {
  std::map<std::string, std::vector<int64_t>> ours;
  for (const auto& p : m.named_parameters()) ours[p.key()] = p.value().sizes().vec();
  for (const auto& b : m.named_buffers()) ours[b.key()] = b.value().sizes().vec();
  std::map<std::string, std::vector<int64_t>> theirs;
  for (const auto& e : entries)
    theirs[e.at("name").get<std::string>()] = e.at("shape").get<std::vector<int64_t>>();
  for (const auto& [name, shape] : theirs) {
    INFO(name);
    REQUIRE(ours.count(name) == 1);
    CHECK(ours[name] == shape);
  }
  CHECK(ours.size() == theirs.size());
}

int64_t count_parameters(torch::nn::Module& m) {
  int64_t n = 0;
  for (const auto& p : m.parameters()) n += p.numel();
  return n;
}

double rel_error(const at::Tensor& a, const at::Tensor& b) {
  return vctest::max_abs_diff(a, b) / b.abs().max().item<double>();
}

Generator loaded_small_generator() {
  Generator g(small_hparams());
  ckpt::Value root = ckpt::load(vctest::fixture_or_skip(kDir + "g_00000000.pt"));
  ckpt::load_into_module(*g, root.at("generator"));
  g->eval();
  return g;
}

}  // namespace

TEST_CASE("MockingBird JSON configs parse, inconsistent ones are refused with the key") {
  Hparams shipped = hparams_from_json_file(vctest::fixture_or_skip(kDir + "config_16k_shipped.json"));
  CHECK(shipped.upsample_rates == std::vector<int64_t>{5, 5, 4, 2});
  CHECK(shipped.upsample_initial_channel == 512);
  CHECK(shipped.fmax_for_loss < 0);  // null
  CHECK(shipped.loss_fmax() == 8000.0);
  CHECK(shipped.samples_per_frame() == 200);
  CHECK(small_hparams().upsample_initial_channel == 32);
  // Round trip through our JSON writer.
  Hparams back = hparams_from_json(hparams_to_json(shipped), "roundtrip");
  CHECK(back.resblock_dilation_sizes == shipped.resblock_dilation_sizes);
  CHECK(back.fmax == shipped.fmax);
  CHECK_THROWS_WITH(hparams_from_json(R"({"upsample_rates": [5, 5, 4, 4]})", "x.json"),
                    Catch::Contains("x.json") && Catch::Contains("hop_size is 200"));
  CHECK_THROWS_WITH(hparams_from_json(R"({"resblock": "3"})", "x.json"), Catch::Contains("resblock"));
  CHECK_THROWS_WITH(hparams_from_json(R"({"upsample_rates": "5"})", "x.json"),
                    Catch::Contains("'upsample_rates' must be a list of integers"));
  CHECK_THROWS_AS(hparams_from_json("{not json", "x.json"), UserError);
}

TEST_CASE("A seeded generator equals MockingBird's seeded Generator(h) (g_00000000.pt), tensor for tensor") {
  ckpt::Value root = ckpt::load(vctest::fixture_or_skip(kDir + "g_00000000.pt"));
  torch::manual_seed(1234);
  Generator g(small_hparams());
  auto ref = ckpt::flatten_state_dict(root.at("generator"));
  auto ours = g->named_parameters();
  REQUIRE(ours.size() == ref.size());
  for (const auto& [name, t] : ref) {
    INFO(name);
    REQUIRE(ours.contains(name));
    CHECK(vctest::max_abs_diff(ours[name], t) == 0.0);
  }
}

TEST_CASE("Generator output and activations match MockingBird with weight norm, then without") {
  auto io = vctest::load_pt_dict(vctest::fixture_or_skip(kDir + "generator_io.pt"));
  Generator g = loaded_small_generator();
  torch::NoGradGuard no_grad;
  Activations acts;
  at::Tensor out = g->forward(io.at("mel_input"));
  CHECK(out.sizes() == io.at("audio_weight_norm").sizes());
  CHECK(vctest::max_abs_diff(out, io.at("audio_weight_norm")) <= 1e-5);

  g->forward(io.at("mel_input").narrow(0, 0, 1), &acts);
  const std::vector<std::pair<std::string, std::string>> taps = {
      {"conv_pre", "act_item0_conv_pre_out"},           {"ups.0", "act_item0_ups0_out"},
      {"resblocks.0", "act_item0_resblock0_out"},       {"resblocks.1", "act_item0_resblock1_out"},
      {"resblocks.2", "act_item0_resblock2_out"},       {"ups.1", "act_item0_ups1_out"},
      {"conv_post", "act_item0_conv_post_out_pre_tanh"}};
  for (const auto& [ours, theirs] : taps) {
    INFO(ours);
    REQUIRE(acts.count(ours) == 1);
    REQUIRE(acts[ours].sizes() == io.at(theirs).sizes());
    CHECK(rel_error(acts[ours], io.at(theirs)) <= 1e-5);
  }

  g->remove_weight_norm();
  CHECK_FALSE(g->has_weight_norm());
  at::Tensor out_removed = g->forward(io.at("mel_input"));
  CHECK(vctest::max_abs_diff(out_removed, io.at("audio_removed_weight_norm")) <= 1e-5);
  // The same under InferenceMode with the in-place fast path.
  {
    c10::InferenceMode guard;
    CHECK(vctest::max_abs_diff(g->forward(io.at("mel_input")), io.at("audio_removed_weight_norm")) <= 1e-5);
  }
}

TEST_CASE("remove_weight_norm leaves MockingBird's plain weights") {
  auto ref = vctest::load_pt_dict(vctest::fixture_or_skip(kDir + "generator_removed_weight_norm_state.pt"));
  Generator g = loaded_small_generator();
  g->remove_weight_norm();
  auto ours = g->named_parameters();
  CHECK(ours.size() == ref.size());
  for (const auto& [name, t] : ref) {
    INFO(name);
    REQUIRE(ours.contains(name));
    CHECK(vctest::max_abs_diff(ours[name], t) <= 1e-7);
  }
  check_manifest(*g, read_json("manifest_generator_small.json").at("state_dict_after_remove_weight_norm"));
}

TEST_CASE("Generator state dicts have MockingBird's names and shapes (small and full size)") {
  json small = read_json("manifest_generator_small.json");
  Generator g(small_hparams());
  check_manifest(*g, small.at("state_dict"));
  CHECK(count_parameters(*g) == small.at("num_parameters").get<int64_t>());

  json full = read_json("manifest_generator_full.json");
  Generator big(hparams_from_json_file(vctest::fixture_or_skip(kDir + "config_16k_shipped.json")));
  check_manifest(*big, full.at("state_dict"));
  CHECK(count_parameters(*big) == full.at("num_parameters").get<int64_t>());
  torch::NoGradGuard no_grad;
  CHECK(big->forward(torch::zeros({1, 80, 3})).sizes() == std::vector<int64_t>{1, 1, 600});
}

TEST_CASE("MPD and MSD have MockingBird's names and shapes, their outputs line up") {
  json m = read_json("manifest_discriminators.json");
  MultiPeriodDiscriminator mpd;
  MultiScaleDiscriminator msd;
  check_manifest(*mpd, m.at("mpd").at("state_dict"));
  check_manifest(*msd, m.at("msd").at("state_dict"));
  CHECK(count_parameters(*mpd) == m.at("mpd").at("num_parameters").get<int64_t>());
  CHECK(count_parameters(*msd) == m.at("msd").at("num_parameters").get<int64_t>());

  torch::NoGradGuard no_grad;
  at::Tensor y = torch::randn({2, 1, 6401}) * 0.1, y_hat = torch::randn({2, 1, 6401}) * 0.1;
  DiscOutputs p = mpd->forward(y, y_hat);
  REQUIRE(p.real.size() == 5);
  for (size_t i = 0; i < 5; ++i) {
    CHECK(p.fmap_real[i].size() == 6);  // 5 convs + conv_post
    CHECK(p.real[i].size(0) == 2);
  }
  DiscOutputs s = msd->forward(y, y_hat);
  REQUIRE(s.real.size() == 3);
  CHECK(s.fmap_fake[2].size() == 8);  // 7 convs + conv_post
  // Identical inputs (eval: no spectral-norm power iteration between the two calls): no feature-matching
  // loss. In training mode the first scale's weight moves between the calls, as in PyTorch.
  msd->eval();
  DiscOutputs same = msd->forward(y, y);
  CHECK(feature_loss(same.fmap_real, same.fmap_fake).item<double>() == 0.0);
  std::vector<at::Tensor> ones = {torch::ones({2, 5})}, zeros = {torch::zeros({2, 5})};
  CHECK(discriminator_loss(ones, zeros).item<double>() == 0.0);
  CHECK(discriminator_loss(zeros, ones).item<double>() == 2.0);
  CHECK(generator_loss(zeros).item<double>() == 1.0);
}

TEST_CASE("Spectral norm: one power iteration per training forward, the weight scaled by 1/sigma") {
  // Seeded: how fast power iteration converges depends on the gap between the two largest singular values
  // of the random weight (unseeded, 30 iterations missed 1e-4 about once in a few hundred runs).
  at::manual_seed(7);
  NormConvOptions o;
  o.in = 4;
  o.out = 6;
  o.kernel = {3};
  o.norm = Norm::Spectral;
  NormConv c(o);
  c->train();
  at::Tensor w;
  for (int i = 0; i < 100; ++i) w = c->weight();  // converges to the top singular value
  CHECK(std::abs(at::linalg_svdvals(w.detach().reshape({6, -1})).max().item<double>() - 1.0) < 1e-4);
  at::Tensor u = c->named_buffers()["weight_u"].clone();
  c->eval();
  c->weight();
  CHECK(vctest::max_abs_diff(c->named_buffers()["weight_u"], u) == 0.0);  // eval: no update
}
