// `voxclone vocode`: mel (.npy, 80 × frames) → waveform with any vocoder plugin, written as WAV or raw .npy.
#include <ATen/ATen.h>

#include <cmath>

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
