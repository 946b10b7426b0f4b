// WebRtcVad against webrtcvad 2.0.10 itself: decision strings at every rate, frame length and mode on a
// synthetic signal (expected strings printed by webrtc_vad_reference.py), state and mode handling, errors.
#include "audio_test_util.h"  // first: it fixes the CHECK macro clash, then includes Catch

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "voxclone/error.h"
#include "voxclone/webrtc_vad.h"

using namespace voxclone;

namespace {

// The signal of webrtc_vad_reference.py, sample for sample (integer arithmetic only).
uint32_t xorshift32(uint32_t x) {
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return x;
}

int triangle(long i, int rate, int freq, int amp) {
  const int period = rate / freq, phase = int(i % period), half = period / 2;
  if (phase < half) return -amp + (2 * amp * phase) / half;
  return amp - (2 * amp * (phase - half)) / (period - half);
}

std::vector<int16_t> test_signal(int rate) {
  std::vector<int16_t> out;
  uint32_t x = 2463534242u;
  for (long i = 0; i < long(rate) * 3; ++i) {
    const long ms = i * 1000 / rate;
    x = xorshift32(x);
    long s = 0;
    if (ms >= 250 && ms < 1000) {
      s = triangle(i, rate, 200, int(6000 * (ms - 250) / 750)) + long(x % 601) - 300;
    } else if (ms >= 1000 && ms < 1700) {
      const long a = 20 + 1980 * (ms - 1000) / 700;
      s = long(x % uint32_t(2 * a + 1)) - a;
    } else if (ms >= 1700 && ms < 2400) {
      s = triangle(i, rate, 125, (ms / 70) % 3 == 0 ? 400 : 5000) + long(x % 401) - 200;
    } else if (ms >= 2400 && ms < 2900) {
      s = long(x % 61) - 30;
    }
    out.push_back(int16_t(s));
  }
  return out;
}

// webrtc_vad_reference.py's bursts_signal: a minute of 100 ms blocks of silence, faint noise, noise or buzz.
std::vector<int16_t> bursts_signal(int rate) {
  std::vector<int16_t> out;
  uint32_t x = 88172645u;
  const long block = rate / 10;
  for (long b = 0; b < 600; ++b) {
    x = xorshift32(x);
    const uint32_t kind = x % 4;
    const long level = 1 + long((x >> 8) % 3000);
    const int freq = std::array<int, 4>{100, 150, 250, 400}[(x >> 20) % 4];
    for (long i = b * block; i < (b + 1) * block; ++i) {
      x = xorshift32(x);
      long s = 0;
      if (kind == 1) {
        s = long(x % uint32_t(2 * (level / 50) + 1)) - level / 50;
      } else if (kind == 2) {
        s = long(x % uint32_t(2 * level + 1)) - level;
      } else if (kind == 3) {
        s = triangle(i, rate, freq, int(2 * level)) + long(x % 201) - 100;
      }
      out.push_back(int16_t(s));
    }
  }
  return out;
}

uint64_t fnv1a64(const std::string& text) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001B3ull;
  return h;
}

// One detector over consecutive frames; before frame `switch_at`, set_mode(switch_to).
std::string run(WebRtcVad& vad, const std::vector<int16_t>& pcm, int rate, int frame_ms, size_t first = 0,
                size_t switch_at = SIZE_MAX, int switch_to = 0) {
  const size_t n = size_t(rate * frame_ms / 1000);
  std::string flags;
  for (size_t f = first; (f + 1) * n <= pcm.size(); ++f) {
    if (f == switch_at) vad.set_mode(switch_to);
    flags += vad.is_speech(pcm.data() + f * n, n, rate) ? '1' : '0';
  }
  return flags;
}

struct Reference {
  int rate, frame_ms, mode;
  const char* flags;
};

// Printed by webrtc_vad_reference.py with webrtcvad 2.0.10 (built from its tagged source).
const Reference kReference[] = {
    {8000, 30, 3,
     "0000000011111111111111101111111111111000000000001111111111111001111000111100011111100000000000000000"},
    {16000, 30, 3,
     "0000000011111111111000001111111111111000000000000000111111110001111100111100011111100000000000000000"},
    {32000, 30, 3,
     "0000000011111111111110011111111111111000000000000000111111110001111000111100011111100000000000000000"},
    {48000, 30, 3,
     "0000000001111111111111111111111111111100000000000000011111111111111111111111111111100000000000000000"},
    {8000, 10, 3,
     "0000000000000000000000000111111111111111111111111111111111111111111111111111111111000011111111111111"
     "1111111111100000000000000000000011111111111111111111111111111111111111111111111111111000011111111111"
     "1111110000111111111111111110000111111111111111100000000000000000000000000000000000000000000000000000"},
    {16000, 20, 3,
     "0000000000001111111111111111111110000011111111111111111100000000000000001111111111111111111110011111"
     "11000111111100001111111100000000000000000000000000"},
    {32000, 10, 3,
     "0000000000000000000000000111111111111111111111111111111111111111111111111111111111110000001111111111"
     "1111111111100000000000000000000000111111111111111111111111111111111111111111111111111000011111111111"
     "1111110000111111111111111110000111111111111111110000000000000000000000000000000000000000000000000000"},
    {48000, 10, 3,
     "0000000000000000000000000111111111111111111111111111111111111111111111111111111111110000000011111111"
     "1111111111100000000000000000000001111111111111111111111111111111111111111111111111111111111111111111"
     "1111111111111111111111111110000111111111111111110000000000000000000000000000000000000000000000000000"},
    {16000, 30, 2,
     "0000000011111111111111111111111111111000000000111111111111111101111100111110011111100000000000000000"},
    {8000, 20, 0,
     "0000000000001111111111111111111111111111111111111111111111001111111111111111111111111111111111111111"
     "11111111111111111111111111110000000000000000000000"},
    {32000, 20, 1,
     "0000000000001111111111111111111111111111111111111111111111000000111111111111111111111111111111111111"
     "11111111111111111111111111110000000000000000000000"},
    {48000, 20, 0,
     "0000000000000111111111111111111111111111111111111111111111000011111111111111111111111111111111111111"
     "11111111111111111111111111110000000000000000000000"},
};

// Also from webrtc_vad_reference.py: 16 kHz, 30 ms frames; mode 0 switched to 3 before frame 50, and
// each frame judged alone by a fresh mode-3 detector.
const char* kModeSwitch16k =
    "0000000011111111111111111111111111111110000111111111111111111001111100111100011111100000000000000000";
const char* kFresh16k =
    "0000000011111111111111111111111111111100101011111111111111111111111111111111111100000000000000000000";

// bursts_signal at 10 ms frames, mode 3: speech frames out of 6000 and the FNV-1a hash of the decision
// string, from webrtc_vad_reference.py.
struct Digest {
  int rate;
  long speech_frames;
  uint64_t hash;
};
const Digest kBurstsDigests[] = {
    {8000, 4587, 0x884d123c83a35396ull},
    {16000, 4751, 0xc3f4f8bcd31d831cull},
    {32000, 4483, 0x730d32b49684d464ull},
    {48000, 4568, 0xbf5cef7fbf035793ull},
};

}  // namespace

TEST_CASE("WebRtcVad decides as webrtcvad 2.0.10 at every rate, frame length and mode") {
  for (const Reference& r : kReference) {
    INFO(r.rate << " Hz, " << r.frame_ms << " ms, mode " << r.mode);
    WebRtcVad vad(r.mode);
    CHECK(run(vad, test_signal(r.rate), r.rate, r.frame_ms) == r.flags);
  }
}

TEST_CASE("WebRtcVad decides as webrtcvad 2.0.10 over a minute of bursts (slow model adaptation)") {
  for (const Digest& d : kBurstsDigests) {
    INFO(d.rate << " Hz");
    WebRtcVad vad(3);
    const std::string flags = run(vad, bursts_signal(d.rate), d.rate, 10);
    REQUIRE(flags.size() == 6000);
    CHECK(std::count(flags.begin(), flags.end(), '1') == d.speech_frames);
    CHECK(fnv1a64(flags) == d.hash);
  }
}

TEST_CASE("WebRtcVad keeps its adapted state between frames") {
  const std::vector<int16_t> pcm = test_signal(16000);
  const std::string sequence = kReference[1].flags;  // 16 kHz, 30 ms, mode 3
  // Frame 20 (the noisy tail of the fading-in buzz): a fresh detector calls it speech, the one that has
  // adapted its noise model over the 20 frames before does not. Frame 81 (faint noise after the bursts):
  // the reverse, the running detector's hangover still holds speech.
  REQUIRE(sequence.size() == std::string(kFresh16k).size());
  CHECK(kFresh16k[20] == '1');
  CHECK(sequence[20] == '0');
  CHECK(kFresh16k[81] == '0');
  CHECK(sequence[81] == '1');
  std::string fresh;
  for (size_t f = 0; f < sequence.size(); ++f) {
    WebRtcVad vad(3);
    fresh += vad.is_speech(pcm.data() + f * 480, 480, 16000) ? '1' : '0';
  }
  CHECK(fresh == kFresh16k);

  // A copy continues exactly as the original would.
  WebRtcVad original(3);
  const std::string head =
      run(original, std::vector<int16_t>(pcm.begin(), pcm.begin() + 40 * 480), 16000, 30);
  WebRtcVad copy(original);
  CHECK(head + run(copy, pcm, 16000, 30, 40) == sequence);
  CHECK(head + run(original, pcm, 16000, 30, 40) == sequence);
}

TEST_CASE("WebRtcVad::set_mode changes the thresholds and keeps the models, as WebRTC") {
  const std::vector<int16_t> pcm = test_signal(16000);
  WebRtcVad vad(0);
  CHECK(vad.mode() == 0);
  CHECK(run(vad, pcm, 16000, 30, 0, 50, 3) == kModeSwitch16k);
  CHECK(vad.mode() == 3);
}

TEST_CASE("WebRtcVad: digital silence is never speech for a fresh detector") {
  for (int rate : {8000, 16000, 32000, 48000})
    for (int ms : {10, 20, 30})
      for (int mode = 0; mode <= 3; ++mode) {
        INFO(rate << " Hz, " << ms << " ms, mode " << mode);
        WebRtcVad vad(mode);
        const std::vector<int16_t> zeros(size_t(rate * ms / 1000), 0);
        for (int f = 0; f < 5; ++f) CHECK_FALSE(vad.is_speech(zeros.data(), zeros.size(), rate));
      }
}

TEST_CASE("WebRtcVad: a loud buzz is speech and silence is not, at 8, 32 and 48 kHz") {
  for (int rate : {8000, 32000, 48000}) {
    INFO(rate << " Hz");
    const size_t n = size_t(rate * 30 / 1000);
    std::vector<int16_t> buzz(n * 20);
    uint32_t x = 1;
    for (size_t i = 0; i < buzz.size(); ++i) {
      x = xorshift32(x);
      buzz[i] = int16_t(triangle(long(i), rate, 200, 8000) + long(x % 601) - 300);
    }
    WebRtcVad vad(3);
    const std::vector<int16_t> zeros(n * 10, 0);
    CHECK(run(vad, zeros, rate, 30) == std::string(10, '0'));
    const std::string loud = run(vad, buzz, rate, 30);
    CHECK(std::count(loud.begin(), loud.end(), '1') >= 15);
  }
}

TEST_CASE("WebRtcVad rejects bad modes, rates and frame lengths") {
  CHECK_THROWS_AS(WebRtcVad(-1), UserError);
  CHECK_THROWS_WITH(WebRtcVad(4), Catch::Contains("mode 4") && Catch::Contains("0-3"));
  WebRtcVad vad(3);
  CHECK_THROWS_AS(vad.set_mode(7), UserError);
  CHECK(vad.mode() == 3);

  CHECK(WebRtcVad::valid_frame(8000, 80));
  CHECK(WebRtcVad::valid_frame(16000, 320));
  CHECK(WebRtcVad::valid_frame(32000, 960));
  CHECK(WebRtcVad::valid_frame(48000, 1440));
  CHECK_FALSE(WebRtcVad::valid_frame(16000, 960));  // 60 ms
  CHECK_FALSE(WebRtcVad::valid_frame(16000, 479));
  CHECK_FALSE(WebRtcVad::valid_frame(16000, 0));
  CHECK_FALSE(WebRtcVad::valid_frame(22050, 441));
  CHECK_FALSE(WebRtcVad::valid_frame(44100, 441));
  CHECK_FALSE(WebRtcVad::valid_frame(0, 0));
  CHECK_FALSE(WebRtcVad::valid_frame(-16000, 480));

  const std::vector<int16_t> frame(2000, 0);
  CHECK_THROWS_WITH(vad.is_speech(frame.data(), 441, 44100), Catch::Contains("441 samples at 44100 Hz"));
  CHECK_THROWS_AS(vad.is_speech(frame.data(), 481, 16000), UserError);
  CHECK_THROWS_AS(vad.is_speech(frame.data(), 1920, 48000), UserError);  // 40 ms
  CHECK_THROWS_AS(vad.is_speech(nullptr, 480, 16000), UserError);
  CHECK_FALSE(vad.is_speech(frame.data(), 480, 16000));  // still usable after the errors
}
