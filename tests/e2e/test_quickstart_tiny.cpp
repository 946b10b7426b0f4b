// The quick-start recipe in miniature: synthetic corpus → encoder → synthesizer → vocoder (a few steps each)
// → published models → a clone of a real held-out voice, which must be valid audio carrying its settings.
#include <catch2/catch.hpp>

#include <filesystem>

#include "fixtures.h"
#include "voxclone/audio.h"
#include "voxclone/clone.h"

namespace fs = std::filesystem;

TEST_CASE("every stage trains a few steps on the synthetic corpus, then a clone uses the models", "[e2e]") {
  vctest::program_or_skip("espeak-ng", "espeak-ng");
  std::string dir = vctest::scratch_dir("e2e_quickstart");
  std::string voice = std::string(VOXCLONE_SOURCE_DIR) + "/samples/211-122425-0000.flac";
  std::string cmd = "cd " + dir + " && VOXCLONE_CACHE_DIR=" + dir + "/cache " + vctest::voxclone_binary() +
                    " run " VOXCLONE_SOURCE_DIR "/recipes/quickstart.lua out_dir=work models_dir=models"
                    " speakers=5 utterances=3 encoder_steps=3 synthesizer_steps=3 vocoder_steps=2 minutes=5"
                    " voice=" + voice + " text='The father passed this box. Helen laughed.'";
  std::string out;
  int code = vctest::run_command(cmd, &out);
  INFO(out);
  REQUIRE(code == 0);
  for (const char* f : {"models/encoder.pt", "models/synthesizer.pt", "models/vocoder.pt"})
    CHECK(fs::is_regular_file(dir + "/" + f));

  std::string wav = dir + "/work/clone/clone.wav";
  voxclone::AudioInfo info = voxclone::audio_info(wav);
  CHECK(info.sample_rate == 16000);
  CHECK(info.channels == 1);
  // Two sentences of an untrained-sounding model: the decoder stops on its own or at the guard of 10 frames
  // per byte of text + 50 (200 samples each); a 0.3 s pause sits between them.
  CHECK(info.seconds > 0.3);
  CHECK(info.seconds < 2 * (10 * 27 + 50) * 200 / 16000.0 + 0.31);
  voxclone::Waveform w = voxclone::read_audio(wav);
  float peak = 0;
  for (float v : w.samples) peak = std::max(peak, std::fabs(v));
  CHECK(peak > 0.0f);
  voxclone::CloneSettings s = voxclone::read_clone_settings(wav);
  CHECK(s.request.text == "The father passed this box. Helen laughed.");
  CHECK(s.models.vocoder.name == "wavernn");
  CHECK(fs::equivalent(s.models.synthesizer.checkpoint, dir + "/models/synthesizer.pt"));
  CHECK(fs::is_regular_file(dir + "/work/clone/attention.png"));

  // Run again: everything is resumed or skipped, and the clone is reproduced from the same models.
  code = vctest::run_command(cmd, &out);
  REQUIRE(code == 0);
  CHECK(voxclone::read_audio(wav).samples == w.samples);
}
