// RTVC encoder preprocessing against the references: normalisation, webrtcvad's flags, exact trimming.
#include "audio_test_util.h"  // first: it fixes the CHECK macro clash, then includes Catch

#include <cmath>
#include <random>

#include "voxclone/audio.h"
#include "voxclone/error.h"

using namespace voxclone;

namespace {

struct Case {
  const char* name;
  const char* input;       // wav given to normalize_volume
  const char* normalized;  // reference normalize_volume output = VAD input
  const char* prefix;      // key prefix of the VAD references
  const char* preprocessed;
  bool gain_applied;
};
const Case kCases[] = {
    {"main", "wav_input", "wav_normalized", "", "wav_preprocessed", false},
    {"gap", "gap_in", "gap_normalized", "gap_", "gap_preprocessed", true},
};

std::map<std::string, at::Tensor> reference() {
  return vctest::load_pt_dict(vctest::fixture_or_skip("rtvc/encoder/encoder_audio.pt"));
}

std::string bits(const std::vector<bool>& v) {
  std::string s;
  for (bool b : v) s += b ? '1' : '0';
  return s;
}

}  // namespace

TEST_CASE("normalize_volume matches RTVC (increase only)") {
  auto ref = reference();
  for (const Case& c : kCases) {
    INFO("case " << c.name);
    std::vector<float> wav = vctest::to_floats(ref.at(c.input));
    const double gain = volume_gain_db(wav, -30.0);
    bool applied = normalize_volume(wav, -30.0, /*increase_only=*/true);
    CHECK(applied == c.gain_applied);
    double err = vctest::max_abs_diff(wav, ref.at(c.normalized));
    WARN(c.name << ": gain " << gain << " dB, max abs diff vs reference " << err);
    CHECK(err <= 1e-6);
  }
  // The fixture's README states the main gain: -13.4145 dB.
  CHECK(volume_gain_db(vctest::to_floats(ref.at("wav_input")), -30.0) == Approx(-13.4145).margin(1e-4));
  std::vector<float> w{0.5f, -0.5f};
  CHECK_THROWS_AS(normalize_volume(w, -30, true, true), UserError);
  CHECK(normalize_volume(w, -30.0, false, true));  // -6 dBFS -> -30: a decrease, allowed
  CHECK(w[0] == Approx(0.5 * std::pow(10.0, (-30.0 + 6.0206) / 20)).epsilon(1e-5));
}

TEST_CASE("webrtc_vad_flags equals webrtcvad's flags on every window") {
  auto ref = reference();
  for (const Case& c : kCases) {
    INFO("case " << c.name);
    std::vector<bool> expected = vctest::to_bools(ref.at(std::string(c.prefix) + "vad_flags"));
    std::vector<bool> got = webrtc_vad_flags(vctest::to_floats(ref.at(c.normalized)), 16000);
    REQUIRE(expected.size() == (c.gain_applied ? 96u : 166u));
    CHECK(bits(got) == bits(expected));
  }
}

TEST_CASE("trim_long_silences reproduces RTVC exactly, webrtcvad stage included") {
  auto ref = reference();
  for (const Case& c : kCases) {
    INFO("case " << c.name);
    const std::string p = c.prefix;
    VadTrace trace;
    std::vector<float> out = trim_long_silences(vctest::to_floats(ref.at(c.normalized)), 16000, {}, &trace);
    CHECK(bits(trace.flags) == bits(vctest::to_bools(ref.at(p + "vad_flags"))));
    CHECK(bits(trace.smoothed) == bits(vctest::to_bools(ref.at(p + "vad_mask_smoothed"))));
    CHECK(bits(trace.dilated) == bits(vctest::to_bools(ref.at(p + "vad_mask_dilated"))));
    REQUIRE(out.size() == size_t(ref.at(c.preprocessed).numel()));
    CHECK(vctest::max_abs_diff(out, ref.at(c.preprocessed)) <= 1e-6);
  }
}

TEST_CASE("trim_long_silences needs a rate and window webrtcvad takes") {
  const std::vector<float> wav(22050, 0.1f);
  CHECK_THROWS_WITH(trim_long_silences(wav, 22050), Catch::Contains("22050 Hz") && Catch::Contains("webrtcvad"));
  VadParams p;
  p.window_ms = 25;
  CHECK_THROWS_AS(trim_long_silences(std::vector<float>(16000, 0.1f), 16000, p), UserError);
  CHECK_THROWS_AS(webrtc_vad_flags(wav, 44100), UserError);
}

TEST_CASE("trim_with_flags reproduces RTVC exactly given webrtcvad's flags") {
  auto ref = reference();
  for (const Case& c : kCases) {
    INFO("case " << c.name);
    const std::string p = c.prefix;
    std::vector<float> wav = vctest::to_floats(ref.at(c.normalized));
    VadTrace trace;
    std::vector<float> out = trim_with_flags(wav, vctest::to_bools(ref.at(p + "vad_flags")), 16000, {}, &trace);
    CHECK(trace.samples_per_window == 480);
    CHECK(bits(trace.smoothed) == bits(vctest::to_bools(ref.at(p + "vad_mask_smoothed"))));
    CHECK(bits(trace.dilated) == bits(vctest::to_bools(ref.at(p + "vad_mask_dilated"))));
    REQUIRE(out.size() == size_t(ref.at(c.preprocessed).numel()));
    CHECK(vctest::max_abs_diff(out, ref.at(c.preprocessed)) <= 1e-6);
  }
}

TEST_CASE("trim_with_flags: RTVC's rounding and dilation on hand-made flags") {
  // Width 8: a run of exactly 4 speech windows averages to 0.5 at most, which np.round takes to 0.
  std::vector<float> wav(480 * 20, 0.1f);
  std::vector<bool> four(20, false);
  for (int i = 8; i < 12; ++i) four[size_t(i)] = true;
  VadTrace t;
  std::vector<float> out = trim_with_flags(wav, four, 16000, {}, &t);
  CHECK(bits(t.smoothed) == std::string(20, '0'));
  CHECK(out.empty());
  // Five: the centre windows reach 5/8 and dilation by ones(7) widens them by 3 on each side.
  four[12] = true;
  trim_with_flags(wav, four, 16000, {}, &t);
  CHECK(bits(t.smoothed) == "00000000111100000000");
  CHECK(bits(t.dilated) == "00000111111111100000");
  CHECK_THROWS_AS(trim_with_flags(wav, std::vector<bool>(20, false), 16000), UserError);
  CHECK_THROWS_AS(trim_with_flags(wav, std::vector<bool>(19, true), 16000), InternalError);
}

TEST_CASE("preprocess_for_encoder end to end equals RTVC's preprocess_wav") {
  auto ref = reference();
  for (const Case& c : kCases) {
    INFO("case " << c.name);
    Waveform in{vctest::to_floats(ref.at(c.input)), 16000};
    Waveform out = preprocess_for_encoder(in);
    CHECK(out.sample_rate == 16000);
    REQUIRE(out.samples.size() == size_t(ref.at(c.preprocessed).numel()));
    CHECK(vctest::max_abs_diff(out.samples, ref.at(c.preprocessed)) <= 1e-6);
  }
}

TEST_CASE("trim_long_silences on silence says no speech found") {
  std::mt19937 rng(7);
  std::normal_distribution<float> n(0.0f, 1e-4f);
  std::vector<float> hiss(16000);
  for (float& x : hiss) x = n(rng);
  CHECK_THROWS_WITH(trim_long_silences(hiss, 16000), Catch::Contains("no speech found"));
  CHECK_THROWS_AS(trim_long_silences(std::vector<float>(16000, 0.0f), 16000), UserError);
}

TEST_CASE("trim_long_silences on real LibriSpeech utterances keeps speech and drops a long pause") {
  const char* files[] = {"librispeech-mini/train-clean-100/909/131041/909-131041-0000.flac",
                         "librispeech-mini/train-clean-100/83/11691/83-11691-0000.flac"};
  for (const char* rel : files) {
    Waveform w = read_audio(vctest::shared_data_or_skip(rel));
    REQUIRE(w.sample_rate == 16000);
    Waveform plain = preprocess_for_encoder(w);
    const double kept = double(plain.samples.size()) / double(w.samples.size());

    // The same utterance with 2 s of near-silence spliced into its middle.
    std::mt19937 rng(1);
    std::normal_distribution<float> n(0.0f, 1e-4f);
    Waveform gapped = w;
    std::vector<float> pause(32000);
    for (float& x : pause) x = n(rng);
    gapped.samples.insert(gapped.samples.begin() + long(w.samples.size() / 2), pause.begin(), pause.end());
    Waveform trimmed = preprocess_for_encoder(gapped);
    const double extra = (double(trimmed.samples.size()) - double(plain.samples.size())) / 16000.0;
    WARN(rel << ": " << w.seconds() << " s, kept " << kept * 100 << "%; a 2 s pause adds " << extra << " s");
    CHECK(kept > 0.6);
    CHECK(kept <= 1.0);
    // RTVC keeps at most max_silence (6) windows of a pause plus smoothing: well under 0.5 s of the 2 s.
    CHECK(extra < 0.5);
    CHECK(extra > -0.5);  // and the speech around the pause survives
  }
}

TEST_CASE("rescale_peak scales the peak to the target") {
  std::vector<float> w{0.1f, -0.4f, 0.2f};
  rescale_peak(w, 0.9f);
  CHECK(w[1] == Approx(-0.9f));
  CHECK(w[0] == Approx(0.225f));
  std::vector<float> silent(4, 0.0f);
  rescale_peak(silent);
  CHECK(silent == std::vector<float>(4, 0.0f));
}
