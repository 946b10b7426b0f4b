// Tacotron generation with the packed decoder LSTMs (the default) against LibTorch's LSTMCells.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "tacotron_model.h"

using namespace voxclone::tacotron;

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
  CHECK((fast.mel_outputs - ref.mel_outputs).abs().max().item<double>() < 1e-4);
  CHECK((fast.postnet_outputs - ref.postnet_outputs).abs().max().item<double>() < 1e-4);
  CHECK((fast.attention - ref.attention).abs().max().item<double>() < 1e-5);
}
