// Helpers of the recipe tests (see recipe_test_util.h).
#include "recipe_test_util.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fixtures.h"

namespace fs = std::filesystem;

namespace vctest {

std::string recipe_path(const std::string& rel) {
  return std::string(VOXCLONE_SOURCE_DIR) + "/recipes/" + rel;
}

std::vector<std::string> shipped_recipes() {
  const fs::path root = fs::path(VOXCLONE_SOURCE_DIR) / "recipes";
  std::vector<std::string> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    if (it->is_directory() && it->path() == root / "lib") {
      it.disable_recursion_pending();  // shared modules, not recipes
      continue;
    }
    if (it->is_regular_file() && it->path().extension() == ".lua") out.push_back(it->path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

static std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

int run_shipped_recipe(const std::string& rel, const std::vector<std::string>& args, std::string* out,
                       const std::vector<std::string>& global) {
  std::string cmd = voxclone_binary();
  for (const auto& g : global) cmd += " " + quoted(g);
  cmd += " run " + quoted(recipe_path(rel));
  for (const auto& a : args) cmd += " " + quoted(a);
  return run_command(cmd, out);
}

std::string datasets_root_or_skip() {
  return fs::path(fixture_or_skip("datasets/expected_reader_outputs.json")).parent_path().string();
}

std::string sv2tts_or_skip() {
  return fs::path(fixture_or_skip("rtvc/synthesizer/sv2tts/SV2TTS/synthesizer/train.txt"))
      .parent_path()
      .string();
}

}  // namespace vctest
