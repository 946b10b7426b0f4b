// The registry of factories keyed by (kind, name).
#include "voxclone/registry.h"

#include <algorithm>

#include "voxclone/error.h"

namespace voxclone {

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::Encoder: return "encoder";
    case Kind::Synthesizer: return "synthesizer";
    case Kind::Vocoder: return "vocoder";
    case Kind::Dataset: return "dataset";
    case Kind::Text: return "text";
    case Kind::Stage: return "stage";
  }
  return "?";
}

Kind kind_from_name(const std::string& name) {
  for (Kind k : {Kind::Encoder, Kind::Synthesizer, Kind::Vocoder, Kind::Dataset, Kind::Text, Kind::Stage})
    if (name == kind_name(k)) return k;
  throw UserError("unknown plugin kind '" + name + "' (expected encoder, synthesizer, vocoder, dataset, text or stage)");
}

const char* torch_version_string() { return VOXCLONE_TORCH_VERSION_STRING; }

struct Registry::Impl {
  struct Entry {
    FactoryInfo info;
    void (*fn)();
  };
  std::map<std::pair<Kind, std::string>, Entry> entries;
  // The plugin being registered (set by the loader around register_fn).
  std::string plugin, version, file, config_toml;
  bool in_plugin = false;
};

Registry::Registry() : impl_(std::make_unique<Impl>()) {}
Registry::~Registry() = default;

void Registry::begin_plugin(const std::string& plugin, const std::string& version, const std::string& file,
                            const std::string& config_toml) {
  impl_->plugin = plugin;
  impl_->version = version;
  impl_->file = file;
  impl_->config_toml = config_toml;
  impl_->in_plugin = true;
}

void Registry::end_plugin() { impl_->in_plugin = false; }

void Registry::add_raw(Kind kind, const std::string& name, void (*fn)(), const std::string& summary) {
  auto key = std::make_pair(kind, name);
  auto existing = impl_->entries.find(key);
  if (existing != impl_->entries.end())
    throw UserError(std::string(kind_name(kind)) + ":" + name + " is registered twice (" +
                    existing->second.info.file + " and " + impl_->file + ")");
  FactoryInfo info;
  info.kind = kind;
  info.name = name;
  info.summary = summary;
  if (impl_->in_plugin) {
    info.plugin = impl_->plugin;
    info.plugin_version = impl_->version;
    info.file = impl_->file;
    info.defaults = Config::from_toml(impl_->config_toml, name, impl_->file + " (embedded config.toml)");
  } else {
    info.plugin = "builtin";
    info.defaults = Config(name);
  }
  impl_->entries[key] = Impl::Entry{std::move(info), fn};
}

void (*Registry::find_raw(Kind kind, const std::string& name) const)() {
  auto it = impl_->entries.find({kind, name});
  if (it == impl_->entries.end()) {
    std::string known;
    for (const auto& [k, e] : impl_->entries)
      if (k.first == kind) known += (known.empty() ? "" : ", ") + k.second;
    throw UserError("no " + std::string(kind_name(kind)) + " plugin named '" + name + "' (available: " +
                    (known.empty() ? "none; see voxclone plugins" : known) + ")");
  }
  return it->second.fn;
}

bool Registry::has(Kind kind, const std::string& name) const { return impl_->entries.count({kind, name}) != 0; }

const FactoryInfo& Registry::info(Kind kind, const std::string& name) const {
  find_raw(kind, name);  // throws the precise message
  return impl_->entries.at({kind, name}).info;
}

Config Registry::defaults(Kind kind, const std::string& name) const { return info(kind, name).defaults; }

std::vector<FactoryInfo> Registry::list() const {
  std::vector<FactoryInfo> out;
  for (const auto& [k, e] : impl_->entries) out.push_back(e.info);
  return out;  // std::map order: by kind, then name
}

}  // namespace voxclone
