// The per-corpus recipe variants (recipes/<corpus>/) run on the dataset layout fixtures, so each shipped
// setting is exercised: preprocessing for real, compared with what RTVC's and MockingBird's own scripts wrote
// for the same files (expected_reader_outputs.json, mockingbird/.../train.txt); training stages as dry runs,
// whose options the stages check without training.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "fixtures.h"
#include "recipe_test_util.h"

namespace fs = std::filesystem;
using vctest::run_shipped_recipe;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

nlohmann::json expected_outputs() {
  std::ifstream in(vctest::fixture_or_skip("datasets/expected_reader_outputs.json"));
  return nlohmann::json::parse(in);
}

std::set<std::string> subfolders(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_directory()) out.insert(e.path().filename().string());
  return out;
}

// The first column (output file) of every _sources.txt line of a speaker folder.
std::set<std::string> sources(const fs::path& speaker_dir) {
  std::set<std::string> out;
  std::ifstream in(speaker_dir / "_sources.txt");
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.insert(line.substr(0, line.find(',')));
  return out;
}

// Speakers and their sources as RTVC's encoder preprocessing wrote them with the given functions.
std::map<std::string, std::set<std::string>> rtvc_encoder_speakers(
    const std::vector<std::string>& functions) {
  auto expected = expected_outputs().at("encoder_preprocess_rtvc");
  std::map<std::string, std::set<std::string>> out;
  for (const auto& fn : functions)
    for (const auto& [speaker, data] : expected.at(fn).items()) {
      auto& s = out[speaker];
      for (const auto& src : data.at("sources")) s.insert(src[0].get<std::string>());
    }
  return out;
}

void check_encoder_output(const std::string& out_dir,
                          const std::map<std::string, std::set<std::string>>& want) {
  std::set<std::string> want_speakers;
  for (const auto& [speaker, files] : want) want_speakers.insert(speaker);
  CHECK(subfolders(out_dir) == want_speakers);
  for (const auto& [speaker, files] : want) {
    INFO(speaker);
    CHECK(sources(fs::path(out_dir) / speaker) == files);
  }
}

// Runs an encoder_preprocess variant on the fixtures into a scratch folder; returns that folder.
std::string run_encoder_variant(const std::string& recipe) {
  std::string root = vctest::datasets_root_or_skip(),
              out = vctest::scratch_dir("corpus_encoder") + "/encoder";
  std::string log;
  // no_trim, as in the ge2e stage tests: the fixtures' synthetic audio is not speech to a VAD.
  int code = run_shipped_recipe(recipe, {"datasets_root=" + root, "out_dir=" + out, "no_trim=true"}, &log);
  INFO(log);
  REQUIRE(code == 0);
  return out;
}

}  // namespace

TEST_CASE("librispeech/encoder_preprocess: RTVC's LibriSpeech speakers, no VoxCeleb", "[recipes][corpus]") {
  std::string out = run_encoder_variant("librispeech/encoder_preprocess.lua");
  check_encoder_output(out, rtvc_encoder_speakers({"preprocess_librispeech"}));
}

TEST_CASE("voxceleb/encoder_preprocess: VoxCeleb1 and VoxCeleb2 as RTVC reads them", "[recipes][corpus]") {
  std::string out = run_encoder_variant("voxceleb/encoder_preprocess.lua");
  check_encoder_output(out, rtvc_encoder_speakers({"preprocess_voxceleb1", "preprocess_voxceleb2"}));
}

TEST_CASE("vctk/encoder_preprocess: one folder per VCTK speaker with a long enough utterance",
          "[recipes][corpus]") {
  std::string out = run_encoder_variant("vctk/encoder_preprocess.lua");
  // p225, p226 and p315 each have a file of at least 1.6 s (partials_n_frames); the encoder needs no text.
  auto speakers = subfolders(out);
  REQUIRE(speakers.size() == 3);
  for (const char* id : {"p225", "p226", "p315"}) {
    INFO(id);
    CHECK(
        std::any_of(speakers.begin(), speakers.end(), [&](const std::string& s) { return contains(s, id); }));
  }
}

TEST_CASE("librispeech/synthesizer_preprocess_audio writes RTVC's train.txt rows", "[recipes][corpus]") {
  std::string root = vctest::datasets_root_or_skip(),
              out = vctest::scratch_dir("corpus_ls_syn") + "/synthesizer";
  std::string log;
  // The fixtures hold train-clean-100 only (the variant's default adds train-clean-360). The reference rows
  // were recorded without webrtcvad installed, so RTVC skipped trim_long_silences (fixtures/datasets
  // README); the trimming is off here too: what is compared is the walk, the alignment split and RTVC's naming.
  int code = run_shipped_recipe(
      "librispeech/synthesizer_preprocess_audio.lua",
      {"datasets_root=" + root, "out_dir=" + out, "subfolders=train-clean-100", "hparams=trim_silence=false"},
      &log);
  INFO(log);
  REQUIRE(code == 0);
  auto rows = vctest::train_rows(out + "/train.txt");
  std::map<std::string, std::vector<std::string>> got;
  for (const auto& r : rows) got[r.at(0)] = r;
  auto want = expected_outputs().at("rtvc_synthesizer_preprocess_librispeech_train_clean_100_rows");
  CHECK(got.size() == want.size());
  for (const auto& w : want) {
    std::vector<std::string> row = w.get<std::vector<std::string>>();
    INFO(row[0]);
    REQUIRE(got.count(row[0]) == 1);
    CHECK(got[row[0]] == row);  // names, sample and frame counts, the alignment's words
    CHECK(fs::exists(out + "/mels/" + row[1]));
    CHECK(fs::exists(out + "/audio/" + row[0]));
  }
}

TEST_CASE("synthesizer_preprocess_audio refuses silence trimming at a rate webrtcvad does not take",
          "[recipes][corpus]") {
  std::string root = vctest::datasets_root_or_skip(),
              out = vctest::scratch_dir("corpus_syn_rate") + "/synthesizer";
  std::string log;
  int code = run_shipped_recipe(
      "librispeech/synthesizer_preprocess_audio.lua",
      {"datasets_root=" + root, "out_dir=" + out, "subfolders=train-clean-100", "hparams=sample_rate=22050"}, &log);
  INFO(log);
  CHECK(code == 2);  // a user error, not every utterance skipped as silence
  CHECK(contains(log, "trim_silence uses webrtcvad"));
  CHECK(contains(log, "22050"));
}

TEST_CASE("aishell3/synthesizer_preprocess_audio: MockingBird's pinyin texts of the same utterances",
          "[recipes][corpus]") {
  std::string root = vctest::datasets_root_or_skip(),
              out = vctest::scratch_dir("corpus_ai3_syn") + "/synthesizer";
  std::string reference =
      vctest::fixture_or_skip("mockingbird/synthesizer/preprocess/aishell3/SV2TTS/synthesizer/train.txt");
  std::string log;
  int code = run_shipped_recipe("aishell3/synthesizer_preprocess_audio.lua",
                                {"datasets_root=" + root, "out_dir=" + out}, &log);
  INFO(log);
  REQUIRE(code == 0);
  // MockingBird names files after <wav name>_00 (SSB00050001.wav_00), the aishell3 reader's ids drop ".wav".
  std::map<std::string, std::string> want, got;
  for (const auto& r : vctest::train_rows(reference)) want[r.at(0).substr(6, 11)] = r.at(5);
  for (const auto& r : vctest::train_rows(out + "/train.txt")) got[r.at(0).substr(6, 11)] = r.at(5);
  CHECK(got == want);  // SSB0011's one-second files are too short for either
}

TEST_CASE("vctk and ljspeech synthesizer_preprocess_audio: each kept utterance with its transcript",
          "[recipes][corpus]") {
  std::string root = vctest::datasets_root_or_skip();
  for (const std::string recipe :
       {"vctk/synthesizer_preprocess_audio.lua", "ljspeech/synthesizer_preprocess_audio.lua"}) {
    INFO(recipe);
    std::string out = vctest::scratch_dir("corpus_syn") + "/synthesizer", log;
    int code = run_shipped_recipe(recipe, {"datasets_root=" + root, "out_dir=" + out}, &log);
    INFO(log);
    REQUIRE(code == 0);
    auto rows = vctest::train_rows(out + "/train.txt");
    CHECK_FALSE(rows.empty());
    for (const auto& r : rows) {
      INFO(r.at(0));
      REQUIRE(r.size() == 6);
      CHECK_FALSE(r[5].empty());
      CHECK(fs::exists(out + "/mels/" + r[1]));
    }
  }
}

TEST_CASE(
    "librispeech and aishell3 synthesizer variants on the espeak-ng corpus keep every utterance with "
    "trimming on",
    "[recipes][corpus]") {
  vctest::program_or_skip("espeak-ng", "espeak-ng");
  std::string root = vctest::scratch_dir("corpus_synthetic"), log;
  // Speech a VAD recognises, in both corpora's layouts: the variants run with silence trimming on.
  REQUIRE(run_shipped_recipe(
              "make_synthetic_corpus.lua",
              {"out_dir=" + root, "english_speakers=2", "test_speakers=0", "utterances=2",
               "mandarin_speakers=1", "mandarin_test_speakers=0", "mandarin_utterances=2", "seed=7"},
              &log) == 0);
  for (const std::string recipe :
       {"librispeech/synthesizer_preprocess_audio.lua", "aishell3/synthesizer_preprocess_audio.lua"}) {
    INFO(recipe);
    std::string out = root + "/" + fs::path(recipe).parent_path().string();
    int code = run_shipped_recipe(
        recipe,
        {"datasets_root=" + root, "out_dir=" + out,
         "subfolders=" + std::string(contains(recipe, "aishell3") ? "train" : "train-clean-100")},
        &log);
    INFO(log);
    REQUIRE(code == 0);
    auto rows = vctest::train_rows(out + "/train.txt");
    std::set<std::string> utterances;  // audio-<id>_NN.npy: pieces of one utterance share the id
    for (const auto& r : rows) {
      INFO(r.at(0));
      utterances.insert(r.at(0).substr(6, r.at(0).size() - 6 - 7));
      // Trimmed, never emptied: mel frames = samples / hop (+1), and more than a second of speech.
      CHECK(std::abs(std::stol(r.at(3)) / 200 - std::stol(r.at(4))) <= 1);
      CHECK(std::stol(r.at(4)) > 80);
    }
    // Training speakers × utterances each (English: 2 × 2 in train-clean-100; Mandarin: 1 × 2): none lost.
    CHECK(utterances.size() == (contains(recipe, "aishell3") ? 2u : 4u));
  }
}

TEST_CASE("aishell3 training variants: dry runs show MockingBird's settings, checked by the stages",
          "[recipes][corpus][dry_run]") {
  std::string out;
  REQUIRE(run_shipped_recipe("aishell3/synthesizer_train.lua",
                             {"run_id=zh", "syn_dir=/data/SV2TTS/synthesizer", "dry_run=true"}, &out) == 0);
  INFO(out);
  CHECK(contains(out, "stage synthesizer_train\n"));
  CHECK(contains(out, "  model_overrides = [\"text=mandarin\"]\n"));
  CHECK(contains(out, "  tts_schedule = [[2, 0.001, 10000, 12], [2, 0.0005, 15000, 12], "));
  CHECK(contains(out, "[2, 1e-06, 640000, 12]]\n"));
  CHECK(contains(out, "  run_dir = \"saved_models/zh\"\n"));
  CHECK(contains(out, "  log_every = 200\n"));

  REQUIRE(run_shipped_recipe("aishell3/vocoder_preprocess.lua", {"datasets_root=/data", "dry_run=true"},
                             &out) == 0);
  CHECK(contains(out, "stage synthesizer_gta\n  checkpoint = \"saved_models/default/synthesizer.pt\"\n"));
  CHECK(contains(out, "  model_overrides = [\"text=mandarin\"]\n"));
  CHECK(contains(out, "  out_dir = \"/data/SV2TTS/vocoder\"\n"));

  REQUIRE(run_shipped_recipe("aishell3/vocoder_train.lua",
                             {"run_id=zh", "datasets_root=/data", "max_steps=100", "seed=3", "dry_run=true"},
                             &out) == 0);
  CHECK(contains(out, "stage vocoder_train_hifigan\n"));
  CHECK(contains(out, "  data = [\"/data/SV2TTS/synthesizer\"]\n"));
  CHECK(contains(out, "  run_dir = \"saved_models/zh_hifigan\"\n"));
  CHECK(contains(out, "  model_overrides = [\"seed=3\"]\n"));
  // What MockingBird's HiFi-GAN training cannot do is refused with one line.
  CHECK(run_shipped_recipe("aishell3/vocoder_train.lua", {"run_id=zh", "datasets_root=/data"}, &out) == 2);
  CHECK(contains(out, "needs max_steps"));
  CHECK(run_shipped_recipe("aishell3/vocoder_train.lua",
                           {"run_id=zh", "datasets_root=/data", "max_steps=9", "ground_truth=false"},
                           &out) == 2);
  CHECK(contains(out, "ground_truth=true"));
}

TEST_CASE("ljspeech/finetune_synthesizer: a dry run chains three stages over the ljspeech reader",
          "[recipes][corpus][dry_run]") {
  std::string out;
  REQUIRE(
      run_shipped_recipe("ljspeech/finetune_synthesizer.lua",
                         {"audio_dir=/data/LJSpeech-1.1", "checkpoint=pretrained.pt", "encoder=encoder.pt",
                          "hparams=max_mel_frames=600,tts_eval_interval=50,fmax=8000", "dry_run=true"},
                         &out) == 0);
  INFO(out);
  auto at = [&](const std::string& s) { return out.find(s); };
  REQUIRE(at("stage synthesizer_preprocess_audio\n") < at("stage synthesizer_preprocess_embeds\n"));
  REQUIRE(at("stage synthesizer_preprocess_embeds\n") < at("stage synthesizer_train\n"));
  CHECK(contains(out, "  reader = \"ljspeech\"\n"));
  CHECK(contains(out, "  out_dir = \"saved_models/finetune_LJSpeech-1.1/SV2TTS/synthesizer\"\n"));
  CHECK(contains(out, "  skip_existing = true\n"));
  // Each hparam goes where it belongs: a preprocessing key to preprocessing, a training key to training,
  // an audio setting to both.
  CHECK(contains(out, "  model_overrides = [\"max_mel_frames=600\", \"fmax=8000\"]\n"));
  CHECK(contains(out, "  model_overrides = [\"tts_eval_interval=50\", \"fmax=8000\"]\n"));
  CHECK(contains(out, "  checkpoint = \"encoder.pt\"\n"));
  CHECK(contains(out, "  checkpoint = \"pretrained.pt\"\n"));
  CHECK(contains(out, "  extra_steps = 1000\n"));
  CHECK(contains(out, "  run_dir = \"saved_models/finetune_LJSpeech-1.1\"\n"));
}
