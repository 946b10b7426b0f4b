// Helpers of the recipe tests: the shipped recipes, running one through the `voxclone` binary, reading
// outputs.
#pragma once

#include <string>
#include <vector>

namespace vctest {

/// Path of recipes/<rel> in the source tree.
std::string recipe_path(const std::string& rel);

/// Every shipped recipe: recipes/**/*.lua except the modules under recipes/lib, sorted.
std::vector<std::string> shipped_recipes();

/// `voxclone [global...] run recipes/<rel> args...` (each argument quoted for the shell); returns the exit
/// status, stdout and stderr together in `out`.
int run_shipped_recipe(const std::string& rel, const std::vector<std::string>& args, std::string* out,
                       const std::vector<std::string>& global = {});

/// The dataset layout fixtures (RTVC's datasets root: LibriSpeech/, VCTK-Corpus/, aishell3/ ...), or skip.
std::string datasets_root_or_skip();

/// The folder of the RTVC SV2TTS fixture (real preprocessed speech, texts, 256-d embeddings), or skip.
std::string sv2tts_or_skip();

}  // namespace vctest
