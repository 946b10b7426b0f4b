// `voxclone vocode`: mel (.npy, 80 × frames) → waveform with any vocoder plugin, written as WAV or raw .npy.
#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <type_traits>

#include "command.h"
#include "output.h"
#include "voxclone/error.h"
#include "voxclone/log.h"
#include "voxclone/npy.h"
#include "voxclone/runtime.h"

namespace voxclone::cli {
namespace {

struct VocodeArgs {
  std::string vocoder = "griffinlim", mel, out;
  int64_t seed = -1;
};

// The settings a mel was made with, when the command that wrote it left them beside it (MEL.npy.config.toml):
// `voxclone mel` writes a [mel] table, `voxclone synthesize` its synthesizer's table. The first table with
// sample_rate, hop_size and num_mels is taken; an encoder mel ([mel] type = "encoder") carries none.
std::optional<MelSettings> mel_sidecar(const std::string& mel_path) {
  const std::string path = mel_path + ".config.toml";
  if (!std::filesystem::exists(path)) return std::nullopt;
  Config all = Config::from_toml_file(path);  // keys are "table.key"
  std::vector<std::string> tables;
  for (const auto& k : all.keys()) {
    auto dot = k.find('.');
    if (dot != std::string::npos && std::find(tables.begin(), tables.end(), k.substr(0, dot)) == tables.end())
      tables.push_back(k.substr(0, dot));
  }
  for (const auto& t : tables) {
    Config c = Config::from_toml_file(path, t);
    if (!c.has("sample_rate") || !c.has("hop_size") || !c.has("num_mels")) continue;
    if (c.has("type") && c.get_string("type") != "synthesizer") return std::nullopt;
    MelSettings s;
    auto num = [&](const char* key, auto& field) {
      if (c.has(key)) field = static_cast<std::decay_t<decltype(field)>>(c.get_double(key));
    };
    num("sample_rate", s.sample_rate);
    num("n_fft", s.n_fft);
    num("hop_size", s.hop_size);
    num("win_size", s.win_size);
    num("num_mels", s.num_mels);
    num("fmin", s.fmin);
    num("fmax", s.fmax);
    num("preemphasis", s.preemphasis);
    num("min_level_db", s.min_level_db);
    num("ref_level_db", s.ref_level_db);
    num("max_abs_value", s.max_abs_value);
    if (c.has("preemphasize")) s.preemphasize = c.get_bool("preemphasize");
    if (c.has("symmetric_mels")) s.symmetric_mels = c.get_bool("symmetric_mels");
    if (c.has("signal_normalization")) s.signal_normalization = c.get_bool("signal_normalization");
    return s;
  }
  return std::nullopt;
}

void run_vocode(const VocodeArgs& a) {
  prepare_runtime();
  auto [name, checkpoint] = split_plugin_spec(a.vocoder);
  auto& rt = Runtime::instance();
  auto vocoder = rt.create<Vocoder>(name, checkpoint);
  Config cfg = rt.used_configs().back();
  Mel mel;
  mel.data = read_npy(a.mel);
  int64_t num_mels = cfg.has("num_mels") ? cfg.get_int("num_mels") : 80;
  mel.data = orient_mel(mel.data, num_mels, a.mel);
  if (auto made = mel_sidecar(a.mel)) {
    check_mel_compatible(*made, vocoder->expected_mel(), "the mel " + a.mel, "vocoder:" + name);
    mel.settings = *made;
  }
  VocodeOptions opt;
  opt.seed = a.seed;
  Waveform w = vocoder->vocode(mel, opt);
  write_waveform_output(a.out, w, "vocoder=" + a.vocoder + "; mel=" + a.mel);
  write_effective_config(a.out + ".config.toml", rt.used_configs());
  spdlog::info("wrote {} ({:.2f} s at {} Hz)", a.out, w.seconds(), w.sample_rate);
}

void setup_vocode(CLI::App& app) {
  static VocodeArgs a;
  auto* sub = app.add_subcommand("vocode", "Turn a mel spectrogram into audio with a vocoder plugin");
  sub->add_option("--vocoder", a.vocoder, "NAME[:CHECKPOINT], e.g. griffinlim or hifigan:g_hifigan.pt")
      ->capture_default_str();
  sub->add_option("--mel", a.mel, "Mel .npy, 80 × frames (frames × 80 is transposed)")->required();
  sub->add_option("--out", a.out, "OUT.wav (peak-normalised 16-bit PCM) or OUT.npy (raw float32 samples)")
      ->required();
  sub->add_option("--seed", a.seed, "Random seed (< 0: nondeterministic)");
  sub->callback([] { run_vocode(a); });
}

}  // namespace
VOXCLONE_COMMAND(40, setup_vocode);
}  // namespace voxclone::cli
