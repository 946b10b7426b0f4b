// The registry of factories keyed by (kind, name), and what a plugin library exports.
//
// A plugin's plugin.cpp:
//
//   #include "voxclone/registry.h"
//   static std::unique_ptr<voxclone::Vocoder> make(const voxclone::CreateArgs& a) { ... }
//   static void register_all(voxclone::Registry& r) { r.add<voxclone::Vocoder>("griffinlim", &make, "..."); }
//   VOXCLONE_PLUGIN("griffinlim", "0.1.0", register_all)
#pragma once

#include <boost/dll/alias.hpp>
#include <torch/csrc/api/include/torch/version.h>  // TORCH_VERSION only: a tiny header

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "voxclone/interfaces.h"

namespace voxclone {

enum class Kind { Encoder, Synthesizer, Vocoder, Dataset, Text, Stage };
const char* kind_name(Kind kind);  ///< "encoder", "synthesizer", "vocoder", "dataset", "text", "stage"
/// Parses a kind name; UserError for an unknown one.
Kind kind_from_name(const std::string& name);

template <class T> struct KindOf;
template <> struct KindOf<SpeakerEncoder> { static constexpr Kind value = Kind::Encoder; };
template <> struct KindOf<Synthesizer> { static constexpr Kind value = Kind::Synthesizer; };
template <> struct KindOf<Vocoder> { static constexpr Kind value = Kind::Vocoder; };
template <> struct KindOf<Dataset> { static constexpr Kind value = Kind::Dataset; };
template <> struct KindOf<TextFrontend> { static constexpr Kind value = Kind::Text; };
template <> struct KindOf<Stage> { static constexpr Kind value = Kind::Stage; };

template <class T>
using Factory = std::unique_ptr<T> (*)(const CreateArgs&);

/// One registered factory.
struct FactoryInfo {
  Kind kind;
  std::string name, summary;
  std::string plugin, plugin_version, file;  ///< the library it came from
  Config defaults;                            ///< the [name] table of the plugin's config.toml
};

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  /// Called from a plugin's register function. A duplicate (kind, name) is refused with UserError.
  template <class T>
  void add(const std::string& name, Factory<T> factory, const std::string& summary) {
    add_raw(KindOf<T>::value, name, reinterpret_cast<void (*)()>(factory), summary);
  }

  /// Creates an instance. `args.config` must hold the defaults with overrides applied
  /// (see defaults()); UserError if (kind, name) is unknown, listing what is available.
  template <class T>
  std::unique_ptr<T> create(const std::string& name, const CreateArgs& args) const {
    return reinterpret_cast<Factory<T>>(find_raw(KindOf<T>::value, name))(args);
  }

  /// The default config of (kind, name); UserError if unknown.
  Config defaults(Kind kind, const std::string& name) const;
  bool has(Kind kind, const std::string& name) const;
  const FactoryInfo& info(Kind kind, const std::string& name) const;
  std::vector<FactoryInfo> list() const;  ///< sorted by kind, name

  /// Used by the loader around a plugin's register call.
  void begin_plugin(const std::string& plugin, const std::string& version, const std::string& file,
                    const std::string& config_toml);
  void end_plugin();

 private:
  void add_raw(Kind kind, const std::string& name, void (*fn)(), const std::string& summary);
  void (*find_raw(Kind kind, const std::string& name) const)();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Bumped whenever an interface or this descriptor changes layout.
constexpr uint32_t kPluginAbiVersion = 2;  // 2: Vocoder::expected_mel

/// What a plugin exports (one symbol). `abi_version` MUST stay the first member in every ABI version:
/// the loader reads it before anything else.
struct PluginDescriptor {
  uint32_t abi_version;
  const char* name;
  const char* version;
  const char* torch_version;  ///< the LibTorch version the plugin was built against
  const char* config_toml;    ///< the plugin's config.toml (defaults of every factory it registers)
  void (*register_fn)(Registry&);
};

/// The LibTorch version this code is compiled against ("1.13.1").
const char* torch_version_string();

}  // namespace voxclone

// The symbol name the loader imports.
#define VOXCLONE_PLUGIN_SYMBOL voxclone_plugin_descriptor
#define VOXCLONE_PLUGIN_SYMBOL_NAME "voxclone_plugin_descriptor"

/// Declares the plugin's descriptor: a constant data symbol, so the loader can check it without running
/// any of the plugin's code. The config.toml text is embedded by voxclone_add_plugin().
#define VOXCLONE_PLUGIN(NAME, VERSION, REGISTER_FN)                                                      \
  extern "C" const char voxclone_plugin_config_toml[];                                                  \
  namespace {                                                                                            \
  const voxclone::PluginDescriptor voxclone_plugin_descriptor_data{                                    \
      voxclone::kPluginAbiVersion, NAME, VERSION, VOXCLONE_TORCH_VERSION_STRING,                         \
      voxclone_plugin_config_toml, &REGISTER_FN};                                                        \
  }                                                                                                      \
  BOOST_DLL_ALIAS(voxclone_plugin_descriptor_data, VOXCLONE_PLUGIN_SYMBOL)

#define VOXCLONE_TORCH_VERSION_STRING TORCH_VERSION
