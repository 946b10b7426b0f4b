// Models files: relative checkpoints, plugin options, and one clear error for each malformed part.
#include <catch2/catch.hpp>

#include <fstream>

#include "fixtures.h"
#include "voxclone/clone.h"
#include "voxclone/error.h"

using namespace voxclone;

namespace {
std::string write(const std::string& name, const std::string& text) {
  std::string path = vctest::scratch_dir("models_config") + "/" + name;
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST_CASE("a models file names three models, checkpoints relative to the file", "[clone][models]") {
  std::string path = write("ok.toml",
                           "[encoder]\nname = \"ge2e\"\ncheckpoint = \"m/encoder.pt\"\n"
                           "[synthesizer]\nname = \"tacotron\"\ncheckpoint = \"/abs/syn.pt\"\n"
                           "[synthesizer.options]\ntts_stop_threshold = -3.0\ntext = \"mandarin\"\n"
                           "[vocoder]\nname = \"griffinlim\"\n");
  ModelsConfig m = load_models_config(path);
  std::string dir = vctest::scratch_dir("models_config");
  CHECK(m.encoder.name == "ge2e");
  CHECK(m.encoder.checkpoint == dir + "/m/encoder.pt");
  CHECK(m.synthesizer.checkpoint == "/abs/syn.pt");
  REQUIRE(m.synthesizer.options.size() == 2);
  for (const auto& [key, value] : m.synthesizer.options) {
    if (key == "tts_stop_threshold") CHECK(std::get<double>(value.v) == -3.0);
    else CHECK((key == "text" && std::get<std::string>(value.v) == "mandarin"));
  }
  CHECK(m.vocoder.name == "griffinlim");
  CHECK(m.vocoder.checkpoint.empty());
  CHECK(m.source == path);
}

TEST_CASE("malformed models files are user errors naming the file", "[clone][models]") {
  CHECK_THROWS_AS(load_models_config("/nonexistent/models.toml"), UserError);
  std::string missing = write("missing.toml", "[encoder]\nname = \"ge2e\"\n[vocoder]\nname = \"griffinlim\"\n");
  CHECK_THROWS_WITH(load_models_config(missing), Catch::Contains("[synthesizer] is missing"));
  std::string unknown = write("unknown.toml",
                              "[encoder]\nname = \"ge2e\"\nchekpoint = \"x\"\n[synthesizer]\nname = \"t\"\n"
                              "[vocoder]\nname = \"g\"\n");
  CHECK_THROWS_WITH(load_models_config(unknown), Catch::Contains("unknown key 'chekpoint'"));
  std::string broken = write("broken.toml", "[encoder\n");
  CHECK_THROWS_AS(load_models_config(broken), UserError);
}

TEST_CASE("model specs are NAME[:CHECKPOINT]", "[clone][models]") {
  CHECK(parse_model_spec("griffinlim").checkpoint.empty());
  ModelSpec s = parse_model_spec("hifigan:/models/g_02500000");
  CHECK(s.name == "hifigan");
  CHECK(s.checkpoint == "/models/g_02500000");
  CHECK_THROWS_AS(parse_model_spec(":x.pt"), UserError);
  CHECK_THROWS_AS(parse_model_spec("ge2e:"), UserError);
}
