// The `voxclone` executable: global options, subcommand dispatch, and the mapping of errors to exit codes
// (0 success, 2 bad input or usage with one line on stderr, 1 internal error).
#include <ATen/Parallel.h>
#include <sched.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "command.h"
#include "voxclone/error.h"
#include "voxclone/log.h"
#include "voxclone/runtime.h"

namespace voxclone::cli {

GlobalOptions& global_options() {
  static GlobalOptions g;
  return g;
}

std::vector<RegisteredCommand>& registered_commands() {
  static std::vector<RegisteredCommand> v;
  return v;
}

CommandRegistrar::CommandRegistrar(int order, Setup setup) { registered_commands().push_back({order, setup}); }

namespace {

// LibTorch built with OpenMP starts with one intra-op thread here unless OMP_NUM_THREADS says otherwise;
// PyTorch's default (and what the reference timings use) is one per core.
void set_threads(int requested) {
  int n = requested;
  if (n <= 0 && std::getenv("OMP_NUM_THREADS")) return;  // the OpenMP runtime already read it
  if (n <= 0) {
    cpu_set_t set;
    n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
  }
  at::set_num_threads(std::max(1, n));
  spdlog::debug("{} intra-op thread(s)", at::get_num_threads());
}

}  // namespace

void prepare_runtime() {
  auto& g = global_options();
  init_logging(g.log_level, g.log_file);
  set_threads(g.threads);
  auto& rt = Runtime::instance();
  rt.set_device(g.device);
  if (!g.config.empty()) rt.add_config_file(g.config);
  for (const auto& s : g.set) rt.add_override(s);
  rt.load_plugins(g.plugin_dirs);
}

}  // namespace voxclone::cli

int main(int argc, char** argv) {
  using namespace voxclone;
  CLI::App app{"voxclone: voice cloning in the SV2TTS family (speaker encoder, synthesizer, vocoder)"};
  app.set_version_flag("--version", std::string("voxclone ") + VOXCLONE_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  auto& g = cli::global_options();
  app.add_option("--set", g.set, "Override one configuration key: section.key=value (repeatable)");
  app.add_option("--config", g.config, "TOML file with [plugin] or [kind] tables (HiFi-GAN: also its JSON)");
  app.add_option("--device", g.device, "cpu, cuda or cuda:N")->capture_default_str();
  app.add_option("--log-level", g.log_level, "trace, debug, info, warn, error")->capture_default_str();
  app.add_option("--log-file", g.log_file, "Also write the log to this file");
  app.add_option("--plugin-dir", g.plugin_dirs, "Extra folder to scan for plugins (repeatable)");
  app.add_option("--threads", g.threads,
                 "Intra-op threads (default: $OMP_NUM_THREADS if set, else one per available core)")
      ->check(CLI::Range(0, 4096));

  auto& cmds = cli::registered_commands();
  std::sort(cmds.begin(), cmds.end(), [](auto& a, auto& b) { return a.order < b.order; });
  for (auto& c : cmds) c.setup(app);

  try {
    try {
      app.parse(argc, argv);
    } catch (const CLI::Success& e) {  // --help, --version
      return app.exit(e);
    } catch (const CLI::ParseError& e) {
      std::string msg = e.what();
      auto rest = app.remaining();
      if (app.get_subcommands().empty() && !rest.empty() && rest.front().rfind("-", 0) != 0)
        msg = "unknown command '" + rest.front() + "'";
      std::fprintf(stderr, "voxclone: %s (see voxclone --help)\n", msg.c_str());
      return 2;
    }
  } catch (const cli::ExitRequest& e) {
    return e.code;
  } catch (const Error& e) {
    spdlog::shutdown();
    std::fprintf(stderr, "voxclone: %s\n", e.what());
    return e.exit_code();
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "voxclone: out of memory\n");
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "voxclone: internal error: %s\n", e.what());
    return 1;
  }
  return 0;
}
