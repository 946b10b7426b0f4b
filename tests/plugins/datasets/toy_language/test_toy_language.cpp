// Follows docs/adding-a-language.md once for real: the toy pack, loaded from its own folder, gives a
// dataset:toy reader and a text:toy frontend through the ordinary runtime.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "fixtures.h"
#include "voxclone/error.h"
#include "voxclone/runtime.h"

namespace fs = std::filesystem;
using namespace voxclone;

namespace {

Runtime& runtime_with_toy() {
  Runtime& rt = Runtime::instance();
  rt.load_plugins({VOXCLONE_TOY_PLUGIN_DIR});
  return rt;
}

}  // namespace

TEST_CASE("the toy pack is built outside the plugin folder and loads from its own") {
  CHECK(fs::exists(fs::path(VOXCLONE_TOY_PLUGIN_DIR) / "libvoxclone-toy.so"));
  CHECK_FALSE(fs::exists(fs::path(vctest::plugin_dir()) / "libvoxclone-toy.so"));
  Runtime& rt = runtime_with_toy();
  CHECK(rt.registry().has(Kind::Dataset, "toy"));
  CHECK(rt.registry().has(Kind::Text, "toy"));
  CHECK(rt.registry().info(Kind::Text, "toy").plugin == "toy");
}

TEST_CASE("dataset:toy lists a corpus and reports a bad line") {
  fs::path root = vctest::scratch_dir("toy_corpus");
  fs::create_directories(root / "alice");
  std::ofstream(root / "alice" / "a1.wav") << "RIFF";
  std::ofstream(root / "transcripts.txt")
      << "alice/a1|Hello there\nno separator here\nbob/b1|Missing audio\n";
  auto ds = runtime_with_toy().create<Dataset>("toy");
  DatasetListing l = ds->list(root.string(), {});
  REQUIRE(l.utterances.size() == 1);
  CHECK(l.utterances[0].id == "a1");
  CHECK(l.utterances[0].speaker == "alice");
  CHECK(l.utterances[0].text == "Hello there");
  REQUIRE(l.problems.size() == 2);
  CHECK(l.problems[0].line == 2);
  CHECK(l.problems[1].line == 3);
  CHECK_THROWS_AS(ds->list((root / "alice").string(), {}), UserError);
}

TEST_CASE("text:toy normalises and maps to ids, its config.toml default can be overridden") {
  Runtime& rt = runtime_with_toy();
  auto tx = rt.create<TextFrontend>("toy");
  CHECK(tx->normalize("  Hi, R2D2!  ") == "hi rd");
  // symbols: _ ~ ' ' a..z 0..9 → h=10, i=11, ' '=2, r=20, d=6
  CHECK(tx->to_ids("Hi, R2D2!") == std::vector<int64_t>{10, 11, 2, 20, 6, 1});
  auto digits = rt.create<TextFrontend>("toy", "", {{"keep_digits", ConfigValue(true)}});
  CHECK(digits->normalize("R2D2") == "r2d2");
}
