// Hostile and broken inputs: each must end in a one-line UserError naming the file, never a crash.
#include "audio_test_util.h"  // first: it fixes the CHECK macro clash, then includes Catch
#include <sndfile.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "voxclone/audio.h"
#include "voxclone/error.h"

namespace fs = std::filesystem;
using namespace voxclone;

namespace {

std::vector<char> slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<char>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void spill(const std::string& path, const std::vector<char>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
}

size_t find_tag(const std::vector<char>& bytes, const char* tag) {
  for (size_t i = 0; i + 4 <= bytes.size(); ++i)
    if (std::memcmp(bytes.data() + i, tag, 4) == 0) return i;
  FAIL("tag " << tag << " not found");
  return 0;
}

void put_le(std::vector<char>& bytes, size_t at, uint64_t value, int width) {
  for (int i = 0; i < width; ++i) bytes[at + size_t(i)] = char((value >> (8 * i)) & 0xff);
}

void write_raw(const std::string& path, int format, const std::vector<float>& samples) {
  SF_INFO info{};
  info.samplerate = 16000;
  info.channels = 1;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  REQUIRE(f != nullptr);
  REQUIRE(sf_writef_float(f, samples.data(), sf_count_t(samples.size())) == sf_count_t(samples.size()));
  sf_close(f);
}

std::vector<float> tone(size_t n) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = 0.3f * float(std::sin(0.05 * double(i)));
  return v;
}

// The error must be a UserError, one line, naming the file and containing `what`.
void expect_user_error(const std::string& path, const std::string& what) {
  INFO("file: " << path);
  bool thrown = false;
  try {
    read_audio(path);
  } catch (const UserError& e) {
    thrown = true;
    std::string msg = e.what();
    INFO("message: " << msg);
    CHECK(msg.find(path) != std::string::npos);
    CHECK(msg.find('\n') == std::string::npos);
    CHECK(msg.find(what) != std::string::npos);
  }
  CHECK(thrown);
}

}  // namespace

TEST_CASE("read_audio: missing, empty, directory, not audio") {
  const std::string dir = vctest::scratch_dir("audio_bad_basic");
  expect_user_error(dir + "/does_not_exist.wav", "no such file");
  spill(dir + "/empty.wav", {});
  expect_user_error(dir + "/empty.wav", "empty");
  fs::create_directories(dir + "/folder.wav");
  expect_user_error(dir + "/folder.wav", "directory");
  std::string text = "this is not audio at all, just some words\n";
  spill(dir + "/text.wav", std::vector<char>(text.begin(), text.end()));
  expect_user_error(dir + "/text.wav", "not readable audio");
  CHECK_THROWS_AS(audio_info(dir + "/text.wav"), UserError);
  CHECK_THROWS_AS(audio_info(dir + "/does_not_exist.wav"), UserError);
}

TEST_CASE("read_audio: zero-length and truncated files") {
  const std::string dir = vctest::scratch_dir("audio_bad_truncated");
  write_wav(dir + "/zero.wav", Waveform{{}, 16000});
  expect_user_error(dir + "/zero.wav", "no audio samples");

  // A WAV cut in the middle of its data chunk.
  write_wav(dir + "/cut.wav", Waveform{tone(16000), 16000});
  auto bytes = slurp(dir + "/cut.wav");
  bytes.resize(bytes.size() / 2);
  spill(dir + "/cut.wav", bytes);
  expect_user_error(dir + "/cut.wav", "truncated");

  // A WAV cut inside its header.
  bytes.resize(20);
  spill(dir + "/cut_header.wav", bytes);
  expect_user_error(dir + "/cut_header.wav", "not readable audio");

  // A FLAC stream cut in the middle.
  write_raw(dir + "/cut.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, tone(48000));
  bytes = slurp(dir + "/cut.flac");
  bytes.resize(bytes.size() * 6 / 10);
  spill(dir + "/cut.flac", bytes);
  bool threw = false;
  try {
    read_audio(dir + "/cut.flac");
  } catch (const UserError& e) {
    threw = true;
    CHECK(std::string(e.what()).find(dir + "/cut.flac") != std::string::npos);
  }
  CHECK(threw);
}

TEST_CASE("read_audio: NaN and Inf samples") {
  const std::string dir = vctest::scratch_dir("audio_bad_nonfinite");
  auto v = tone(1000);
  v[123] = NAN;
  write_raw(dir + "/nan.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, v);
  expect_user_error(dir + "/nan.wav", "non-finite");
  v[123] = 0.0f;
  v[999] = -INFINITY;
  write_raw(dir + "/inf.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, v);
  expect_user_error(dir + "/inf.wav", "non-finite");
}

TEST_CASE("read_audio: absurd header sizes are never trusted for allocation") {
  const std::string dir = vctest::scratch_dir("audio_bad_header");
  // RF64 whose ds64 chunk claims 2^40 frames of 16-bit mono; the file holds 4000.
  write_raw(dir + "/huge.rf64", SF_FORMAT_RF64 | SF_FORMAT_PCM_16, tone(4000));
  auto bytes = slurp(dir + "/huge.rf64");
  size_t ds64 = find_tag(bytes, "ds64");
  put_le(bytes, ds64 + 8 + 8, uint64_t(1) << 41, 8);   // data size in bytes
  put_le(bytes, ds64 + 8 + 16, uint64_t(1) << 40, 8);  // sample count
  spill(dir + "/huge.rf64", bytes);
  expect_user_error(dir + "/huge.rf64", "truncated");

  // A plain WAV whose data chunk claims almost 4 GiB.
  write_wav(dir + "/huge.wav", Waveform{tone(4000), 16000});
  bytes = slurp(dir + "/huge.wav");
  size_t data = find_tag(bytes, "data");
  put_le(bytes, data + 4, 0xFFFFFFF0u, 4);
  spill(dir + "/huge.wav", bytes);
  expect_user_error(dir + "/huge.wav", "truncated");
}
