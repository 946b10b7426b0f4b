// Every shipped recipe, found by a glob (a new recipe is covered without registering it): --help prints the
// usage and exits 0, an unknown argument exits 2 with one line naming it, and docs/recipes.md lists it.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "fixtures.h"
#include "recipe_runner.h"
#include "recipe_test_util.h"

namespace fs = std::filesystem;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// At least what ships today, so a glob that silently finds nothing fails.
constexpr size_t kShippedAtLeast = 22;

}  // namespace

TEST_CASE("every recipe answers --help with its usage line, exit code 0", "[recipes][args]") {
  auto recipes = vctest::shipped_recipes();
  REQUIRE(recipes.size() >= kShippedAtLeast);
  for (const auto& recipe : recipes) {
    INFO(recipe);
    // In-process (the host `voxclone run` calls): plugins need not load for --help, which keeps this quick.
    auto r = vctest::run_recipe_captured(recipe, {"--help"});
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(r.out.rfind("usage: voxclone run " + recipe, 0) == 0);
    CHECK(r.err.empty());
  }
}

TEST_CASE("every recipe refuses an unknown argument: exit code 2, one line naming it", "[recipes][args]") {
  auto recipes = vctest::shipped_recipes();
  REQUIRE(recipes.size() >= kShippedAtLeast);
  for (const auto& recipe : recipes) {
    INFO(recipe);
    auto r = vctest::run_recipe_captured(recipe, {"no_such_argument=1"});
    INFO(r.err);
    CHECK(r.code == 2);
    CHECK(contains(r.err, "argument 'no_such_argument': unknown"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
}

TEST_CASE("the voxclone binary answers a recipe's --help and refuses its unknown arguments",
          "[recipes][args]") {
  std::string out;
  CHECK(vctest::run_shipped_recipe("aishell3/synthesizer_train.lua", {"--help"}, &out) == 0);
  CHECK(out.rfind("usage: voxclone run " + vctest::recipe_path("aishell3/synthesizer_train.lua"), 0) == 0);
  // The corpus settings are the defaults the help shows.
  CHECK(contains(out, "(default: mandarin)"));
  CHECK(vctest::run_shipped_recipe("vocoder_train.lua", {"run_id=x", "colour=red"}, &out) == 2);
  CHECK(contains(out, "vocoder_train.lua: argument 'colour': unknown (known: "));
}

TEST_CASE("docs/recipes.md lists every shipped recipe", "[recipes][docs]") {
  std::string doc = vctest::read_text(std::string(VOXCLONE_SOURCE_DIR) + "/docs/recipes.md");
  REQUIRE_FALSE(doc.empty());
  for (const auto& recipe : vctest::shipped_recipes()) {
    std::string rel = fs::path(recipe).lexically_relative(fs::path(VOXCLONE_SOURCE_DIR)).string();
    INFO(rel << " is not named in docs/recipes.md");
    CHECK(contains(doc, "`" + rel + "`"));
  }
}
