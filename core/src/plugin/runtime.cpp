// The runtime: plugin discovery and loading (Boost.DLL), device selection, and configuration overrides.
#include "voxclone/runtime.h"

#include <ATen/Context.h>
#include <unistd.h>

#include <boost/dll/shared_library.hpp>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "voxclone/error.h"
#include "voxclone/log.h"

namespace voxclone {

namespace fs = std::filesystem;

namespace {

// Loaded libraries are never unloaded: factories and vtables point into them for the life of the process.
std::vector<boost::dll::shared_library>& kept_libraries() {
  static std::vector<boost::dll::shared_library> libs;
  return libs;
}

std::string executable_dir() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  buf[n] = '\0';
  return fs::path(buf).parent_path().string();
}

std::pair<std::string, std::string> split_section(const std::string& dotted, const std::string& what) {
  auto dot = dotted.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == dotted.size())
    throw UserError(what + " '" + dotted + "': expected section.key (section = a plugin name or a kind)");
  return {dotted.substr(0, dot), dotted.substr(dot + 1)};
}

bool is_kind_name(const std::string& s) {
  for (Kind k : {Kind::Encoder, Kind::Synthesizer, Kind::Vocoder, Kind::Dataset, Kind::Text, Kind::Stage})
    if (s == kind_name(k)) return true;
  return false;
}

}  // namespace

Runtime& Runtime::instance() {
  static Runtime rt;
  return rt;
}

Runtime::Runtime() = default;

std::vector<std::string> Runtime::plugin_search_path() const {
  std::vector<std::string> dirs;
  std::string exe = executable_dir();
  if (!exe.empty()) {
    dirs.push_back((fs::path(exe) / ".." / "plugins").lexically_normal().string());
    dirs.push_back((fs::path(exe) / ".." / "lib" / "voxclone" / "plugins").lexically_normal().string());
  }
#ifdef VOXCLONE_PLUGIN_INSTALL_DIR
  dirs.push_back(VOXCLONE_PLUGIN_INSTALL_DIR);
#endif
  if (const char* env = std::getenv("VOXCLONE_PLUGIN_PATH")) {
    std::string s = env;
    size_t start = 0;
    while (start <= s.size()) {
      size_t end = s.find(':', start);
      if (end == std::string::npos) end = s.size();
      if (end > start) dirs.push_back(s.substr(start, end - start));
      start = end + 1;
    }
  }
  return dirs;
}

PluginLoadResult Runtime::load_plugin_file(const std::string& path) {
  PluginLoadResult r;
  r.file = path;
  auto fail = [&](const std::string& msg) {
    r.error = "plugin " + path + ": " + msg;
    results_.push_back(r);
    return r;
  };
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return fail("not a readable file");
  boost::dll::shared_library lib;
  try {
    lib.load(path, boost::dll::load_mode::rtld_lazy | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    return fail(std::string("cannot be loaded as a shared library (") + e.what() + ")");
  }
  if (!lib.has(VOXCLONE_PLUGIN_SYMBOL_NAME)) return fail("not a voxclone plugin (no descriptor symbol)");
  const PluginDescriptor* d = nullptr;
  try {
    d = &lib.get_alias<const PluginDescriptor>(VOXCLONE_PLUGIN_SYMBOL_NAME);
  } catch (const std::exception& e) {
    return fail(std::string("unreadable descriptor (") + e.what() + ")");
  }
  // The ABI version is the first member in every ABI: check it before reading anything else.
  if (d->abi_version != kPluginAbiVersion)
    return fail("plugin ABI version " + std::to_string(d->abi_version) + ", expected " +
                std::to_string(kPluginAbiVersion) + " (rebuild the plugin against this voxclone)");
  std::string torch_v = d->torch_version ? d->torch_version : "?";
  if (torch_v != torch_version_string())
    return fail("built with LibTorch " + torch_v + ", this voxclone uses " + torch_version_string());
  r.plugin = d->name ? d->name : "?";
  r.version = d->version ? d->version : "?";
  for (const auto& prev : results_)
    if (prev.ok && prev.plugin == r.plugin) {
      spdlog::debug("plugin {} from {} skipped: already loaded from {}", r.plugin, path, prev.file);
      r.ok = false;
      r.error = "";
      return r;
    }
  try {
    registry_.begin_plugin(r.plugin, r.version, path, d->config_toml ? d->config_toml : "");
    d->register_fn(registry_);
    registry_.end_plugin();
  } catch (const std::exception& e) {
    registry_.end_plugin();
    return fail(std::string("registration failed: ") + e.what());
  }
  kept_libraries().push_back(std::move(lib));
  r.ok = true;
  results_.push_back(r);
  spdlog::debug("loaded plugin {} {} from {}", r.plugin, r.version, path);
  return r;
}

void Runtime::load_plugins(const std::vector<std::string>& extra_dirs) {
  std::vector<std::string> dirs;
  if (!loaded_) dirs = plugin_search_path();
  for (const auto& d : extra_dirs) {
    std::error_code ec;
    if (!fs::is_directory(d, ec)) throw UserError("plugin folder " + d + " does not exist");
    dirs.push_back(d);
  }
  loaded_ = true;
  for (const auto& dir : dirs) {
    std::error_code ec;
    std::string canon = fs::weakly_canonical(dir, ec).string();
    if (ec || !fs::is_directory(canon, ec)) continue;
    if (std::find(scanned_dirs_.begin(), scanned_dirs_.end(), canon) != scanned_dirs_.end()) continue;
    scanned_dirs_.push_back(canon);
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(canon, ec))
      if (e.path().extension() == ".so") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      auto r = load_plugin_file(f);
      if (!r.ok && !r.error.empty()) spdlog::warn("{}", r.error);
    }
  }
  // Now every section name can be checked.
  auto check = [&](const std::string& section, const std::string& what) {
    if (is_kind_name(section)) return;
    for (const auto& f : registry_.list())
      if (f.name == section) return;
    throw UserError(what + ": no plugin or kind named '" + section + "' (see voxclone plugins)");
  };
  for (const auto& [k, v] : file_overrides_) check(split_section(k, "--config key").first, "--config [" + k + "]");
  for (const auto& [k, v] : set_overrides_) check(split_section(k, "--set").first, "--set " + k);
  if (!json_config_.empty()) {
    bool taken = false;
    for (const auto& f : registry_.list()) taken = taken || f.defaults.has("config_json");
    if (!taken)
      throw UserError("--config " + json_config_ + ": no loaded plugin reads a JSON config (TOML expected)");
  }
}

void Runtime::set_device(const std::string& device) {
  c10::Device d(c10::DeviceType::CPU);
  try {
    d = c10::Device(device);
  } catch (const std::exception&) {
    throw UserError("unknown device '" + device + "' (expected cpu, cuda or cuda:N)");
  }
  if (d.is_cuda()) {
    if (!at::hasCUDA()) throw UserError("device '" + device + "' requested but this LibTorch has no CUDA device");
  } else if (!d.is_cpu()) {
    throw UserError("unsupported device '" + device + "' (expected cpu, cuda or cuda:N)");
  }
  device_ = d;
}

void Runtime::add_config_file(const std::string& path) {
  if (path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0) {
    if (!fs::is_regular_file(path)) throw UserError("--config " + path + ": file not found");
    json_config_ = path;
    return;
  }
  Config all = Config::from_toml_file(path);
  for (const auto& key : all.keys()) {
    split_section(key, "--config " + path + " key");  // every key must sit in a [section]
    file_overrides_.emplace_back(key, all.get(key));
  }
}

void Runtime::add_override(const std::string& assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string::npos) throw UserError("--set '" + assignment + "': expected section.key=value");
  std::string key = assignment.substr(0, eq);
  split_section(key, "--set");
  set_overrides_.emplace_back(key, assignment.substr(eq + 1));
}

Config Runtime::resolve_config(Kind kind, const std::string& name, const Overrides& recipe) const {
  Config c = registry_.defaults(kind, name);
  auto applies = [&](const std::string& section) { return section == name || section == kind_name(kind); };
  if (!json_config_.empty() && c.has("config_json")) c.set("config_json", json_config_);
  for (const auto& [k, v] : file_overrides_) {
    auto [section, key] = split_section(k, "--config key");
    if (applies(section)) c.set(key, v);
  }
  for (const auto& [k, v] : recipe) c.set(k, v);
  for (const auto& [k, text] : set_overrides_) {
    auto [section, key] = split_section(k, "--set");
    if (applies(section)) c.set_from_string(key, text);
  }
  return c;
}

}  // namespace voxclone
