// Griffin-Lim and inv_mel_spectrogram: convergence on a real utterance, output length, seeding, speed.
// (RTVC draws random phases, so there is no reference waveform to compare with.)
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <catch2/catch.hpp>
#include <chrono>

#include "parity.h"
#include "voxclone/dsp.h"
#include "voxclone/error.h"

using namespace voxclone;

namespace {

// ||S - |STFT(y)||| / ||S||: how far the signal's magnitude is from the target.
double spectral_convergence(const at::Tensor& S, const at::Tensor& y, const MelSettings& s) {
  const at::Tensor got = stft(y, s.n_fft, s.hop_size, s.win_size).abs();
  REQUIRE(got.sizes() == S.sizes());
  const at::Tensor target = S.to(at::kDouble);
  return (target - got).norm().item<double>() / target.norm().item<double>();
}

}  // namespace

TEST_CASE("griffin_lim converges towards a real utterance's magnitude", "[dsp][griffin_lim]") {
  const auto& ref = dsptest::synth_audio();
  const MelSettings s;
  // A consistent target: the magnitude of the pre-emphasised utterance itself.
  const at::Tensor S = stft(ref.at("preemphasized"), s.n_fft, s.hop_size, s.win_size).abs();
  const at::Tensor y0 = griffin_lim(S, 0, s.n_fft, s.hop_size, s.win_size, 7);
  const at::Tensor y30 = griffin_lim(S, 30, s.n_fft, s.hop_size, s.win_size, 7);
  CHECK(y30.scalar_type() == at::kFloat);
  CHECK(y30.numel() == (S.size(1) - 1) * s.hop_size);
  const double sc0 = spectral_convergence(S, y0, s), sc30 = spectral_convergence(S, y30, s);
  std::cout << "[griffin_lim] consistent target: spectral convergence 0 it " << sc0 << ", 30 it " << sc30
            << std::endl;
  CHECK(sc30 < 0.35 * sc0);

  // The target RTVC really inverts: pinv mel → linear, raised to `power`.
  const at::Tensor P = ref.at("inv_linear").pow(s.power);
  const double p0 = spectral_convergence(P, griffin_lim(P, 0, s.n_fft, s.hop_size, s.win_size, 7), s);
  const double p30 = spectral_convergence(P, griffin_lim(P, 30, s.n_fft, s.hop_size, s.win_size, 7), s);
  std::cout << "[griffin_lim] pinv mel target: spectral convergence 0 it " << p0 << ", 30 it " << p30
            << std::endl;
  CHECK(p30 < 0.6 * p0);
}

TEST_CASE("griffin_lim is deterministic for a seed and differs across seeds", "[dsp][griffin_lim]") {
  const auto& ref = dsptest::synth_audio();
  const at::Tensor P = ref.at("inv_linear").pow(1.5);
  const at::Tensor a = griffin_lim(P, 5, 800, 200, 800, 42);
  const at::Tensor b = griffin_lim(P, 5, 800, 200, 800, 42);
  const at::Tensor c = griffin_lim(P, 5, 800, 200, 800, 43);
  CHECK(at::equal(a, b));
  CHECK_FALSE(at::equal(a, c));
  CHECK_THROWS_AS(griffin_lim(P, 5, 400, 200, 400, 1), UserError);  // 401 bins do not fit n_fft 400
}

TEST_CASE("inv_mel_spectrogram returns (frames-1)*hop samples whose mel resembles the input",
          "[dsp][griffin_lim]") {
  const auto& ref = dsptest::synth_audio();
  MelSettings s;
  s.griffin_lim_iters = 30;
  const at::Tensor mel = ref.at("mel");
  const std::vector<float> wav = inv_mel_spectrogram(mel, s, 11);
  CHECK(static_cast<int64_t>(wav.size()) == (mel.size(1) - 1) * s.hop_size);
  CHECK(wav == inv_mel_spectrogram(mel, s, 11));
  for (float v : wav) REQUIRE(std::isfinite(v));
  // Re-analysing the reconstruction lands nearer the mel it came from than random phases do.
  auto mel_error = [&](int iters) {
    MelSettings t = s;
    t.griffin_lim_iters = iters;
    const at::Tensor again = synthesizer_mel(inv_mel_spectrogram(mel, t, 11), t);
    REQUIRE(again.sizes() == mel.sizes());
    return (again - mel).abs().mean().item<double>();
  };
  const double e0 = mel_error(0), e30 = mel_error(30);
  std::cout << "[griffin_lim] mel of the reconstruction vs input mel, mean abs err: 0 it " << e0 << ", 30 it "
            << e30 << std::endl;
  CHECK(e30 < e0);
  CHECK_THROWS_AS(inv_mel_spectrogram(mel.narrow(0, 0, 40), s, 1), UserError);
}

TEST_CASE("inv_mel_spectrogram: 60 Griffin-Lim iterations on 5 s of audio run quickly",
          "[dsp][griffin_lim][speed]") {
  const auto& enc = dsptest::encoder_audio();
  const std::vector<float> wav = dsptest::to_vector(enc.at("wav_input"));  // 79920 samples = 5 s at 16 kHz
  const MelSettings s;                                                     // griffin_lim_iters = 60
  const at::Tensor mel = synthesizer_mel(wav, s);
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<float> out = inv_mel_spectrogram(mel, s, 1);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "[griffin_lim] 60 iterations, " << mel.size(1) << " frames (" << wav.size() / 16000.0
            << " s): " << seconds << " s with " << at::get_num_threads() << " threads" << std::endl;
  CHECK(static_cast<int64_t>(out.size()) == (mel.size(1) - 1) * s.hop_size);
  CHECK(seconds < 10.0);  // generous: a shared 2-core machine; typical runs are far below
}
