// Output capture around run_recipe: file descriptors 1 and 2 go to scratch files while the recipe runs.
#include "recipe_runner.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "fixtures.h"
#include "lua/lua_host.h"

namespace vctest {

std::string test_recipe(const std::string& name) {
  return std::string(VOXCLONE_LUA_TEST_RECIPES) + "/" + name;
}

static std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

RecipeRun run_recipe_captured(const std::string& recipe, const std::vector<std::string>& args) {
  std::string dir = scratch_dir("lua-capture");
  std::string out_path = dir + "/stdout", err_path = dir + "/stderr";
  std::fflush(stdout);
  std::fflush(stderr);
  int saved_out = dup(1), saved_err = dup(2);
  int out_fd = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int err_fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (saved_out < 0 || saved_err < 0 || out_fd < 0 || err_fd < 0) throw std::runtime_error("capture failed");
  dup2(out_fd, 1);
  dup2(err_fd, 2);
  RecipeRun r;
  r.code = voxclone::lua::run_recipe(recipe, args);
  std::fflush(stdout);
  std::fflush(stderr);
  spdlog::default_logger()->flush();
  dup2(saved_out, 1);
  dup2(saved_err, 2);
  for (int fd : {saved_out, saved_err, out_fd, err_fd}) close(fd);
  r.out = slurp(out_path);
  r.err = slurp(err_path);
  return r;
}

}  // namespace vctest
