// Reading and writing audio files: the reference input.wav, WAV round trips with metadata, FLAC/OGG/MP3.
#include "audio_test_util.h"  // first: it fixes the CHECK macro clash, then includes Catch
#include <sndfile.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <type_traits>

#include "voxclone/audio.h"
#include "voxclone/error.h"

namespace fs = std::filesystem;
using namespace voxclone;

namespace {

// Writes interleaved frames (float or int16) with libsndfile directly, in any container it can encode.
template <typename T>
bool write_with_sndfile(const std::string& path, int format, int rate, int channels, const std::vector<T>& inter) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (!f) return false;
  sf_count_t frames = sf_count_t(inter.size()) / channels;
  sf_count_t done;
  if constexpr (std::is_same_v<T, short>)
    done = sf_writef_short(f, inter.data(), frames);
  else
    done = sf_writef_float(f, inter.data(), frames);
  sf_close(f);
  return done == frames;
}

// Stereo 16-bit test signal, different sines per channel, so the mono mixdown is checkable:
// the expected mono is (l/32768 + r/32768) / 2 in float, as numpy's float32 mean gives.
std::vector<short> stereo_tones(int rate, int frames, std::vector<float>* as_float, std::vector<float>* mono) {
  std::vector<short> inter(size_t(frames) * 2);
  as_float->resize(inter.size());
  mono->resize(size_t(frames));
  for (int i = 0; i < frames; ++i) {
    short l = short(std::lrint(16000 * std::sin(2 * M_PI * 440.0 * i / rate)));
    short r = short(std::lrint(8000 * std::sin(2 * M_PI * 1000.0 * i / rate)));
    inter[size_t(i) * 2] = l;
    inter[size_t(i) * 2 + 1] = r;
    (*as_float)[size_t(i) * 2] = float(l) / 32768.0f;
    (*as_float)[size_t(i) * 2 + 1] = float(r) / 32768.0f;
    (*mono)[size_t(i)] = (float(l) / 32768.0f + float(r) / 32768.0f) / 2.0f;
  }
  return inter;
}

double max_diff(const std::vector<float>& a, const std::vector<float>& b, size_t from = 0, size_t to = SIZE_MAX) {
  double m = 0;
  for (size_t i = from; i < std::min({a.size(), b.size(), to}); ++i) m = std::max(m, std::fabs(double(a[i]) - b[i]));
  return m;
}

}  // namespace

TEST_CASE("read_audio: input.wav equals the reference wav_input bit for bit") {
  auto ref = vctest::load_pt_dict(vctest::fixture_or_skip("rtvc/encoder/encoder_audio.pt"));
  const std::string path = vctest::fixture_or_skip("rtvc/encoder/input.wav");
  Waveform w = read_audio(path);
  CHECK(w.sample_rate == 16000);
  REQUIRE(w.samples.size() == size_t(ref.at("wav_input").numel()));
  CHECK(vctest::max_abs_diff(w.samples, ref.at("wav_input")) == 0.0);

  AudioInfo info = audio_info(path);
  CHECK(info.format == "WAV");
  CHECK(info.subtype == "PCM_16");
  CHECK(info.channels == 1);
  CHECK(info.sample_rate == 16000);
  CHECK(info.frames == 79920);
  CHECK(info.seconds == Approx(79920.0 / 16000));
}

TEST_CASE("write_wav: float and PCM_16 round trips, metadata, atomic replace") {
  auto ref = vctest::load_pt_dict(vctest::fixture_or_skip("rtvc/encoder/encoder_audio.pt"));
  const std::string dir = vctest::scratch_dir("audio_write_wav");
  Waveform w{vctest::to_floats(ref.at("wav_normalized")), 16000};

  const std::string f32 = dir + "/float.wav";
  write_wav(f32, w, SampleFormat::Float32, {{"title", "A title"}, {"artist", "Someone"}, {"comment", "c"},
                                            {"software", "voxclone"}, {"date", "2026-11-21"}});
  Waveform back = read_audio(f32);
  CHECK(back.sample_rate == 16000);
  REQUIRE(back.samples.size() == w.samples.size());
  CHECK(max_diff(back.samples, w.samples) == 0.0);
  AudioInfo info = audio_info(f32);
  CHECK(info.subtype == "FLOAT");
  CHECK(info.metadata["title"] == "A title");
  CHECK(info.metadata["artist"] == "Someone");
  CHECK(info.metadata["comment"] == "c");
  CHECK_THAT(info.metadata["software"], Catch::StartsWith("voxclone"));  // libsndfile appends its name
  CHECK(info.metadata["date"] == "2026-11-21");

  // PCM_16 as soundfile writes it (x * 32767, rounded): within one step of 1/32768, clipped at full scale.
  const std::string i16 = dir + "/pcm16.wav";
  Waveform loud = w;
  loud.samples[10] = 1.7f;
  loud.samples[11] = -3.0f;
  write_wav(i16, loud, SampleFormat::Pcm16);
  back = read_audio(i16);
  REQUIRE(back.samples.size() == w.samples.size());
  CHECK(audio_info(i16).subtype == "PCM_16");
  CHECK(back.samples[10] == Approx(32767.0 / 32768.0));
  CHECK(back.samples[11] == -1.0f);
  back.samples[10] = loud.samples[10] = 0;
  back.samples[11] = loud.samples[11] = 0;
  CHECK(max_diff(back.samples, loud.samples) <= 1.0 / 32768 + 1e-7);

  // Overwriting goes through a temporary + rename: afterwards only the two finished files exist.
  write_wav(i16, w, SampleFormat::Pcm16);
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dir)) entries += e.is_regular_file();
  CHECK(entries == 2);

  // Unknown metadata keys are refused before anything is created.
  const std::string bad = dir + "/bad_key.wav";
  REQUIRE_THROWS_AS(write_wav(bad, w, SampleFormat::Pcm16, {{"colour", "blue"}}), UserError);
  CHECK_FALSE(fs::exists(bad));
  REQUIRE_THROWS_WITH(write_wav(bad, w, SampleFormat::Pcm16, {{"colour", "blue"}}),
                      Catch::Contains("colour") && Catch::Contains(bad));
  // A folder that does not exist is the user's to fix.
  CHECK_THROWS_AS(write_wav(dir + "/no/such/dir/x.wav", w), UserError);
  Waveform nan = w;
  nan.samples[5] = NAN;
  CHECK_THROWS_AS(write_wav(dir + "/nan.wav", nan), UserError);
}

TEST_CASE("write_wav: a .flac path writes 16-bit FLAC, the same bytes each time, float is refused") {
  const std::string dir = vctest::scratch_dir("audio_write_flac");
  Waveform w{{}, 16000};
  for (int i = 0; i < 8000; ++i) w.samples.push_back(0.5f * std::sin(0.031f * float(i)) * float(i % 97) / 97.0f);

  const std::string wav = dir + "/a.wav", flac = dir + "/a.flac", again = dir + "/b.FLAC";
  write_wav(wav, w, SampleFormat::Pcm16);
  write_wav(flac, w, SampleFormat::Pcm16, {{"title", "t"}});
  write_wav(again, w, SampleFormat::Pcm16, {{"title", "t"}});
  AudioInfo info = audio_info(flac);
  CHECK(info.format == "FLAC");
  CHECK(info.subtype == "PCM_16");
  CHECK(info.sample_rate == 16000);
  CHECK(info.metadata["title"] == "t");
  CHECK(audio_info(again).format == "FLAC");
  CHECK(audio_info(wav).format == "WAV");
  // 16-bit: within one step of the input, as the PCM_16 WAV (libsndfile rounds the two a little differently).
  Waveform from_flac = read_audio(flac);
  REQUIRE(from_flac.samples.size() == w.samples.size());
  CHECK(max_diff(from_flac.samples, w.samples) <= 1.0 / 32768 + 1e-7);
  CHECK(max_diff(read_audio(wav).samples, w.samples) <= 1.0 / 32768 + 1e-7);
  // Lossless: writing what was read gives back the same samples.
  write_wav(dir + "/c.flac", from_flac, SampleFormat::Pcm16);
  CHECK(max_diff(read_audio(dir + "/c.flac").samples, from_flac.samples) == 0.0);
  auto bytes = [](const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  CHECK(bytes(flac) == bytes(again));

  const std::string f32 = dir + "/float.flac";
  REQUIRE_THROWS_WITH(write_wav(f32, w, SampleFormat::Float32), Catch::Contains(f32) && Catch::Contains("16-bit"));
  CHECK_FALSE(fs::exists(f32));
}

TEST_CASE("read_audio: FLAC stereo mixdown is exact, OGG and MP3 decode to the same signal") {
  const std::string dir = vctest::scratch_dir("audio_formats");
  const int rate = 22050, frames = 22050;
  std::vector<float> mono, inter_float;
  std::vector<short> inter = stereo_tones(rate, frames, &inter_float, &mono);

  const std::string flac = dir + "/tones.flac";
  REQUIRE(write_with_sndfile(flac, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, rate, 2, inter));
  AudioInfo fi = audio_info(flac);
  CHECK(fi.format == "FLAC");
  CHECK(fi.subtype == "PCM_16");
  CHECK(fi.channels == 2);
  CHECK(fi.frames == frames);
  Waveform wf = read_audio(flac);
  CHECK(wf.sample_rate == rate);
  REQUIRE(wf.samples.size() == size_t(frames));
  CHECK(max_diff(wf.samples, mono) == 0.0);

  const std::string ogg = dir + "/tones.ogg";
  REQUIRE(write_with_sndfile(ogg, SF_FORMAT_OGG | SF_FORMAT_VORBIS, rate, 2, inter_float));
  AudioInfo oi = audio_info(ogg);
  CHECK(oi.format == "OGG");
  CHECK(oi.subtype == "VORBIS");
  Waveform wo = read_audio(ogg);
  CHECK(wo.sample_rate == rate);
  REQUIRE(wo.samples.size() == size_t(frames));
  // Lossy: compare away from the edges, where the codec's transients live.
  double ogg_err = max_diff(wo.samples, mono, 2048, size_t(frames) - 2048);
  INFO("OGG/Vorbis max abs error vs the source: " << ogg_err);
  CHECK(ogg_err < 0.05);

  const std::string mp3 = dir + "/tones.mp3";
  if (!write_with_sndfile(mp3, SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, rate, 2, inter_float)) {
    WARN("libsndfile here cannot encode MP3 (" << sf_strerror(nullptr) << "): MP3 decoding not exercised");
    return;
  }
  AudioInfo mi = audio_info(mp3);
  CHECK(mi.format == "MPEG");
  CHECK(mi.subtype == "MPEG_LAYER_III");
  Waveform wm = read_audio(mp3);
  CHECK(wm.sample_rate == rate);
  // The MP3 decoder adds its own delay/padding: check the signal's level, not sample alignment.
  REQUIRE(wm.samples.size() >= size_t(frames) / 2);
  double e_ref = 0, e_mp3 = 0;
  for (float x : mono) e_ref += double(x) * x;
  for (float x : wm.samples) e_mp3 += double(x) * x;
  e_ref /= double(mono.size());
  e_mp3 /= double(wm.samples.size());
  INFO("MP3 mean power " << e_mp3 << " vs source " << e_ref);
  CHECK(e_mp3 == Approx(e_ref).epsilon(0.1));
}
