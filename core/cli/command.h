// Subcommand registration for the `voxclone` executable: each cmd_*.cpp registers itself statically.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace voxclone::cli {

/// Options every subcommand understands (`--set`, `--config`, `--device`, `--log-level`, ...).
struct GlobalOptions {
  std::vector<std::string> set;
  std::string config;
  std::string device = "cpu";
  std::string log_level = "info";
  std::string log_file;
  std::vector<std::string> plugin_dirs;
  int threads = 0;  ///< intra-op threads; 0: $OMP_NUM_THREADS if set, else every core this process may use
};
GlobalOptions& global_options();

/// Applies the global options: logging, device, config file, --set overrides, plugin loading.
/// Commands that create plugins call it first.
void prepare_runtime();

/// A subcommand adds itself to `app` (app.add_subcommand(...)) and sets its callback; the callback may
/// throw voxclone::Error (mapped to exit codes by main).
using Setup = void (*)(CLI::App& app);

/// Thrown by a command that has already reported its outcome: main returns `code` and prints nothing.
struct ExitRequest {
  int code;
};

struct CommandRegistrar {
  CommandRegistrar(int order, Setup setup);
};

struct RegisteredCommand {
  int order;
  Setup setup;
};
std::vector<RegisteredCommand>& registered_commands();

}  // namespace voxclone::cli

/// VOXCLONE_COMMAND(order, fn): registers `fn(CLI::App&)`; `order` sorts the help listing.
#define VOXCLONE_COMMAND(ORDER, FN) \
  static const ::voxclone::cli::CommandRegistrar voxclone_cmd_registrar_##FN(ORDER, &FN)
