// Folder reader: transcript lists and subtitles; real LJSpeech clips joined and cut back by an .srt.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "fixtures.h"
#include "voxclone/audio.h"
#include "voxclone/runtime.h"

using namespace voxclone;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<Dataset> dataset(const Overrides& o = {}) {
  auto& rt = Runtime::instance();
  rt.load_plugins({vctest::plugin_dir()});
  return rt.create<Dataset>("folder", "", o);
}

std::string srt_time(long ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld,%03ld", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60, ms % 1000);
  return buf;
}

// metadata.csv of ljspeech-mini: id → normalized text.
std::map<std::string, std::string> lj_texts(const std::string& root) {
  std::map<std::string, std::string> out;
  std::ifstream in(root + "/metadata.csv");
  std::string line;
  while (std::getline(in, line)) {
    size_t a = line.find('|'), b = line.rfind('|');
    out[line.substr(0, a)] = line.substr(b + 1);
  }
  return out;
}

}  // namespace

TEST_CASE("folder: ljspeech-mini clips joined into one recording are cut back by their subtitles") {
  std::string lj = vctest::shared_data_or_skip("ljspeech-mini");
  auto texts = lj_texts(lj);
  std::string dir = vctest::scratch_dir("folder_srt");
  const std::vector<std::string> ids = {"LJ001-0001", "LJ001-0002", "LJ001-0003", "LJ001-0004"};
  const std::vector<std::string> labels = {"[SPEAKER_01] ", "Linda: ", "", "[SPEAKER_02] "};
  Waveform joined;
  std::vector<Waveform> clips;
  std::ofstream srt(dir + "/talk.srt");
  long cursor_ms = 500;  // leading silence
  for (size_t k = 0; k < ids.size(); ++k) {
    Waveform w = read_audio(lj + "/wavs/" + ids[k] + ".wav");
    REQUIRE(w.sample_rate == 22050);
    joined.sample_rate = w.sample_rate;
    // Clips start on 20 ms boundaries (441 samples), so a millisecond time is an exact sample index.
    cursor_ms = (cursor_ms + 19) / 20 * 20;
    size_t at = size_t(cursor_ms) * 441 / 20;
    joined.samples.resize(at, 0.0f);
    joined.samples.insert(joined.samples.end(), w.samples.begin(), w.samples.end());
    long end_ms = long(std::ceil((double(at) + double(w.samples.size())) * 1000.0 / 22050.0));
    srt << k + 1 << "\n" << srt_time(cursor_ms) << " --> " << srt_time(end_ms) << "\n"
        << labels[k] << texts.at(ids[k]) << "\n\n";
    clips.push_back(std::move(w));
    cursor_ms = end_ms + 300;  // a pause between clips
  }
  srt.close();
  joined.samples.resize(joined.samples.size() + 22050 / 2, 0.0f);
  write_wav(dir + "/talk.wav", joined, SampleFormat::Pcm16);

  auto l = dataset()->list(dir, {});
  CHECK(l.problems.empty());
  REQUIRE(l.utterances.size() == ids.size());
  CHECK(validate_listing(l, {true}).empty());
  Waveform back = read_audio(dir + "/talk.wav");
  for (size_t k = 0; k < ids.size(); ++k) {
    const Utterance& u = l.utterances[k];
    INFO(ids[k]);
    CHECK(u.id == "talk_" + std::string(k == 0 ? "0001" : k == 1 ? "0002" : k == 2 ? "0003" : "0004"));
    CHECK(u.text == texts.at(ids[k]));
    CHECK(u.seconds == Approx(joined.seconds()).margin(1e-6));
    size_t a = size_t(std::llround(u.start * 22050)), b = size_t(std::llround(u.end * 22050));
    REQUIRE(b <= back.samples.size());
    REQUIRE(b - a >= clips[k].samples.size());
    CHECK(b - a - clips[k].samples.size() < 23);  // the end is rounded up to the next millisecond
    double worst = 0;
    for (size_t i = 0; i < clips[k].samples.size(); ++i)
      worst = std::max(worst, double(std::abs(back.samples[a + i] - clips[k].samples[i])));
    CHECK(worst < 1e-6);  // both are 16-bit PCM: the cut is the clip, sample for sample
  }
  CHECK(l.utterances[0].speaker == "SPEAKER_01");
  CHECK(l.utterances[1].speaker == "Linda");
  CHECK(l.utterances[2].speaker == fs::path(dir).filename().string());  // unlabelled: the folder's name
  CHECK(l.utterances[3].speaker == "SPEAKER_02");

  auto one = dataset({{"speaker", "Linda"}})->list(dir, {});
  REQUIRE(one.utterances.size() == 1);
  CHECK(one.utterances[0].text == texts.at("LJ001-0002"));
  auto none = dataset({{"speaker", "Nobody"}})->list(dir, {});
  CHECK(none.utterances.empty());
  REQUIRE(none.problems.size() == 1);
  CHECK(none.problems[0].message.find("SPEAKER_01") != std::string::npos);
}

TEST_CASE("folder: webvtt voices and RTTM turns name the speakers, bad cues are reported") {
  std::string dir = vctest::scratch_dir("folder_vtt");
  Waveform w;
  w.sample_rate = 16000;
  w.samples.assign(16000 * 6, 0.1f);
  write_wav(dir + "/a.wav", w);
  write_wav(dir + "/b.wav", w);
  std::ofstream(dir + "/a.vtt") << "WEBVTT\n\nNOTE a comment\n\n1\n00:00.500 --> 00:02.000 align:start\n"
                                   "<v Roger Bingham>We are in New York City</v>\n\n"
                                   "00:02.500 --> 00:04.000\n<i>Unlabelled</i> line\n\n"
                                   "00:05.000 --> 00:04.000\nbackwards\n\n00:0x.000 --> 00:05.000\nbroken\n";
  std::ofstream(dir + "/a.rttm") << "SPEAKER a 1 2.400 1.700 <NA> <NA> spk_b <NA> <NA>\n";
  std::ofstream(dir + "/b.rttm") << "SPEAKER b 1 0.000 2.000 <NA> <NA> s1 <NA> <NA>\n"
                                    "SPEAKER b 1 2.500 3.000 <NA> <NA> s2 <NA> <NA>\n";
  auto l = dataset()->list(dir, {});
  REQUIRE(l.utterances.size() == 4);
  CHECK(l.utterances[0].speaker == "Roger Bingham");
  CHECK(l.utterances[0].text == "We are in New York City");
  CHECK(l.utterances[0].start == Approx(0.5));
  CHECK(l.utterances[0].end == Approx(2.0));
  CHECK(l.utterances[1].speaker == "spk_b");  // from the RTTM turn it overlaps
  CHECK(l.utterances[1].text == "Unlabelled line");
  CHECK(l.utterances[2].speaker == "s1");     // b.wav: turns without text
  CHECK(l.utterances[3].end == Approx(5.5));
  REQUIRE(l.problems.size() == 2);
  CHECK(l.problems[0].line == 12);  // 00:05.000 --> 00:04.000
  CHECK(l.problems[1].message.find("bad cue times") != std::string::npos);
}

TEST_CASE("folder: path|text lists and .txt/.lab beside the audio") {
  std::string dir = vctest::scratch_dir("folder_list");
  Waveform w;
  w.sample_rate = 16000;
  w.samples.assign(8000, 0.1f);
  fs::create_directories(dir + "/anna");
  for (const char* n : {"one", "two", "three", "anna/four"}) write_wav(dir + "/" + n + ".wav", w);
  std::ofstream(dir + "/list.csv") << "path|text\none.wav|First line.\ntwo|Second line.\nmissing.wav|Nope.\n";
  std::ofstream(dir + "/three.lab") << "third line\n";
  std::ofstream(dir + "/anna/four.txt") << "Fourth.\n";
  auto l = dataset()->list(dir, {});
  std::map<std::string, const Utterance*> by_id;
  for (const auto& u : l.utterances) by_id[u.id] = &u;
  REQUIRE(by_id.size() == 4);
  CHECK(by_id["one"]->text == "First line.");
  CHECK(by_id["two"]->text == "Second line.");
  CHECK(by_id["three"]->text == "third line");
  CHECK(by_id["anna/four"]->text == "Fourth.");
  CHECK(by_id["anna/four"]->speaker == "anna");
  CHECK(by_id["one"]->seconds == Approx(0.5));
  REQUIRE(l.problems.size() == 1);
  CHECK(l.problems[0].line == 4);
}
