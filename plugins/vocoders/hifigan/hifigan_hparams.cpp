// HiFi-GAN hyper-parameters: MockingBird JSON and TOML parsing, validation, JSON output, config discovery.
#include "hifigan_hparams.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "voxclone/error.h"
#include "voxclone/files.h"

namespace voxclone::hifigan {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string join(const std::vector<int64_t>& v) {
  std::ostringstream s;
  s << '[';
  for (size_t i = 0; i < v.size(); ++i) s << (i ? ", " : "") << v[i];
  s << ']';
  return s.str();
}

struct JsonReader {
  const json& j;
  std::string source;

  [[noreturn]] void fail(const std::string& key, const std::string& expected) const {
    throw UserError(source + ": key '" + key + "' must be " + expected + " (MockingBird HiFi-GAN config)");
  }
  void integer(const char* key, int64_t& out) const {
    if (!j.contains(key)) return;
    const json& v = j.at(key);
    if (!v.is_number_integer()) fail(key, "an integer");
    out = v.get<int64_t>();
  }
  void number(const char* key, double& out, bool nullable = false) const {
    if (!j.contains(key)) return;
    const json& v = j.at(key);
    if (nullable && v.is_null()) {
      out = -1.0;
      return;
    }
    if (!v.is_number()) fail(key, nullable ? "a number or null" : "a number");
    out = v.get<double>();
  }
  void ints(const char* key, std::vector<int64_t>& out) const {
    if (!j.contains(key)) return;
    const json& v = j.at(key);
    if (!v.is_array()) fail(key, "a list of integers");
    out.clear();
    for (const auto& e : v) {
      if (!e.is_number_integer()) fail(key, "a list of integers");
      out.push_back(e.get<int64_t>());
    }
  }
};

std::vector<int64_t> config_ints(const ConfigValue& v, const std::string& key) {
  const auto* arr = std::get_if<ConfigValue::Array>(&v.v);
  if (!arr) throw UserError("hifigan." + key + ": expected a list of integers");
  std::vector<int64_t> out;
  for (const auto& e : *arr) {
    const auto* i = std::get_if<int64_t>(&e.v);
    if (!i) throw UserError("hifigan." + key + ": expected a list of integers");
    out.push_back(*i);
  }
  return out;
}

}  // namespace

int64_t Hparams::samples_per_frame() const {
  int64_t p = 1;
  for (int64_t r : upsample_rates) p *= r;
  return p;
}

double Hparams::loss_fmax() const { return fmax_for_loss < 0 ? sampling_rate / 2.0 : fmax_for_loss; }

MelSettings Hparams::input_mel() const {
  MelSettings s;  // MockingBird's synthesizer hparams are RTVC's
  s.sample_rate = int(sampling_rate);
  s.hop_size = int(samples_per_frame());
  s.num_mels = 80;  // conv_pre's input channels are hard-coded to 80 in MockingBird
  return s;
}

void Hparams::validate(const std::string& source) const {
  auto bad = [&](const std::string& what) { throw UserError(source + ": " + what); };
  if (resblock != "1" && resblock != "2") bad("resblock must be \"1\" or \"2\", got \"" + resblock + "\"");
  if (upsample_rates.empty() || upsample_rates.size() != upsample_kernel_sizes.size())
    bad("upsample_rates " + join(upsample_rates) + " and upsample_kernel_sizes " +
        join(upsample_kernel_sizes) + " must be non-empty lists of the same length");
  for (size_t i = 0; i < upsample_rates.size(); ++i)
    if (upsample_rates[i] < 1 || upsample_kernel_sizes[i] < 1) bad("upsample rates and kernels must be >= 1");
  if (upsample_initial_channel < 1 || upsample_initial_channel % (int64_t(1) << upsample_rates.size()) != 0)
    bad("upsample_initial_channel " + std::to_string(upsample_initial_channel) +
        " must be a positive multiple of 2^" + std::to_string(upsample_rates.size()) +
        " (it is halved at every upsampling stage)");
  if (resblock_kernel_sizes.empty() || resblock_kernel_sizes.size() != resblock_dilation_sizes.size())
    bad("resblock_kernel_sizes and resblock_dilation_sizes must be non-empty lists of the same length");
  for (const auto& d : resblock_dilation_sizes)
    if (d.size() < (resblock == "1" ? 3u : 2u))
      bad("resblock_dilation_sizes entries " + join(d) + " need " + (resblock == "1" ? "3" : "2") +
          " dilations for resblock \"" + resblock + "\"");
  if (num_mels != 80)
    bad("num_mels must be 80 (MockingBird's conv_pre takes 80 channels), got " + std::to_string(num_mels));
  if (samples_per_frame() != hop_size)
    bad("the product of upsample_rates " + join(upsample_rates) + " is " +
        std::to_string(samples_per_frame()) + ", but hop_size is " + std::to_string(hop_size));
  if (n_fft < win_size || win_size < 1 || hop_size < 1 || n_fft < hop_size)
    bad("need 1 <= hop_size <= n_fft and 1 <= win_size <= n_fft");
  if (sampling_rate < 1 || fmin < 0 || fmax <= fmin || fmax > sampling_rate / 2.0 ||
      loss_fmax() > sampling_rate / 2.0)
    bad("need 0 <= fmin < fmax <= sampling_rate / 2 (fmax_for_loss too)");
  if (segment_size < hop_size || segment_size % hop_size != 0)
    bad("segment_size must be a multiple of hop_size");
  if (batch_size < 1 || learning_rate <= 0) bad("batch_size and learning_rate must be positive");
}

Hparams hparams_from_json(const std::string& text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    throw UserError(source + ": not valid JSON (" + std::string(e.what()) + ")");
  }
  if (!j.is_object()) throw UserError(source + ": expected a JSON object of HiFi-GAN hyper-parameters");
  Hparams h;
  JsonReader r{j, source};
  if (j.contains("resblock")) {
    const json& v = j.at("resblock");
    if (v.is_string())
      h.resblock = v.get<std::string>();
    else if (v.is_number_integer())
      h.resblock = std::to_string(v.get<int64_t>());
    else
      r.fail("resblock", "\"1\" or \"2\"");
  }
  r.ints("upsample_rates", h.upsample_rates);
  r.ints("upsample_kernel_sizes", h.upsample_kernel_sizes);
  r.integer("upsample_initial_channel", h.upsample_initial_channel);
  r.ints("resblock_kernel_sizes", h.resblock_kernel_sizes);
  if (j.contains("resblock_dilation_sizes")) {
    const json& v = j.at("resblock_dilation_sizes");
    if (!v.is_array()) r.fail("resblock_dilation_sizes", "a list of lists of integers");
    h.resblock_dilation_sizes.clear();
    for (const auto& row : v) {
      if (!row.is_array()) r.fail("resblock_dilation_sizes", "a list of lists of integers");
      std::vector<int64_t> d;
      for (const auto& e : row) {
        if (!e.is_number_integer()) r.fail("resblock_dilation_sizes", "a list of lists of integers");
        d.push_back(e.get<int64_t>());
      }
      h.resblock_dilation_sizes.push_back(d);
    }
  }
  r.integer("segment_size", h.segment_size);
  r.integer("num_mels", h.num_mels);
  r.integer("n_fft", h.n_fft);
  r.integer("hop_size", h.hop_size);
  r.integer("win_size", h.win_size);
  r.integer("sampling_rate", h.sampling_rate);
  r.number("fmin", h.fmin);
  r.number("fmax", h.fmax);
  r.number("fmax_for_loss", h.fmax_for_loss, /*nullable=*/true);
  r.number("learning_rate", h.learning_rate);
  r.number("adam_b1", h.adam_b1);
  r.number("adam_b2", h.adam_b2);
  r.number("lr_decay", h.lr_decay);
  r.integer("seed", h.seed);
  r.integer("batch_size", h.batch_size);
  h.validate(source);
  return h;
}

Hparams hparams_from_json_file(const std::string& path) {
  return hparams_from_json(read_file(path, size_t(1) << 20), path);
}

Hparams hparams_from_config(const Config& c) {
  Hparams h;
  h.resblock = c.get_string("resblock");
  h.upsample_rates = config_ints(c.get("upsample_rates"), "upsample_rates");
  h.upsample_kernel_sizes = config_ints(c.get("upsample_kernel_sizes"), "upsample_kernel_sizes");
  h.upsample_initial_channel = c.get_int("upsample_initial_channel");
  h.resblock_kernel_sizes = config_ints(c.get("resblock_kernel_sizes"), "resblock_kernel_sizes");
  const auto* rows = std::get_if<ConfigValue::Array>(&c.get("resblock_dilation_sizes").v);
  if (!rows) throw UserError("hifigan.resblock_dilation_sizes: expected a list of lists of integers");
  h.resblock_dilation_sizes.clear();
  for (const auto& row : *rows)
    h.resblock_dilation_sizes.push_back(config_ints(row, "resblock_dilation_sizes"));
  h.segment_size = c.get_int("segment_size");
  h.num_mels = c.get_int("num_mels");
  h.n_fft = c.get_int("n_fft");
  h.hop_size = c.get_int("hop_size");
  h.win_size = c.get_int("win_size");
  h.sampling_rate = c.get_int("sampling_rate");
  h.fmin = c.get_double("fmin");
  h.fmax = c.get_double("fmax");
  h.fmax_for_loss = c.get_double("fmax_for_loss");
  h.learning_rate = c.get_double("learning_rate");
  h.adam_b1 = c.get_double("adam_b1");
  h.adam_b2 = c.get_double("adam_b2");
  h.lr_decay = c.get_double("lr_decay");
  h.seed = c.get_int("seed");
  h.batch_size = c.get_int("batch_size");
  h.validate("[hifigan] configuration");
  return h;
}

std::string hparams_to_json(const Hparams& h) {
  json j = json::object();
  j["resblock"] = h.resblock;
  j["num_gpus"] = 0;
  j["batch_size"] = h.batch_size;
  j["learning_rate"] = h.learning_rate;
  j["adam_b1"] = h.adam_b1;
  j["adam_b2"] = h.adam_b2;
  j["lr_decay"] = h.lr_decay;
  j["seed"] = h.seed;
  j["upsample_rates"] = h.upsample_rates;
  j["upsample_kernel_sizes"] = h.upsample_kernel_sizes;
  j["upsample_initial_channel"] = h.upsample_initial_channel;
  j["resblock_kernel_sizes"] = h.resblock_kernel_sizes;
  j["resblock_dilation_sizes"] = h.resblock_dilation_sizes;
  j["segment_size"] = h.segment_size;
  j["num_mels"] = h.num_mels;
  j["num_freq"] = h.n_fft + 1;  // MockingBird carries it but never reads it
  j["n_fft"] = h.n_fft;
  j["hop_size"] = h.hop_size;
  j["win_size"] = h.win_size;
  j["sampling_rate"] = h.sampling_rate;
  j["fmin"] = h.fmin;
  j["fmax"] = h.fmax;
  j["fmax_for_loss"] = h.fmax_for_loss < 0 ? json(nullptr) : json(h.fmax_for_loss);
  j["num_workers"] = 0;
  return j.dump(1) + "\n";
}

std::string find_config_json(const std::string& checkpoint, const std::string& explicit_path) {
  if (!explicit_path.empty()) {
    if (!fs::is_regular_file(explicit_path))
      throw UserError("hifigan: config file " + explicit_path + " not found");
    return explicit_path;
  }
  if (checkpoint.empty()) return "";
  fs::path dir = fs::path(checkpoint).parent_path();
  if (dir.empty()) dir = ".";
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (e.is_regular_file(ec) && name.rfind("config", 0) == 0 && e.path().extension() == ".json")
      found.push_back(e.path().string());
  }
  std::sort(found.begin(), found.end());
  if (found.size() == 1) return found[0];
  for (const auto& f : found)
    if (fs::path(f).filename() == "config.json") return f;
  if (found.size() > 1) {
    std::string list;
    for (const auto& f : found) list += (list.empty() ? "" : ", ") + f;
    throw UserError("hifigan: several config*.json beside " + checkpoint + " (" + list +
                    "); choose one with --config FILE.json or --set hifigan.config_json=FILE");
  }
  return "";
}

}  // namespace voxclone::hifigan
