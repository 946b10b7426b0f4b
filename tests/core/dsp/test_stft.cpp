// STFT, ISTFT, window and pre-emphasis tests against RTVC's synthesizer audio references (librosa 0.9.2).
#include <ATen/ATen.h>

#include <catch2/catch.hpp>

#include "parity.h"
#include "voxclone/dsp.h"
#include "voxclone/error.h"

using namespace voxclone;

TEST_CASE("hann_window_periodic is scipy's periodic Hann", "[dsp][stft]") {
  // torch's periodic Hann is an independent implementation of the same definition.
  for (int64_t n : {1, 2, 7, 400, 800}) {
    INFO("n = " << n);
    at::Tensor w = hann_window_periodic(n);
    CHECK(w.scalar_type() == at::kDouble);
    CHECK(vctest::max_abs_diff(w, at::hann_window(n, /*periodic=*/true, at::kDouble)) < 1e-15);
  }
  CHECK(hann_window_periodic(800)[0].item<double>() == 0.0);
  CHECK(hann_window_periodic(800)[400].item<double>() == 1.0);
}

TEST_CASE("preemphasis matches RTVC's lfilter and deemphasis inverts it", "[dsp][stft]") {
  const auto& ref = dsptest::synth_audio();
  at::Tensor pre = preemphasis(ref.at("wav_rescaled"), 0.97);
  CHECK(pre.scalar_type() == at::kDouble);
  dsptest::check_close("preemphasized", pre, ref.at("preemphasized"), 1e-6, 0);
  CHECK(vctest::max_abs_diff(deemphasis(pre, 0.97), ref.at("wav_rescaled")) < 1e-12);
}

TEST_CASE("stft magnitude matches RTVC's _stft (zero-padded center, float64)", "[dsp][stft]") {
  const auto& ref = dsptest::synth_audio();
  // From the reference input of this stage...
  at::Tensor spec = stft(ref.at("preemphasized"), 800, 200, 800);
  CHECK(spec.scalar_type() == at::kComplexDouble);
  CHECK(spec.sizes().vec() == std::vector<int64_t>{401, 129});
  dsptest::check_close("stft_magnitude (from reference preemphasized)", spec.abs(), ref.at("stft_magnitude"),
                       1e-5, 0);
  // ...and end to end from the rescaled wav.
  at::Tensor e2e = stft(preemphasis(ref.at("wav_rescaled"), 0.97), 800, 200, 800).abs();
  dsptest::check_close("stft_magnitude (end to end)", e2e, ref.at("stft_magnitude"), 1e-5, 0);
}

TEST_CASE("stft frames follow librosa: 1 + len / hop, zero (not reflect) padding", "[dsp][stft]") {
  CHECK(stft(at::zeros({1000}), 400, 160, 400).size(1) == 1 + 1000 / 160);
  CHECK(stft(at::zeros({0}), 400, 160, 400).size(1) == 1);
  // A unit impulse at sample 5: with zero padding the first frame holds just that impulse (a flat magnitude
  // equal to the window there); reflect padding would add a mirrored copy at -5 and make it ripple.
  at::Tensor x = at::zeros({1600}, at::kDouble);
  x[5] = 1.0;
  at::Tensor first = stft(x, 400, 160, 400).select(1, 0).abs();
  const double w = hann_window_periodic(400)[205].item<double>();
  CHECK(first.max().item<double>() == Approx(w).margin(1e-12));
  CHECK(first.min().item<double>() == Approx(w).margin(1e-12));
  CHECK_THROWS_AS(stft(at::zeros({10}), 400, 0, 400), UserError);
  CHECK_THROWS_AS(stft(at::zeros({10}), 400, 100, 500), UserError);
}

TEST_CASE("istft inverts stft (window sum-square normalisation, (frames-1)*hop samples)", "[dsp][stft]") {
  const auto& ref = dsptest::synth_audio();
  at::Tensor x = ref.at("preemphasized");
  at::Tensor spec = stft(x, 800, 200, 800);
  at::Tensor y = istft(spec, 200, 800);
  REQUIRE(y.numel() == (spec.size(1) - 1) * 200);
  double err = vctest::max_abs_diff(y, x.narrow(0, 0, y.numel()));
  std::cout << "[parity] istft(stft(x)) round trip: max abs err " << err << std::endl;
  CHECK(err < 1e-12);
  // `length` trims or zero-pads like librosa.util.fix_length.
  at::Tensor shorter = istft(spec, 200, 800, 1000);
  CHECK(shorter.numel() == 1000);
  CHECK(vctest::max_abs_diff(shorter, x.narrow(0, 0, 1000)) < 1e-12);
  at::Tensor longer = istft(spec, 200, 800, x.numel() + 300);
  CHECK(longer.numel() == x.numel() + 300);
  CHECK(vctest::max_abs_diff(longer.narrow(0, 0, x.numel()), x) < 1e-12);
  // A signal whose length is not a multiple of hop is recovered except for the tail past the last frame.
  at::Tensor odd = x.narrow(0, 0, 10123);
  at::Tensor back = istft(stft(odd, 800, 200, 800), 200, 800, odd.numel());
  CHECK(vctest::max_abs_diff(back, odd) < 1e-12);
}
