// Runs a test recipe in-process through voxclone::lua::run_recipe and captures what it prints.
#pragma once

#include <string>
#include <vector>

namespace vctest {

struct RecipeRun {
  int code = -1;
  std::string out, err;  ///< stdout and stderr (spdlog's console sink included)
};

/// Path of tests/core/lua/recipes/<name>.
std::string test_recipe(const std::string& name);

/// Runs `recipe` with `args`, stdout and stderr redirected to files for the duration.
RecipeRun run_recipe_captured(const std::string& recipe, const std::vector<std::string>& args = {});

}  // namespace vctest
