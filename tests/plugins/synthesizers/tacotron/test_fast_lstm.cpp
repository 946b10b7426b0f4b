// FastLstmCell (the packed inference LSTM of the Tacotron decoder) against torch::nn::LSTMCell.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "fast_lstm.h"
#include "tacotron_model.h"

using namespace voxclone::tacotron;

namespace {

double max_abs(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

}  // namespace

TEST_CASE("FastLstmCell equals LSTMCell for every batch size and for widths that are not a multiple of 16") {
  torch::NoGradGuard ng;
  torch::manual_seed(3);
  // (input, hidden): 4 * 18 = 72 outputs leaves a partial block of 8 columns.
  const auto dims = GENERATE(std::make_pair(int64_t(24), int64_t(18)), std::make_pair(int64_t(64), int64_t(32)),
                             std::make_pair(int64_t(1024), int64_t(1024)));
  torch::nn::LSTMCell cell(dims.first, dims.second);
  FastLstmCell fast;
  fast.prepare(cell->weight_ih, cell->weight_hh, cell->bias_ih, cell->bias_hh);
  INFO("input " << dims.first << ", hidden " << dims.second << ", kernel " << fast_lstm_isa());
  for (int64_t batch : {1, 2, 3, 5, 8, 9, 13}) {
    INFO("batch " << batch);
    torch::Tensor x = torch::randn({batch, dims.first}), h = torch::randn({batch, dims.second}),
                  c = torch::randn({batch, dims.second});
    auto [h_ref, c_ref] = cell(x, std::make_tuple(h, c));
    auto [h_fast, c_fast] = fast.step(x, h, c);
    REQUIRE(h_fast.sizes() == h_ref.sizes());
    CHECK(max_abs(h_fast, h_ref) < 2e-6);
    CHECK(max_abs(c_fast, c_ref) < 2e-5);
  }
}

TEST_CASE("FastLstmCell repacks when the weights change in place") {
  torch::NoGradGuard ng;
  torch::manual_seed(4);
  torch::nn::LSTMCell cell(16, 16);
  FastLstmCell fast;
  torch::Tensor x = torch::randn({2, 16}), h = torch::zeros({2, 16}), c = torch::zeros({2, 16});
  fast.prepare(cell->weight_ih, cell->weight_hh, cell->bias_ih, cell->bias_hh);
  torch::Tensor before = fast.step(x, h, c).first;
  cell->weight_ih.mul_(-2.0);  // as an optimiser step would (bumps the version counter)
  fast.prepare(cell->weight_ih, cell->weight_hh, cell->bias_ih, cell->bias_hh);
  auto [h_fast, c_fast] = fast.step(x, h, c);
  auto [h_ref, c_ref] = cell(x, std::make_tuple(h, c));
  CHECK(max_abs(h_fast, h_ref) < 2e-6);
  CHECK(max_abs(h_fast, before) > 1e-3);
}

TEST_CASE("full-size Tacotron: generation with the fast decoder stays within 1e-4 of LibTorch's cells") {
  torch::NoGradGuard ng;
  torch::manual_seed(5);
  TacotronImpl m(TacotronOptions{});
  m.set_prenet_dropout(0.0);
  torch::Tensor chars = torch::randint(2, 66, {3, 25}, torch::kLong);
  torch::Tensor embed = torch::nn::functional::normalize(torch::randn({3, 256}),
                                                         torch::nn::functional::NormalizeFuncOptions().dim(1));
  m.decoder->fast_inference = false;
  TacotronOutput ref = m.generate(chars, embed, 30, false);
  m.decoder->fast_inference = true;
  TacotronOutput fast = m.generate(chars, embed, 30, false);
  REQUIRE(fast.postnet_outputs.sizes() == ref.postnet_outputs.sizes());
  CHECK(max_abs(fast.mel_outputs, ref.mel_outputs) < 1e-4);
  CHECK(max_abs(fast.postnet_outputs, ref.postnet_outputs) < 1e-4);
  CHECK(max_abs(fast.attention, ref.attention) < 1e-5);
}
