// recipes/make_synthetic_corpus.lua end to end: a tiny corpus made twice is byte-identical, the LibriSpeech
// and AISHELL-3 readers list it without problems, and the word alignments match the transcript and the audio.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fixtures.h"
#include "voxclone/audio.h"

namespace fs = std::filesystem;

namespace {

std::string recipe() { return std::string(VOXCLONE_SOURCE_DIR) + "/recipes/make_synthetic_corpus.lua"; }

// 3 English speakers (one held out) × 2 utterances, 1 Mandarin speaker × 2 utterances.
const char kTinyCorpus[] =
    " english_speakers=3 test_speakers=1 utterances=2 mandarin_speakers=1 mandarin_test_speakers=0"
    " mandarin_utterances=2 seed=7";

int run_voxclone(const std::string& args, std::string* out) {
  return vctest::run_command(vctest::voxclone_binary() + " " + args, out);
}

std::string make_corpus(const std::string& name) {
  std::string dir = vctest::scratch_dir(name) + "/corpus", log;
  int code = run_voxclone("run " + recipe() + " out_dir=" + dir + kTinyCorpus, &log);
  INFO(log);
  REQUIRE(code == 0);
  return dir;
}

// Relative path → contents of every file below `root`.
std::map<std::string, std::string> read_tree(const std::string& root) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    files[fs::relative(e.path(), root).string()] = std::string(std::istreambuf_iterator<char>(in), {});
  }
  return files;
}

std::vector<nlohmann::json> list_utterances(const std::string& source, const std::string& extra = "") {
  std::string out;
  int code = run_voxclone("data list " + source + extra + " 2>/dev/null", &out);
  INFO(out);
  REQUIRE(code == 0);
  std::vector<nlohmann::json> rows;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) rows.push_back(nlohmann::json::parse(line));
  return rows;
}

nlohmann::json check_summary(const std::string& source) {
  std::string out;
  int code = run_voxclone("data check " + source + " --json", &out);
  INFO(out);
  REQUIRE(code == 0);
  return nlohmann::json::parse(out);
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

float peak(const std::vector<float>& x, double from, double to, int rate) {
  float m = 0;
  for (size_t i = size_t(from * rate + 0.5); i < size_t(to * rate + 0.5) && i < x.size(); ++i)
    m = std::max(m, std::abs(x[i]));
  return m;
}

}  // namespace

TEST_CASE("make_synthetic_corpus: same arguments give the same bytes, readers list it clean, alignments are exact",
          "[recipes][synthetic]") {
  vctest::program_or_skip("espeak-ng", "espeak-ng");
  const std::string a = make_corpus("synthetic_a"), b = make_corpus("synthetic_b");

  auto first = read_tree(a), second = read_tree(b);
  std::vector<std::string> names;
  for (const auto& [name, bytes] : first) names.push_back(name);
  const std::vector<std::string> expected = {
      "LibriSpeech/CHAPTERS.TXT",
      "LibriSpeech/SPEAKERS.TXT",
      "LibriSpeech/test-clean/10003/200003/10003-200003-0000.flac",
      "LibriSpeech/test-clean/10003/200003/10003-200003-0001.flac",
      "LibriSpeech/test-clean/10003/200003/10003-200003.alignment.txt",
      "LibriSpeech/test-clean/10003/200003/10003-200003.trans.txt",
      "LibriSpeech/train-clean-100/10001/200001/10001-200001-0000.flac",
      "LibriSpeech/train-clean-100/10001/200001/10001-200001-0001.flac",
      "LibriSpeech/train-clean-100/10001/200001/10001-200001.alignment.txt",
      "LibriSpeech/train-clean-100/10001/200001/10001-200001.trans.txt",
      "LibriSpeech/train-clean-100/10002/200002/10002-200002-0000.flac",
      "LibriSpeech/train-clean-100/10002/200002/10002-200002-0001.flac",
      "LibriSpeech/train-clean-100/10002/200002/10002-200002.alignment.txt",
      "LibriSpeech/train-clean-100/10002/200002/10002-200002.trans.txt",
      "README.txt",
      "aishell3/train/content.txt",
      "aishell3/train/wav/SSB9001/SSB90010001.wav",
      "aishell3/train/wav/SSB9001/SSB90010002.wav",
  };
  CHECK(names == expected);
  CHECK(first == second);  // byte for byte, file for file
  CHECK_FALSE(fs::exists(a + "/.synthesis"));
  CHECK(first["README.txt"].find("seed=7") != std::string::npos);

  // English: every utterance listed, with text and alignment, no problems.
  nlohmann::json en = check_summary("librispeech:" + a);
  CHECK(en["problems"].empty());
  CHECK(en["utterances"] == 6);
  CHECK(en["speakers"] == 3);
  CHECK(en["with_text"] == 6);
  CHECK(en["with_alignment"] == 6);
  CHECK(en["subsets"]["train-clean-100"] == 4);
  CHECK(en["subsets"]["test-clean"] == 2);

  for (const auto& u : list_utterances("librispeech:" + a)) {
    INFO(u.dump());
    CHECK(u["sample_rate"] == 16000);
    std::vector<std::string> aligned;
    const auto& spans = u["alignment"];
    REQUIRE(spans.size() >= 3);
    double seconds = u["seconds"];
    CHECK(double(spans.back()[2]) == Approx(seconds).margin(0.05));
    CHECK(spans.front()[0] == "");  // leading and trailing silence, as librispeech-alignments has them
    CHECK(spans.back()[0] == "");
    int text_count = int(words_of(u["text"]).size());
    CHECK(text_count >= 4);
    CHECK(text_count <= 12);

    // The times are exact: silences are digital zero, every word span holds speech.
    voxclone::Waveform wav = voxclone::read_audio(u["audio"]);
    for (const auto& s : spans) {
      std::string word = s[0];
      double from = s[1], to = s[2];
      CHECK(to > from);
      if (word.empty()) {
        // (1 ms in from each end: the times are rounded to milliseconds)
        CHECK(peak(wav.samples, from + 0.001, to - 0.001, wav.sample_rate) == 0.0f);
      } else {
        aligned.push_back(word);
        CHECK(peak(wav.samples, from, to, wav.sample_rate) > 0.02f);
        // Sound within 10 ms of both ends: the span is the word, not the word and some silence.
        CHECK(peak(wav.samples, from, from + 0.01, wav.sample_rate) > 5e-4f);
        CHECK(peak(wav.samples, to - 0.01, to, wav.sample_rate) > 5e-4f);
      }
    }
    CHECK(aligned == words_of(u["text"]));
  }

  // Mandarin: listed clean; the pinyin in content.txt is what the Mandarin frontend reads for the characters.
  nlohmann::json zh = check_summary("aishell3:" + a);
  CHECK(zh["problems"].empty());
  CHECK(zh["utterances"] == 2);
  auto pinyin = list_utterances("aishell3:" + a);
  auto hanzi = list_utterances("aishell3:" + a, " --set aishell3.text=hanzi");
  REQUIRE(pinyin.size() == 2);
  REQUIRE(hanzi.size() == 2);
  for (size_t i = 0; i < pinyin.size(); ++i) {
    INFO(pinyin[i].dump());
    CHECK(pinyin[i]["sample_rate"] == 44100);
    CHECK(double(pinyin[i]["seconds"]) > 1.0);
    std::string frontend;
    REQUIRE(run_voxclone("text --frontend mandarin " + std::string(hanzi[i]["text"]), &frontend) == 0);
    CHECK(frontend.substr(0, frontend.find('\n')) == std::string(pinyin[i]["text"]));
  }
}

TEST_CASE("make_synthetic_corpus: bad arguments and a foreign corpus in out_dir exit 2 with one line",
          "[recipes][synthetic]") {
  const std::string dir = vctest::scratch_dir("synthetic_bad");
  std::string out;
  CHECK(run_voxclone("run " + recipe() + " out_dir=" + dir + " english_speakers=3 test_speakers=5", &out) == 2);
  CHECK_THAT(out, Catch::Contains("make_synthetic_corpus.lua:") &&
                     Catch::EndsWith(": argument 'test_speakers': 5 is outside 0..3\n"));
  CHECK(std::count(out.begin(), out.end(), '\n') == 1);
  CHECK(run_voxclone("run " + recipe() + " out_dir=" + dir + " english_speakers=0 mandarin_speakers=0", &out) == 2);
  CHECK(out.find("nothing to make") != std::string::npos);

  // A LibriSpeech folder this recipe did not make is never replaced.
  vctest::program_or_skip("espeak-ng", "espeak-ng");
  fs::create_directories(dir + "/LibriSpeech/train-clean-100");
  CHECK(run_voxclone("run " + recipe() + " out_dir=" + dir, &out) == 2);
  CHECK(out.find("does not say this recipe made it") != std::string::npos);
  CHECK(std::count(out.begin(), out.end(), '\n') == 1);
  CHECK(fs::is_directory(dir + "/LibriSpeech/train-clean-100"));
}
