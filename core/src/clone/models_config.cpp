// Model specs and models files (see voxclone/clone.h): which encoder, synthesizer and vocoder a clone uses.
#include <cstdlib>
#include <filesystem>

#include "voxclone/clone.h"
#include "voxclone/config.h"
#include "voxclone/error.h"

namespace voxclone {
namespace fs = std::filesystem;

ModelSpec parse_model_spec(const std::string& spec) {
  ModelSpec m;
  auto colon = spec.find(':');
  m.name = spec.substr(0, colon);
  if (colon != std::string::npos) m.checkpoint = spec.substr(colon + 1);
  if (m.name.empty()) throw UserError("model '" + spec + "': expected NAME[:CHECKPOINT]");
  if (colon != std::string::npos && m.checkpoint.empty())
    throw UserError("model '" + spec + "': the checkpoint after ':' is empty");
  return m;
}

namespace {

ModelSpec read_table(const std::string& path, const std::string& table) {
  Config c = Config::from_toml_file(path, table);
  std::string where = path + ": [" + table + "]";
  if (c.keys().empty()) throw UserError(where + " is missing");
  ModelSpec m;
  for (const std::string& key : c.keys()) {
    if (key == "name") {
      m.name = c.get_string(key);
    } else if (key == "checkpoint") {
      m.checkpoint = c.get_string(key);
    } else if (key.rfind("options.", 0) == 0) {
      m.options.emplace_back(key.substr(8), c.get(key));
    } else {
      throw UserError(where + ": unknown key '" + key + "' (known: name, checkpoint, [" + table + ".options])");
    }
  }
  if (m.name.empty()) throw UserError(where + ": 'name' is required");
  if (!m.checkpoint.empty() && fs::path(m.checkpoint).is_relative())
    m.checkpoint = (fs::path(path).parent_path() / m.checkpoint).lexically_normal().string();
  return m;
}

}  // namespace

ModelsConfig load_models_config(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw UserError(path + ": no such models file");
  ModelsConfig m;
  m.encoder = read_table(path, "encoder");
  m.synthesizer = read_table(path, "synthesizer");
  m.vocoder = read_table(path, "vocoder");
  m.source = path;
  return m;
}

ModelsConfig choose_models(const ModelsConfig* base, const std::string& models_file, const std::string& encoder,
                           const std::string& synthesizer, const std::string& vocoder) {
  ModelsConfig m;
  if (base) {
    m = *base;
  } else if (!models_file.empty()) {
    m = load_models_config(models_file);
  } else if (encoder.empty() || synthesizer.empty() || vocoder.empty()) {
    std::string path = default_models_path();
    if (path.empty())
      throw UserError("no models file found ($VOXCLONE_MODELS, ~/.config/voxclone/models.toml, models/default.toml); "
                      "name one (--models FILE) or give the encoder, synthesizer and vocoder");
    m = load_models_config(path);
  }
  if (!encoder.empty()) m.encoder = parse_model_spec(encoder);
  if (!synthesizer.empty()) m.synthesizer = parse_model_spec(synthesizer);
  if (!vocoder.empty()) m.vocoder = parse_model_spec(vocoder);
  return m;
}

std::string default_models_path() {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("VOXCLONE_MODELS"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
    candidates.push_back(fs::path(xdg) / "voxclone" / "models.toml");
  else if (const char* home = std::getenv("HOME"); home && *home)
    candidates.push_back(fs::path(home) / ".config" / "voxclone" / "models.toml");
#ifdef VOXCLONE_SOURCE_DIR
  candidates.push_back(fs::path(VOXCLONE_SOURCE_DIR) / "models" / "default.toml");
#endif
#ifdef VOXCLONE_INSTALL_PREFIX
  candidates.push_back(fs::path(VOXCLONE_INSTALL_PREFIX) / "share" / "voxclone" / "models" / "default.toml");
#endif
  std::error_code ec;
  for (const auto& c : candidates)
    if (fs::is_regular_file(c, ec)) return c.string();
  return "";
}

}  // namespace voxclone
