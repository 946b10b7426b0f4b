// The process-wide runtime: loaded plugins, device, configuration overrides, and creating components.
// The CLI and the Lua host both go through it, so `--set`, `--config` and `--device` mean the same there.
//
//   auto& rt = voxclone::Runtime::instance();
//   rt.load_plugins();
//   auto voc = rt.create<voxclone::Vocoder>("griffinlim", "", {{"n_iter", 32}});
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "voxclone/registry.h"

namespace voxclone {

/// The outcome of loading one plugin file.
struct PluginLoadResult {
  std::string file;
  bool ok = false;
  std::string plugin, version;  ///< when ok
  std::string error;            ///< one line naming the file and what was wrong
};

using Overrides = std::vector<std::pair<std::string, ConfigValue>>;

class Runtime {
 public:
  static Runtime& instance();

  /// Scans, in order: the build's plugin folder (next to the executable: ../plugins), the install folder
  /// (../lib/voxclone/plugins and the configured prefix), every folder of $VOXCLONE_PLUGIN_PATH (':'-
  /// separated) and `extra_dirs`. A file that fails is logged as one warning line; the rest still load.
  /// Loads once; later calls only add `extra_dirs` not seen yet.
  void load_plugins(const std::vector<std::string>& extra_dirs = {});
  /// Loads one file (used by tests and load_plugins).
  PluginLoadResult load_plugin_file(const std::string& path);
  const std::vector<PluginLoadResult>& load_results() const { return results_; }
  std::vector<std::string> plugin_search_path() const;

  Registry& registry() { return registry_; }

  /// "cpu", "cuda", "cuda:N". UserError if unknown or CUDA is not available.
  void set_device(const std::string& device);
  c10::Device device() const { return device_; }

  /// A TOML file whose tables are named after factories ([griffinlim]) or kinds ([vocoder]); or a model's own
  /// JSON config (a path ending in .json, e.g. MockingBird's HiFi-GAN config): its path becomes the
  /// `config_json` key of every factory that declares one (UserError at load_plugins if none does).
  void add_config_file(const std::string& path);
  /// "section.key=value" where section is a factory name or a kind; UserError if malformed.
  void add_override(const std::string& assignment);

  /// Defaults of (kind, name) < --config file < `recipe` (unknown keys are errors) < --set overrides.
  Config resolve_config(Kind kind, const std::string& name, const Overrides& recipe = {}) const;

  template <class T>
  std::unique_ptr<T> create(const std::string& name, const std::string& checkpoint = "",
                            const Overrides& recipe = {}) {
    CreateArgs args;
    args.config = resolve_config(KindOf<T>::value, name, recipe);
    args.checkpoint = checkpoint;
    args.device = device_;
    used_.push_back(args.config);
    return registry_.template create<T>(name, args);
  }

  /// Every configuration a component was created with so far (to write next to outputs).
  const std::vector<Config>& used_configs() const { return used_; }

 private:
  Runtime();
  Registry registry_;
  std::vector<PluginLoadResult> results_;
  std::vector<std::string> scanned_dirs_;
  bool loaded_ = false;
  c10::Device device_{c10::DeviceType::CPU};
  std::vector<std::pair<std::string, ConfigValue>> file_overrides_;  // "section.key" → value
  std::vector<std::pair<std::string, std::string>> set_overrides_;   // "section.key" → text
  std::string json_config_;                                          // --config FILE.json
  std::vector<Config> used_;
};

}  // namespace voxclone
