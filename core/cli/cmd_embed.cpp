// `voxclone embed`: speaker embeddings of audio files with an encoder plugin, written as .npy.
#include <ATen/ATen.h>

#include "command.h"
#include "output.h"
#include "voxclone/error.h"
#include "voxclone/log.h"
#include "voxclone/npy.h"
#include "voxclone/runtime.h"

namespace voxclone::cli {
namespace {

struct EmbedArgs {
  std::string encoder, out, out_mean;
  bool no_preprocess = false;
  std::vector<std::string> audio;
};

void run_embed(const EmbedArgs& a) {
  prepare_runtime();
  auto [name, checkpoint] = split_plugin_spec(a.encoder);
  auto& rt = Runtime::instance();
  auto encoder = rt.create<SpeakerEncoder>(name, checkpoint);
  if (!a.out_mean.empty() && a.audio.size() < 2)
    throw UserError("--out-mean needs several audio files (one voice from several clips)");
  std::vector<Waveform> wavs;
  for (const auto& path : a.audio) wavs.push_back(read_audio(path));
  at::Tensor embeds = encoder->embed_batch(wavs, !a.no_preprocess).to(at::kFloat).contiguous();
  write_npy(a.out, a.audio.size() == 1 ? embeds[0] : embeds);
  spdlog::info("wrote {} ({} embedding{} of {} values)", a.out, embeds.size(0),
               embeds.size(0) == 1 ? "" : "s", embeds.size(1));
  if (!a.out_mean.empty()) {
    at::Tensor mean = embeds.mean(0);
    write_npy(a.out_mean, mean / mean.norm());
    spdlog::info("wrote {} (the L2-normalised mean: one voice)", a.out_mean);
  }
  write_effective_config(a.out + ".config.toml", rt.used_configs());
}

void setup_embed(CLI::App& app) {
  static EmbedArgs a;
  auto* sub = app.add_subcommand("embed", "Speaker embeddings of audio files with an encoder plugin");
  sub->add_option("--encoder", a.encoder, "NAME:CHECKPOINT, e.g. ge2e:encoder.pt")->required();
  sub->add_flag(
      "--no-preprocess", a.no_preprocess,
      "Skip the encoder's preprocessing (volume normalisation, silence trimming); audio is only resampled");
  sub->add_option("--out", a.out, "OUT.npy: [N, D] for N files, [D] for one")->required();
  sub->add_option("--out-mean", a.out_mean,
                  "MEAN.npy: the normalised mean of the embeddings (several files)");
  sub->add_option("audio", a.audio, "Audio files (any format libsndfile or FFmpeg reads)")->required();
  sub->callback([] { run_embed(a); });
}

}  // namespace
VOXCLONE_COMMAND(35, setup_embed);
}  // namespace voxclone::cli
