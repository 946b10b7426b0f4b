// `voxclone synthesize`: text + speaker embedding (.npy) → mel (.npy, num_mels × frames) with a synthesizer plugin.
#include <ATen/ATen.h>

#include <filesystem>

#include "command.h"
#include "output.h"
#include "voxclone/error.h"
#include "voxclone/log.h"
#include "voxclone/npy.h"
#include "voxclone/runtime.h"

namespace voxclone::cli {
namespace {

struct SynthesizeArgs {
  std::string synthesizer = "tacotron", embed, out, alignment;
  std::vector<std::string> texts;
  int steps = 2000;
  int64_t seed = -1;
};

// OUT.npy for one text; OUT_1.npy, OUT_2.npy ... (1-based) for several.
std::string numbered(const std::string& path, size_t i, size_t n) {
  if (n == 1) return path;
  std::filesystem::path p(path);
  return (p.parent_path() / (p.stem().string() + "_" + std::to_string(i + 1) + p.extension().string())).string();
}

void run_synthesize(const SynthesizeArgs& a) {
  prepare_runtime();
  if (std::filesystem::path(a.out).extension() != ".npy") throw UserError("--out must name a .npy file: " + a.out);
  if (a.steps < 1) throw UserError("--steps must be at least 1");
  auto [name, checkpoint] = split_plugin_spec(a.synthesizer);
  auto& rt = Runtime::instance();
  at::Tensor embed = read_npy(a.embed);
  if (!at::isFloatingType(embed.scalar_type())) throw UserError(a.embed + ": the embedding must hold floats");
  embed = embed.to(at::kFloat);
  if (embed.dim() == 2 && embed.size(0) == 1) embed = embed[0];
  if (embed.dim() == 2 && embed.size(0) != int64_t(a.texts.size()))
    throw UserError(a.embed + ": " + std::to_string(embed.size(0)) + " embeddings for " +
                    std::to_string(a.texts.size()) + " texts");
  if (embed.dim() != 1 && embed.dim() != 2) throw UserError(a.embed + ": expected [D] or [texts, D]");
  auto syn = rt.create<Synthesizer>(name, checkpoint);
  SynthesisOptions opt;
  opt.max_steps = a.steps;
  opt.seed = a.seed;
  auto results = syn->synthesize(a.texts, embed, opt);
  for (size_t i = 0; i < results.size(); ++i) {
    std::string path = numbered(a.out, i, results.size());
    write_npy(path, results[i].mel.data);
    spdlog::info("wrote {} ({} frames, {:.2f} s of audio)", path, results[i].mel.frames(),
                 double(results[i].mel.frames()) * results[i].mel.settings.hop_size / results[i].mel.settings.sample_rate);
    if (!a.alignment.empty() && results[i].alignment.defined())
      write_npy(numbered(a.alignment, i, results.size()), results[i].alignment);
  }
  write_effective_config(a.out + ".config.toml", rt.used_configs());
}

void setup_synthesize(CLI::App& app) {
  static SynthesizeArgs a;
  auto* sub = app.add_subcommand("synthesize", "Turn text and a speaker embedding into a mel spectrogram");
  sub->add_option("--synthesizer", a.synthesizer, "NAME[:CHECKPOINT], e.g. tacotron:synthesizer.pt")
      ->capture_default_str();
  sub->add_option("--text", a.texts, "Text to speak (repeat for a batch)")->required();
  sub->add_option("--embed", a.embed, "Speaker embedding .npy: [D] for every text, or [texts, D]")->required();
  sub->add_option("--out", a.out, "OUT.npy: float32 num_mels × frames (OUT_1.npy, OUT_2.npy ... for several texts)")
      ->required();
  sub->add_option("--alignment", a.alignment, "Also write the attention (decoder steps × text length) as .npy");
  sub->add_option("--steps", a.steps, "Maximum number of mel frames (decoder guard)")->capture_default_str();
  sub->add_option("--seed", a.seed, "Random seed (pre-net dropout; < 0: nondeterministic)");
  sub->callback([] { run_synthesize(a); });
}

}  // namespace
VOXCLONE_COMMAND(35, setup_synthesize);
}  // namespace voxclone::cli
