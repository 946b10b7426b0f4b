// `voxclone plugins`: lists every registered factory (kind, name, version, file) and every plugin that failed.
#include <cstdio>

#include "command.h"
#include "voxclone/runtime.h"

namespace voxclone::cli {
namespace {

void setup_plugins(CLI::App& app) {
  auto* sub = app.add_subcommand("plugins", "List the loaded plugins: kind, name, version, file");
  static bool verbose = false;
  sub->add_flag("-v,--verbose", verbose, "Also print each factory's summary and the folders searched");
  sub->callback([] {
    prepare_runtime();
    auto& rt = Runtime::instance();
    std::printf("%-12s %-18s %-9s %s\n", "KIND", "NAME", "VERSION", "FILE");
    for (const auto& f : rt.registry().list()) {
      std::printf("%-12s %-18s %-9s %s\n", kind_name(f.kind), f.name.c_str(), f.plugin_version.c_str(),
                  f.file.c_str());
      if (verbose) std::printf("%-12s %s\n", "", f.summary.c_str());
    }
    int failed = 0;
    for (const auto& r : rt.load_results())
      if (!r.ok && !r.error.empty()) {
        if (!failed++) std::printf("\nFailed to load:\n");
        std::printf("  %s\n", r.error.c_str());
      }
    if (verbose) {
      std::printf("\nSearched:\n");
      for (const auto& d : rt.plugin_search_path()) std::printf("  %s\n", d.c_str());
    }
  });
}

}  // namespace
VOXCLONE_COMMAND(10, setup_plugins);
}  // namespace voxclone::cli
