// The Lua recipe host as the CLI sees it: run one recipe file with its command-line arguments.
#pragma once

#include <string>
#include <vector>

namespace voxclone::lua {

/// Runs the recipe at `path`. `args` are `key=value`, `--key=value`, `--flag` (a bool set to true) and
/// `--help`/`-h`; the recipe reads them with `vc.args{...}`. Errors are reported on stderr.
/// Returns the exit code: 0 success (or the recipe's os.exit / returned integer), 2 a user mistake (bad
/// argument, bad option, missing file: one line), 1 a failure inside the recipe (file:line + traceback).
/// Never throws.
int run_recipe(const std::string& path, const std::vector<std::string>& args);

}  // namespace voxclone::lua
