// Fine-tuning end to end through the shipped recipes and the real binary: a tiny GE2E encoder and a tiny
// Tacotron trained here stand in for pretrained models; one speaker's recordings (the folder reader) are
// preprocessed, embedded and trained on from the checkpoint, and a rerun resumes to the same target step.
// Then vocoder_preprocess makes GTA mels of that data with the fine-tuned model.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "fixtures.h"
#include "recipe_test_util.h"
#include "voxclone/audio.h"
#include "voxclone/checkpoint.h"
#include "voxclone/npy.h"

namespace fs = std::filesystem;
using vctest::run_shipped_recipe;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

int64_t tacotron_step(const std::string& path) {
  return voxclone::ckpt::load(path).at("model_state").at("step").as_tensor().item<int64_t>();
}

// Small enough that a step takes a fraction of a second; the tiny sizes travel in the checkpoint.
const std::string kTinyTacotron =
    "hparams=tts_embed_dims=32,tts_encoder_dims=32,tts_decoder_dims=32,tts_postnet_dims=32,tts_lstm_dims=64,"
    "tts_num_highways=1,tts_eval_interval=0";

}  // namespace

TEST_CASE(
    "finetune_synthesizer: folder recordings → preprocessing → embeddings → training and a rerun resumes",
    "[recipes][finetune]") {
  std::string root = vctest::datasets_root_or_skip(), sv2tts = vctest::sv2tts_or_skip();
  std::string dir = vctest::scratch_dir("finetune"), log;

  // An encoder: the layout fixtures' four usable speakers, one step of a narrow GE2E (embeddings stay 256-d).
  REQUIRE(run_shipped_recipe("encoder_preprocess.lua",
                             {"datasets_root=" + root, "out_dir=" + dir + "/encoder_data", "no_trim=true"},
                             &log) == 0);
  int code =
      run_shipped_recipe("encoder_train.lua",
                         {"run_id=enc", "clean_data_root=" + dir + "/encoder_data", "models_dir=" + dir,
                          "speakers_per_batch=4", "utterances_per_speaker=2", "max_steps=1", "umap_every=0",
                          "backup_every=0", "threads=1", "model_hidden_size=32"},
                         &log);
  INFO(log);
  REQUIRE(code == 0);
  const std::string encoder = dir + "/enc/encoder.pt";

  // A "pretrained" synthesizer: two steps on the SV2TTS fixture.
  code = run_shipped_recipe("synthesizer_train.lua",
                            {"run_dir=" + dir + "/base", "syn_dir=" + sv2tts, kTinyTacotron,
                             "schedule=2:2e-3:1000:4", "max_steps=2", "seed=7"},
                            &log);
  INFO(log);
  REQUIRE(code == 0);
  const std::string base = dir + "/base/synthesizer.pt";
  REQUIRE(tacotron_step(base) == 2);

  // The speaker's recordings: WAV files with a .txt transcript beside each (what the folder reader reads).
  const std::string audio_dir = dir + "/speaker";
  fs::create_directories(audio_dir);
  std::set<std::string> texts;
  for (const auto& row : vctest::train_rows(sv2tts + "/train.txt")) {
    at::Tensor samples = voxclone::read_npy(sv2tts + "/audio/" + row.at(0)).to(at::kFloat).contiguous();
    voxclone::Waveform w;
    w.sample_rate = 16000;
    w.samples.assign(samples.data_ptr<float>(), samples.data_ptr<float>() + samples.numel());
    std::string stem = audio_dir + "/" + fs::path(row[0]).stem().string();
    voxclone::write_wav(stem + ".wav", w);
    std::ofstream(stem + ".txt") << row.at(5) << "\n";
    texts.insert(row[5]);
  }

  const std::vector<std::string> finetune = {"audio_dir=" + audio_dir,
                                             "checkpoint=" + base,
                                             "encoder=" + encoder,
                                             "run_dir=" + dir + "/ft",
                                             "save_every=1",
                                             "schedule=2:2e-3:1000:4",
                                             "seed=1"};
  auto with = [&](const std::string& extra, const std::string& hparams = "hparams=tts_eval_interval=0") {
    auto args = finetune;
    args.push_back(extra);
    args.push_back(hparams);
    return args;
  };
  code = run_shipped_recipe("finetune_synthesizer.lua", with("extra_steps=2"), &log);
  INFO(log);
  REQUIRE(code == 0);
  CHECK(contains(log, "trained steps 2 → 4"));
  const std::string syn_dir = dir + "/ft/SV2TTS/synthesizer";
  auto rows = vctest::train_rows(syn_dir + "/train.txt");
  REQUIRE_FALSE(rows.empty());
  for (const auto& r : rows) {
    INFO(r.at(0));
    CHECK(texts.count(r.at(5)) == 1);
    CHECK(voxclone::read_npy(syn_dir + "/embeds/" + r.at(2)).numel() == 256);
  }
  CHECK(tacotron_step(dir + "/ft/synthesizer.pt") == 4);

  // A rerun asks for three steps past the checkpoint's (2 + 3): it resumes at 4 and does one, and the
  // preprocessing keeps what it wrote (no row twice).
  code = run_shipped_recipe("finetune_synthesizer.lua", with("extra_steps=3"), &log);
  INFO(log);
  REQUIRE(code == 0);
  CHECK(contains(log, "trained steps 4 → 5"));
  CHECK(tacotron_step(dir + "/ft/synthesizer.pt") == 5);
  CHECK(vctest::train_rows(syn_dir + "/train.txt") == rows);

  // vocoder_preprocess (RTVC's argument names): GTA mels of every row with the fine-tuned synthesizer.
  code = run_shipped_recipe(
      "vocoder_preprocess.lua",
      {"in_dir=" + syn_dir, "out_dir=" + dir + "/vocoder", "syn_model_fpath=" + dir + "/ft/synthesizer.pt"},
      &log);
  INFO(log);
  REQUIRE(code == 0);
  CHECK(vctest::train_rows(dir + "/vocoder/synthesized.txt").size() == rows.size());
  for (const auto& r : rows) CHECK(fs::exists(dir + "/vocoder/mels_gta/" + r.at(1)));

  // Bad input is one line and exit code 2: a missing checkpoint, an hparam no stage knows.
  CHECK(run_shipped_recipe("finetune_synthesizer.lua", {"audio_dir=" + audio_dir, "encoder=" + encoder},
                           &log) == 2);
  CHECK(contains(log, "argument 'checkpoint': required"));
  CHECK(run_shipped_recipe("finetune_synthesizer.lua", with("extra_steps=3", "hparams=tts_colour=blue"),
                           &log) == 2);
  CHECK(contains(log, "'tts_colour' is a key of neither [synthesizer_preprocess_audio] nor [tacotron]"));
}
