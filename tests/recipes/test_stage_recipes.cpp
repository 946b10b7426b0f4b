// Stage recipes end to end on the RTVC SV2TTS fixture: vocoder_train.lua with RTVC's arguments dispatching to
// HiFi-GAN's training stage.
#include <catch2/catch.hpp>
#include <filesystem>

#include "fixtures.h"
#include "recipe_test_util.h"

namespace fs = std::filesystem;
using vctest::run_shipped_recipe;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("vocoder_train.lua vocoder=hifigan runs stage vocoder_train_hifigan with RTVC's arguments",
          "[recipes][vocoder]") {
  std::string sv2tts = vctest::sv2tts_or_skip();
  std::string dir = vctest::scratch_dir("recipe_hifigan"), log;
  int code = run_shipped_recipe("vocoder_train.lua",
                                {"run_id=h", "syn_dir=" + sv2tts, "models_dir=" + dir, "vocoder=hifigan",
                                 "ground_truth=true", "max_steps=1", "save_every=1", "eval_every=0",
                                 "model=upsample_initial_channel=16,segment_size=1600,batch_size=2"},
                                &log);
  INFO(log);
  REQUIRE(code == 0);
  CHECK(contains(log, "hifigan: steps 0 → 1"));
  CHECK(fs::exists(dir + "/h_hifigan/g_00000001.pt"));
  CHECK(fs::exists(dir + "/h_hifigan/do_00000001"));
}
