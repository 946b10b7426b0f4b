// `voxclone mel`: RTVC's encoder mel (frames × 40) or synthesizer mel (80 × frames) of an audio file, as .npy.
#include <ATen/ATen.h>

#include "command.h"
#include "voxclone/audio.h"
#include "voxclone/config.h"
#include "voxclone/dsp.h"
#include "voxclone/error.h"
#include "voxclone/log.h"
#include "voxclone/npy.h"

namespace voxclone::cli {
namespace {

struct MelArgs {
  std::string type = "synthesizer", out, audio;
  bool no_preprocess = false;
};

Config mel_config(const std::string& type, bool preprocess) {
  Config c("mel");
  c.define("type", type);
  c.define("preprocess", preprocess);
  if (type == "encoder") {
    c.define("sample_rate", 16000);
    c.define("mel_n_channels", 40);
    c.define("mel_window_length", 25);
    c.define("mel_window_step", 10);
    c.define("audio_norm_target_dBFS", -30);
  } else {
    MelSettings s;
    c.define("sample_rate", s.sample_rate);
    c.define("n_fft", s.n_fft);
    c.define("hop_size", s.hop_size);
    c.define("win_size", s.win_size);
    c.define("num_mels", s.num_mels);
    c.define("fmin", s.fmin);
    c.define("fmax", s.fmax);
    c.define("preemphasis", s.preemphasis);
    c.define("min_level_db", s.min_level_db);
    c.define("ref_level_db", s.ref_level_db);
    c.define("max_abs_value", s.max_abs_value);
    c.define("rescaling_max", 0.9);
  }
  return c;
}

void run_mel(const MelArgs& a) {
  init_logging(global_options().log_level, global_options().log_file);  // no plugins needed here
  at::Tensor mel;
  if (a.type == "encoder") {
    Waveform w = read_audio(a.audio, 16000);
    if (!a.no_preprocess) w = preprocess_for_encoder(w);
    mel = encoder_mel(w.samples, w.sample_rate);
  } else {
    MelSettings s;
    Waveform w = read_audio(a.audio, s.sample_rate);
    if (!a.no_preprocess) rescale_peak(w.samples, 0.9f);
    mel = synthesizer_mel(w.samples, s);
  }
  write_npy(a.out, mel);
  write_effective_config(a.out + ".config.toml", {mel_config(a.type, !a.no_preprocess)});
  spdlog::info("wrote {} ({} × {})", a.out, mel.size(0), mel.size(1));
}

void setup_mel(CLI::App& app) {
  static MelArgs a;
  auto* sub = app.add_subcommand("mel", "Compute RTVC's encoder or synthesizer mel spectrogram of an audio file");
  sub->add_option("--type", a.type, "encoder (frames × 40, power) or synthesizer (80 × frames, normalised)")
      ->check(CLI::IsMember({"encoder", "synthesizer"}))
      ->capture_default_str();
  sub->add_flag("--no-preprocess", a.no_preprocess,
                "Skip RTVC's preprocessing (encoder: volume normalisation and silence trimming; "
                "synthesizer: rescaling to a peak of 0.9)");
  sub->add_option("--out", a.out, "Output .npy")->required();
  sub->add_option("audio", a.audio, "Input audio file (WAV, FLAC, OGG, MP3, ...)")->required();
  sub->callback([] { run_mel(a); });
}

}  // namespace
VOXCLONE_COMMAND(30, setup_mel);
}  // namespace voxclone::cli
