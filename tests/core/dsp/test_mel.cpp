// Mel filterbank, encoder mel and synthesizer mel (forward and inverse steps) against RTVC's references.
#include <ATen/ATen.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "parity.h"
#include "voxclone/dsp.h"
#include "voxclone/error.h"
#include "voxclone/mel_scale.h"
#include "voxclone/npy.h"

using namespace voxclone;

TEST_CASE("mel_filterbank matches librosa.filters.mel (Slaney)", "[dsp][mel]") {
  const auto& synth = dsptest::synth_audio();
  at::Tensor b80 = mel_filterbank(16000, 800, 80, 55.0, 7600.0);
  CHECK(b80.scalar_type() == at::kFloat);
  dsptest::check_close("mel_basis (80 x 401, fmin 55, fmax 7600)", b80, synth.at("mel_basis"), 1e-7, 0);
  const auto& enc = dsptest::encoder_audio();
  at::Tensor b40 = mel_filterbank(16000, 400, 40, 0.0, 8000.0);
  dsptest::check_close("librosa_mel_basis_40 (40 x 201)", b40, enc.at("librosa_mel_basis_40"), 1e-7, 0);
  CHECK_THROWS_AS(mel_filterbank(16000, 400, 0, 0.0, 8000.0), UserError);
}

TEST_CASE("synthesizer mel forward steps match RTVC stage by stage", "[dsp][mel]") {
  const auto& ref = dsptest::synth_audio();
  const MelSettings s;
  // Each stage from the reference input of that stage.
  dsptest::check_close("mel_linear (from reference stft_magnitude)",
                       linear_to_mel(ref.at("stft_magnitude"), s), ref.at("mel_linear"), 1e-6, 1e-4);
  dsptest::check_close("mel_db (from reference mel_linear)", amp_to_db(ref.at("mel_linear"), s),
                       ref.at("mel_db"), 2e-2, 0);
  dsptest::check_close("mel (from reference mel_db)", normalize_mel(ref.at("mel_db"), s), ref.at("mel"), 1e-4,
                       0);
  // Chained from the wav.
  at::Tensor mag =
      stft(preemphasis(ref.at("wav_rescaled"), s.preemphasis), s.n_fft, s.hop_size, s.win_size).abs();
  at::Tensor lin = linear_to_mel(mag, s);
  dsptest::check_close("mel_linear (end to end)", lin, ref.at("mel_linear"), 1e-6, 1e-4);
  at::Tensor db = amp_to_db(lin, s);
  dsptest::check_close("mel_db (end to end)", db, ref.at("mel_db"), 2e-2, 0);
  at::Tensor mel = synthesizer_mel(dsptest::to_vector(ref.at("wav_rescaled")), s);
  CHECK(mel.scalar_type() == at::kFloat);
  dsptest::check_close("mel (end to end, synthesizer_mel)", mel, ref.at("mel"), 1e-4, 0);
}

TEST_CASE("synthesizer mel inverse steps match RTVC stage by stage", "[dsp][mel]") {
  const auto& ref = dsptest::synth_audio();
  const MelSettings s;
  dsptest::check_close("inv_denormalized (from reference mel)", denormalize_mel(ref.at("mel"), s),
                       ref.at("inv_denormalized"), 1e-4, 0);
  dsptest::check_close("inv_amp (from reference inv_denormalized)",
                       db_to_amp(ref.at("inv_denormalized") + s.ref_level_db), ref.at("inv_amp"), 0, 1e-5);
  at::Tensor inv = inverse_mel_basis(s);
  CHECK(inv.scalar_type() == at::kFloat);
  dsptest::check_close("inv_mel_basis (numpy pinv)", inv, ref.at("inv_mel_basis"), 1e-4, 0);
  dsptest::check_close("inv_linear (from reference inv_amp)", mel_to_linear(ref.at("inv_amp"), s),
                       ref.at("inv_linear"), 2e-5, 1e-4);
  // Chained from the reference mel.
  at::Tensor amp = db_to_amp(denormalize_mel(ref.at("mel"), s) + s.ref_level_db);
  dsptest::check_close("inv_amp (end to end from mel)", amp, ref.at("inv_amp"), 0, 1e-5);
  dsptest::check_close("inv_linear (end to end from mel)", mel_to_linear(amp, s), ref.at("inv_linear"), 2e-5,
                       1e-4);
}

TEST_CASE("encoder mel matches RTVC's wav_to_mel_spectrogram", "[dsp][mel][encoder]") {
  const auto& ref = dsptest::encoder_audio();
  at::Tensor mel = encoder_mel(dsptest::to_vector(ref.at("wav_preprocessed")));
  CHECK(mel.scalar_type() == at::kFloat);
  dsptest::check_close("encoder mel (466 x 40, from wav_preprocessed)", mel, ref.at("mel"), 1e-5, 1e-5);
}

TEST_CASE("encoder mel slices match embed_utterance's frames_batch", "[dsp][mel][encoder]") {
  const auto& ref = dsptest::encoder_audio();
  const auto emb = vctest::load_pt_dict(vctest::fixture_or_skip("rtvc/encoder/embed_utterance.pt"));
  const at::Tensor slices = emb.at("wave_slices");
  const at::Tensor expected = emb.at("frames_batch");
  // embed_utterance zero-pads the wav up to the last slice's end, takes the mel, and cuts 160-frame windows
  // whose starts are the wave slice starts over the 160-sample hop.
  std::vector<float> wav = dsptest::to_vector(ref.at("wav_preprocessed"));
  const int64_t last_stop = slices[slices.size(0) - 1][1].item<int64_t>();
  if (last_stop >= static_cast<int64_t>(wav.size())) wav.resize(static_cast<size_t>(last_stop), 0.0f);
  const at::Tensor mel = encoder_mel(wav);
  std::vector<at::Tensor> parts;
  for (int64_t i = 0; i < slices.size(0); ++i)
    parts.push_back(mel.narrow(0, slices[i][0].item<int64_t>() / 160, 160));
  dsptest::check_close("frames_batch (5 x 160 x 40)", at::stack(parts), expected, 1e-5, 1e-5);
}

TEST_CASE("synthesizer_mel of the sv2tts audio files gives RTVC's preprocessed mel files",
          "[dsp][mel][npy]") {
  // synthesizer/preprocess.py saved melspectrogram(wav).T next to the wav it came from.
  const std::string dir = "rtvc/synthesizer/sv2tts/SV2TTS/synthesizer/";
  std::ifstream train(vctest::fixture_or_skip(dir + "train.txt"));
  std::string line;
  int rows = 0;
  double worst = 0;
  while (std::getline(train, line)) {
    std::stringstream ss(line);
    std::string audio_file, mel_file;
    std::getline(ss, audio_file, '|');
    std::getline(ss, mel_file, '|');
    const at::Tensor wav = read_npy(vctest::fixture_or_skip(dir + "audio/" + audio_file));
    const at::Tensor expected = read_npy(vctest::fixture_or_skip(dir + "mels/" + mel_file));
    const at::Tensor mel = synthesizer_mel(dsptest::to_vector(wav)).t();
    REQUIRE(mel.sizes() == expected.sizes());
    worst = std::max(worst, vctest::max_abs_diff(mel, expected));
    ++rows;
  }
  CHECK(rows == 7);
  std::cout << "[parity] sv2tts mel-*.npy (7 files): max abs err " << worst << " (tolerance 1e-3)"
            << std::endl;
  CHECK(worst <= 1e-3);
}

TEST_CASE("mel settings read from a plugin configuration, and impossible ones refused", "[dsp][mel]") {
  // RTVC's synthesizer/hparams.py values, as a plugin's config.toml would hold them.
  const std::string rtvc =
      "sample_rate = 16000\nn_fft = 800\nhop_size = 200\nwin_size = 800\nnum_mels = 80\nfmin = 55.0\n"
      "fmax = 7600.0\npreemphasize = true\npreemphasis = 0.97\nmin_level_db = -100.0\nref_level_db = 20.0\n"
      "max_abs_value = 4.0\nsymmetric_mels = true\nsignal_normalization = true\n"
      "allow_clipping_in_normalization = true\npower = 1.5\nn_iter = 60\n";
  voxclone::MelSettings s = voxclone::mel_settings_from_config(voxclone::Config::from_toml(rtvc), "x", "n_iter");
  voxclone::MelSettings d;
  CHECK(s.sample_rate == 16000);
  CHECK(s.hop_size == 200);
  CHECK(s.fmax == 7600.0);
  CHECK(s.griffin_lim_iters == 60);
  CHECK_NOTHROW(voxclone::check_mel_compatible(s, d, "config", "RTVC defaults"));
  auto with = [&](const std::string& from, const std::string& to) {
    std::string text = rtvc;
    return voxclone::Config::from_toml(text.replace(text.find(from), from.size(), to));
  };
  CHECK_THROWS_WITH(voxclone::mel_settings_from_config(with("fmax = 7600.0", "fmax = 9000.0"), "griffinlim", "n_iter"),
                    Catch::Contains("griffinlim: need 0 <= fmin < fmax <= sample_rate / 2"));
  CHECK_THROWS_WITH(voxclone::mel_settings_from_config(with("win_size = 800", "win_size = 900"), "tacotron", "n_iter"),
                    Catch::Contains("tacotron: need num_mels >= 1"));
  CHECK_THROWS_WITH(voxclone::mel_settings_from_config(with("n_iter = 60", "n_iter = 0"), "griffinlim", "n_iter"),
                    Catch::Contains("griffinlim: n_iter must be at least 1"));
}

TEST_CASE("Slaney mel scale: librosa's hz_to_mel and mel_to_hz", "[dsp][mel]") {
  // librosa.hz_to_mel(htk=False) for 500, 1000, 4000 and 8000 Hz (computed with Python's math module).
  const double hz[] = {500.0, 1000.0, 4000.0, 8000.0};
  const double mel[] = {7.5, 15.0, 35.163760314616646, 45.245640471924965};
  for (int i = 0; i < 4; ++i) {
    CHECK(hz_to_mel(hz[i]) == Approx(mel[i]).epsilon(1e-12));
    CHECK(mel_to_hz(mel[i]) == Approx(hz[i]).epsilon(1e-12));
  }
}
