// `voxclone run RECIPE.lua [key=value ...]`: runs a Lua recipe; everything after the recipe is its own.
#include <memory>

#include "command.h"
#include "lua/lua_host.h"

namespace voxclone::cli {

static void setup_run(CLI::App& app) {
  auto* cmd = app.add_subcommand("run",
                                 "Run a Lua recipe: voxclone run RECIPE.lua [key=value ...] "
                                 "(voxclone run RECIPE.lua --help lists its arguments)");
  auto words = std::make_shared<std::vector<std::string>>();
  cmd->add_option("recipe", *words, "The recipe file, then its arguments (key=value, --key=value, --help)")
      ->required();
  // Once the recipe is seen, every later word (--help included) is a positional for the recipe;
  // global options before it (voxclone run --device cuda r.lua) still reach the main app.
  cmd->positionals_at_end();
  cmd->callback([words] {
    prepare_runtime();
    std::vector<std::string> args(words->begin() + 1, words->end());
    int code = voxclone::lua::run_recipe(words->front(), args);
    if (code != 0) throw ExitRequest{code};  // the recipe host has reported what happened
  });
}

VOXCLONE_COMMAND(50, setup_run);

}  // namespace voxclone::cli
