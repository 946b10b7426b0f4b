// The metadata a cloned WAV carries (JSON in its LIST/INFO comment) and reading it back for --settings-from.
#include <nlohmann/json.hpp>
#include <spdlog/fmt/fmt.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>

#include "clone_internal.h"
#include "voxclone/error.h"
#include "voxclone/files.h"
#include "voxclone/hash.h"
#include "voxclone/log.h"

namespace voxclone {
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

constexpr const char* kFormat = "voxclone-clone/1";

std::string utc_now() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

json options_json(const Overrides& options) {
  json o = json::object();
  for (const auto& [k, v] : options) o[k] = v.to_toml();  // TOML text keeps int/float/array types exact
  return o;
}

Overrides options_from_json(const json& o, const std::string& where) {
  Overrides out;
  for (const auto& [k, v] : o.items()) {
    if (!v.is_string()) throw UserError(where + ": option '" + k + "' is not TOML text");
    Config c = Config::from_toml(k + " = " + v.get<std::string>() + "\n", "", where);
    out.emplace_back(k, c.get(k));
  }
  return out;
}

}  // namespace

namespace clone_detail {

std::string build_metadata(const CloneRequest& request, const std::vector<ModelRecord>& models,
                           const std::vector<VoiceRecord>& voices, const CloneResult& result) {
  json j;
  j["format"] = kFormat;
  j["voxclone"] = VOXCLONE_VERSION;
  j["created"] = utc_now();
  j["text"] = request.text;
  j["pieces"] = result.pieces;
  j["voices"] = json::array();
  for (const auto& v : voices) j["voices"].push_back({{"path", v.path}, {"sha256", v.sha256}});
  j["seed"] = result.seed;
  j["candidates"] = request.candidates;
  j["chosen"] = result.chosen;
  j["similarities"] = result.similarities;
  j["models"] = json::object();
  for (const auto& m : models)
    j["models"][m.role] = {{"name", m.spec.name},
                           {"checkpoint", m.spec.checkpoint.empty() ? "" : fs::absolute(m.spec.checkpoint).string()},
                           {"sha256", m.sha256},
                           {"options", options_json(m.spec.options)}};
  j["settings"] = {{"delimiter", request.delimiter},
                   {"pause_seconds", request.pause_seconds},
                   {"loudness_lufs", request.loudness_lufs},
                   {"peak_dbfs", request.peak_dbfs},
                   {"max_steps", request.max_steps},
                   {"preprocess_voices", request.preprocess_voices}};
  j["loudness"] = {{"measured_lufs", std::isfinite(result.loudness.measured_lufs) ? result.loudness.measured_lufs : -999.0},
                   {"gain_db", result.loudness.gain_db},
                   {"result_lufs", std::isfinite(result.loudness.result_lufs) ? result.loudness.result_lufs : -999.0}};
  return j.dump();
}

std::string model_file_hash(const std::string& path, const std::string& cache_dir) {
  std::error_code ec;
  fs::path abs = fs::absolute(path).lexically_normal();
  auto size = fs::file_size(abs, ec);
  auto mtime = fs::last_write_time(abs, ec).time_since_epoch().count();
  if (ec || cache_dir.empty()) return sha256_file(path);
  std::string stamp = fmt::format("{} {} ", size, mtime);
  fs::path entry = fs::path(cache_dir) / "model-hashes" / (sha256_hex(abs.string()) + ".txt");
  if (fs::is_regular_file(entry, ec)) {
    try {
      std::string line = read_file(entry.string(), 4096);
      if (line.rfind(stamp, 0) == 0 && line.size() >= stamp.size() + 64) return line.substr(stamp.size(), 64);
    } catch (const UserError&) {
      // unreadable entry: hash again below
    }
  }
  std::string hash = sha256_file(path);
  fs::create_directories(entry.parent_path(), ec);
  try {
    write_file_atomic(entry.string(), stamp + hash + "\n");
  } catch (const UserError&) {
    // a read-only cache only costs the hashing time
  }
  return hash;
}

}  // namespace clone_detail

void write_clone_wav(const std::string& path, const CloneResult& result) {
  if (fs::path(path).extension() != ".wav") throw UserError("output " + path + ": the file name must end in .wav");
  write_wav(path, result.wav, SampleFormat::Pcm16,
            {{"software", std::string("voxclone ") + VOXCLONE_VERSION}, {"comment", result.metadata_json}});
}

namespace {

json parse_metadata(const std::string& comment) {
  json j = json::parse(comment, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("format", "") != kFormat) return json();
  return j;
}

}  // namespace

CloneSettings read_clone_settings(const std::string& wav_path) {
  AudioInfo info = audio_info(wav_path);
  auto c = info.metadata.find("comment");
  json j = c == info.metadata.end() ? json() : parse_metadata(c->second);
  if (j.is_null()) throw UserError(wav_path + ": carries no voxclone clone settings (not made by voxclone clone)");
  CloneSettings s;
  try {
    s.request.text = j.at("text").get<std::string>();
    for (const auto& v : j.at("voices")) s.request.voices.push_back(v.at("path").get<std::string>());
    s.request.seed = j.at("seed").get<int64_t>();
    s.request.candidates = j.at("candidates").get<int>();
    const json& st = j.at("settings");
    s.request.delimiter = st.at("delimiter").get<std::string>();
    s.request.pause_seconds = st.at("pause_seconds").get<double>();
    s.request.loudness_lufs = st.at("loudness_lufs").get<double>();
    s.request.peak_dbfs = st.at("peak_dbfs").get<double>();
    s.request.max_steps = st.at("max_steps").get<int>();
    s.request.preprocess_voices = st.at("preprocess_voices").get<bool>();
    const json& m = j.at("models");
    ModelSpec* specs[] = {&s.models.encoder, &s.models.synthesizer, &s.models.vocoder};
    const char* roles[] = {"encoder", "synthesizer", "vocoder"};
    for (int i = 0; i < 3; ++i) {
      const json& r = m.at(roles[i]);
      specs[i]->name = r.at("name").get<std::string>();
      specs[i]->checkpoint = r.at("checkpoint").get<std::string>();
      specs[i]->options = options_from_json(r.at("options"), wav_path);
      std::string want = r.value("sha256", "");
      std::error_code ec;
      if (!want.empty() && fs::is_regular_file(specs[i]->checkpoint, ec) &&
          clone_detail::model_file_hash(specs[i]->checkpoint, EmbeddingCache::default_dir()) != want)
        spdlog::warn("{}: the {} checkpoint {} has changed since this file was made", wav_path, roles[i],
                     specs[i]->checkpoint);
    }
  } catch (const json::exception& e) {
    throw UserError(wav_path + ": malformed voxclone settings (" + std::string(e.what()) + ")");
  }
  s.models.source = wav_path;
  return s;
}

std::string describe_clone_metadata(const std::string& comment) {
  json j = parse_metadata(comment);
  return j.is_null() ? "" : j.dump(2);
}

}  // namespace voxclone
