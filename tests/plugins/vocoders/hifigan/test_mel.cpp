// meldataset.mel_spectrogram (the loss mel) and the synthesizer mel HiFi-GAN consumes, against
// mel_reference.pt.
#include <torch/torch.h>

#include <catch2/catch.hpp>

#include "fixtures.h"
#include "hifigan_model.h"
#include "voxclone/dsp.h"

using namespace voxclone;
using namespace voxclone::hifigan;

namespace {
Hparams shipped() {
  return hparams_from_json_file(vctest::fixture_or_skip("mockingbird/hifigan/config_16k_shipped.json"));
}
}  // namespace

TEST_CASE("Loss mel equals meldataset.mel_spectrogram (fmax 7600 and fmax None)") {
  auto ref = vctest::load_pt_dict(vctest::fixture_or_skip("mockingbird/hifigan/mel_reference.pt"));
  Hparams h = shipped();
  LossMel m7600(h, h.fmax), mfull(h, h.loss_fmax());
  CHECK(vctest::max_abs_diff(m7600.basis(), ref.at("mel_basis_fmax7600")) <= 1e-6);
  CHECK(vctest::max_abs_diff(mfull.basis(), ref.at("mel_basis_fmax_none")) <= 1e-6);
  CHECK(vctest::max_abs_diff(m7600.window(), ref.at("hann_window")) <= 1e-7);
  const at::Tensor& wav = ref.at("wav");
  at::Tensor a = m7600(wav), b = mfull(wav);
  REQUIRE(a.sizes() == ref.at("mel_fmax7600").sizes());
  REQUIRE(b.sizes() == ref.at("mel_fmax_none").sizes());
  CHECK(vctest::max_abs_diff(a, ref.at("mel_fmax7600")) <= 1e-3);
  CHECK(vctest::max_abs_diff(b, ref.at("mel_fmax_none")) <= 1e-3);
  // Differentiable, as the L1 mel loss needs.
  at::Tensor y = wav.clone().requires_grad_(true);
  mfull(y).mean().backward();
  CHECK(y.grad().abs().sum().item<double>() > 0);
}

TEST_CASE(
    "The generator's input is MockingBird's synthesizer mel (interior frames, see README on the edges)") {
  auto ref = vctest::load_pt_dict(vctest::fixture_or_skip("mockingbird/hifigan/mel_reference.pt"));
  const at::Tensor& wav = ref.at("wav");
  std::vector<float> samples(wav.data_ptr<float>(), wav.data_ptr<float>() + wav.numel());
  Hparams h = shipped();
  at::Tensor ours = synthesizer_mel(samples, h.input_mel());
  const at::Tensor& theirs = ref.at("synth_mel");
  REQUIRE(ours.sizes() == theirs.sizes());
  // librosa 0.8.1 (MockingBird) pads the STFT by reflection, 0.9.2 (RTVC, our dsp) with zeros: the first and
  // last two frames (n_fft/2 = 400 samples = 2 hops) differ, every other frame must agree.
  const int64_t t = theirs.size(1);
  CHECK(vctest::max_abs_diff(ours.narrow(1, 2, t - 4), theirs.narrow(1, 2, t - 4)) <= 1e-3);
}
