// The packed inference LSTMs (voxclone/fast_lstm.h) against LibTorch's LSTMCell and LSTM.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "voxclone/fast_lstm.h"

using namespace voxclone;

namespace {

double max_abs(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

LstmWeights cell_weights(const torch::nn::LSTMCell& cell) {
  return {cell->weight_ih, cell->weight_hh, cell->bias_ih, cell->bias_hh};
}

}  // namespace

TEST_CASE("FastLstmCell equals LSTMCell for every batch size") {
  torch::NoGradGuard ng;
  torch::manual_seed(3);
  const auto dims = GENERATE(std::make_pair(int64_t(24), int64_t(16)), std::make_pair(int64_t(80), int64_t(48)),
                             std::make_pair(int64_t(1024), int64_t(1024)));
  torch::nn::LSTMCell cell(dims.first, dims.second);
  FastLstmCell fast;
  fast.prepare(cell_weights(cell));
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
  fast.prepare(cell_weights(cell));
  torch::Tensor before = fast.step(x, h, c).first;
  cell->weight_ih.mul_(-2.0);  // as an optimiser step would (bumps the version counter)
  fast.prepare(cell_weights(cell));
  auto [h_fast, c_fast] = fast.step(x, h, c);
  auto [h_ref, c_ref] = cell(x, std::make_tuple(h, c));
  CHECK(max_abs(h_fast, h_ref) < 2e-6);
  CHECK(max_abs(h_fast, before) > 1e-3);
}

TEST_CASE("FastLstm over a sequence equals torch::nn::LSTM's last hidden state") {
  torch::NoGradGuard ng;
  torch::manual_seed(5);
  const int64_t layers = GENERATE(1, 3);
  torch::nn::LSTM lstm(torch::nn::LSTMOptions(40, 64).num_layers(layers).batch_first(true));
  std::vector<LstmWeights> w;
  for (int64_t l = 0; l < layers; ++l) {
    auto p = lstm->named_parameters();
    const std::string s = std::to_string(l);
    w.push_back({p["weight_ih_l" + s], p["weight_hh_l" + s], p["bias_ih_l" + s], p["bias_hh_l" + s]});
  }
  REQUIRE(fast_lstm_supports(w[0]));
  FastLstm fast;
  fast.prepare(w);
  for (int64_t batch : {1, 5, 12}) {
    INFO(layers << " layer(s), batch " << batch << ", kernel " << fast_lstm_isa());
    torch::Tensor x = torch::randn({batch, 50, 40});
    auto out = lstm->forward(x);
    torch::Tensor ref = std::get<0>(std::get<1>(out))[layers - 1];
    torch::Tensor got = fast.last_hidden(x);
    REQUIRE(got.sizes() == ref.sizes());
    CHECK(max_abs(got, ref) < 1e-5);
  }
}

TEST_CASE("fast_lstm_supports refuses what the kernels cannot run") {
  torch::nn::LSTMCell odd(8, 18);  // hidden size not a multiple of 16
  CHECK_FALSE(fast_lstm_supports(cell_weights(odd)));
  torch::nn::LSTMCell dbl(8, 16);
  dbl->to(torch::kDouble);
  CHECK_FALSE(fast_lstm_supports(cell_weights(dbl)));
  FastLstmCell fast;
  CHECK_THROWS(fast.prepare(cell_weights(odd)));
}
