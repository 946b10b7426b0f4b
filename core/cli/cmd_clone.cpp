// `voxclone clone`: reference voice(s) + text → a WAV in that voice, carrying how it was made.
#include <filesystem>

#include "command.h"
#include "voxclone/clone.h"
#include "voxclone/error.h"
#include "voxclone/files.h"
#include "voxclone/log.h"

namespace voxclone::cli {
namespace {

struct CloneArgs {
  std::vector<std::string> voices;
  std::string text, text_file, out, encoder, synthesizer, vocoder, models, settings_from, alignment;
  CloneRequest request;
  bool no_cache = false;
  CLI::App* app = nullptr;
};

bool given(const CloneArgs& a, const std::string& option) { return a.app->count(option) > 0; }

void run_clone(CloneArgs& a) {
  prepare_runtime();
  CloneRequest req;
  std::unique_ptr<ModelsConfig> previous;
  if (!a.settings_from.empty()) {
    CloneSettings s = read_clone_settings(a.settings_from);
    req = s.request;
    previous = std::make_unique<ModelsConfig>(s.models);
    spdlog::info("settings from {}: seed {}, {} voice file(s)", a.settings_from, req.seed, req.voices.size());
  } else if (a.voices.empty()) {
    throw UserError("--voice REF.wav is required (or --settings-from OUT.wav)");
  }
  if (given(a, "--text") && given(a, "--text-file")) throw UserError("give --text or --text-file, not both");
  if (given(a, "--text")) req.text = a.text;
  if (given(a, "--text-file")) req.text = read_file(a.text_file, size_t(1) << 24);
  if (a.settings_from.empty() && !given(a, "--text") && !given(a, "--text-file"))
    throw UserError("--text TEXT or --text-file FILE is required");
  if (!a.voices.empty()) req.voices = a.voices;
  // Explicit options win over --settings-from; the defaults only fill a fresh request.
  const CloneRequest& o = a.request;
  if (given(a, "--seed") || a.settings_from.empty()) req.seed = o.seed;
  if (given(a, "--candidates") || a.settings_from.empty()) req.candidates = o.candidates;
  if (given(a, "--delimiter") || a.settings_from.empty()) req.delimiter = o.delimiter;
  if (given(a, "--pause") || a.settings_from.empty()) req.pause_seconds = o.pause_seconds;
  if (given(a, "--loudness") || a.settings_from.empty()) req.loudness_lufs = o.loudness_lufs;
  if (given(a, "--peak") || a.settings_from.empty()) req.peak_dbfs = o.peak_dbfs;
  if (given(a, "--max-steps") || a.settings_from.empty()) req.max_steps = o.max_steps;
  if (given(a, "--no-preprocess") || a.settings_from.empty()) req.preprocess_voices = o.preprocess_voices;
  if (std::filesystem::path(a.out).extension() != ".wav") throw UserError("--out must name a .wav file: " + a.out);
  std::string alignment_ext = std::filesystem::path(a.alignment).extension().string();
  if (!a.alignment.empty() && alignment_ext != ".npy" && alignment_ext != ".png")
    throw UserError("--alignment must name a .png or .npy file: " + a.alignment);

  // Cheap checks before any model is loaded.
  for (const auto& v : req.voices) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(v, ec)) throw UserError("--voice " + v + ": no such file");
  }
  check_clone_request(req);
  Cloner cloner(choose_models(previous.get(), a.models, a.encoder, a.synthesizer, a.vocoder),
                a.no_cache ? "" : EmbeddingCache::default_dir());
  CloneResult r = cloner.clone(req);
  write_clone_wav(a.out, r);
  if (!a.alignment.empty()) {
    if (write_clone_alignment(a.alignment, r))
      spdlog::info("wrote {} (attention of the kept take)", a.alignment);
    else
      spdlog::warn("the synthesizer gives no attention; {} not written", a.alignment);
  }
  spdlog::info("wrote {} ({:.2f} s, {} piece{}, take {}/{} with similarity {:.3f}, {:.1f} LUFS, seed {})", a.out,
               r.wav.seconds(), r.pieces.size(), r.pieces.size() == 1 ? "" : "s", r.chosen + 1,
               r.similarities.size(), r.similarities[size_t(r.chosen)], r.loudness.result_lufs, r.seed);
}

void setup_clone(CLI::App& app) {
  static CloneArgs a;
  auto* sub = app.add_subcommand("clone", "Speak a text in the voice of reference audio (encoder → synthesizer → vocoder)");
  a.app = sub;
  sub->add_option("--voice", a.voices, "Reference audio of the voice (repeat: several clips of one voice)");
  sub->add_option("--text", a.text, "The text to speak");
  sub->add_option("--text-file", a.text_file, "Read the text from this file (UTF-8)");
  sub->add_option("--out", a.out, "OUT.wav (16-bit PCM with the settings in its metadata)")->required();
  sub->add_option("--encoder", a.encoder, "NAME[:CHECKPOINT], e.g. ge2e:encoder.pt (default: the models file)");
  sub->add_option("--synthesizer", a.synthesizer, "NAME[:CHECKPOINT], e.g. tacotron:synthesizer.pt");
  sub->add_option("--vocoder", a.vocoder, "NAME[:CHECKPOINT], e.g. hifigan:g_hifigan.pt or griffinlim");
  sub->add_option("--models", a.models, "Models file (TOML; default: $VOXCLONE_MODELS, ~/.config/voxclone/models.toml, "
                                        "models/default.toml)");
  sub->add_option("--settings-from", a.settings_from, "Reuse the settings a cloned WAV carries (options given here win)");
  sub->add_option("--seed", a.request.seed, "Random seed; take i uses seed + i (< 0: draw one)")->capture_default_str();
  sub->add_option("--candidates", a.request.candidates,
                  "Synthesize K takes; keep the one whose embedding is closest to the voice")->capture_default_str();
  sub->add_option("--delimiter", a.request.delimiter, "Split the text on this string instead of into sentences");
  sub->add_option("--pause", a.request.pause_seconds, "Seconds of silence between pieces")->capture_default_str();
  sub->add_option("--loudness", a.request.loudness_lufs, "Output loudness, LUFS (BS.1770)")->capture_default_str();
  sub->add_option("--peak", a.request.peak_dbfs, "Sample peak ceiling, dBFS")->capture_default_str();
  sub->add_option("--max-steps", a.request.max_steps, "Decoder step guard per piece")->capture_default_str();
  sub->add_flag("--no-preprocess{false}", a.request.preprocess_voices,
                "Use the reference audio as is (no trimming or volume normalisation before embedding)");
  sub->add_flag("--no-cache", a.no_cache, "Do not read or write the embedding cache");
  sub->add_option("--alignment", a.alignment, "Also write the attention of the kept take: a .png heat map or a .npy array");
  sub->callback([] { run_clone(a); });
}

}  // namespace
VOXCLONE_COMMAND(40, setup_clone);
}  // namespace voxclone::cli
