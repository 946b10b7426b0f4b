// `voxclone bench`: the time of each cloning stage for one sentence, the end-to-end real-time factor with each
// vocoder, and the peak memory, on this machine. Figures to report, never a pass/fail test.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "command.h"
#include "voxclone/clone.h"
#include "voxclone/error.h"
#include "voxclone/interfaces.h"
#include "voxclone/log.h"
#include "voxclone/runtime.h"

namespace voxclone::cli {
namespace {

struct BenchArgs {
  std::string models, encoder, synthesizer, voice, text = "The quick brown fox jumps over the lazy sleeping dog.";
  std::vector<std::string> vocoders = {"griffinlim", "wavernn", "hifigan"};
  int repeat = 3;
  int64_t seed = 0;
};

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) / 1024.0;  // kilobytes on Linux
}

// Median wall time of `repeat` runs of `fn` (after one untimed warm-up run), in seconds.
template <class Fn>
double timed(int repeat, Fn&& fn) {
  fn();
  std::vector<double> t;
  for (int i = 0; i < repeat; ++i) {
    auto start = std::chrono::steady_clock::now();
    fn();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

void row(const std::string& stage, double seconds, double audio_seconds) {
  std::printf("%-34s %10.1f %10s %8s %12.0f\n", stage.c_str(), seconds * 1000.0,
              audio_seconds > 0 ? std::to_string(audio_seconds).substr(0, 5).c_str() : "-",
              audio_seconds > 0 ? std::to_string(seconds / audio_seconds).substr(0, 5).c_str() : "-", peak_rss_mb());
}

size_t word_count(const std::string& text) {
  std::istringstream in(text);
  size_t n = 0;
  for (std::string w; in >> w;) ++n;
  return n;
}

void run_bench(const BenchArgs& a) {
  prepare_runtime();
  if (a.repeat < 1) throw UserError("--repeat must be at least 1");
  if (word_count(a.text) == 0) throw UserError("--text is empty");
  auto& rt = Runtime::instance();
  // The models file's encoder and synthesizer when it has them; otherwise untrained networks of RTVC's sizes,
  // which cost the same time per step (the synthesizer is then run for a fixed length: it has no stop token).
  ModelSpec enc{"ge2e", "", {}}, syn{"tacotron", "", {}};
  std::string source = "untrained networks of RTVC's sizes (speed only)";
  bool trained = false;
  std::string models_path = a.models.empty() ? default_models_path() : a.models;
  if (!a.encoder.empty() || !a.synthesizer.empty() || !models_path.empty()) {
    try {
      ModelsConfig m = choose_models(nullptr, models_path, a.encoder, a.synthesizer, "griffinlim");
      std::error_code ec;
      if (std::filesystem::is_regular_file(m.encoder.checkpoint, ec) &&
          std::filesystem::is_regular_file(m.synthesizer.checkpoint, ec)) {
        enc = m.encoder;
        syn = m.synthesizer;
        source = m.encoder.checkpoint + " + " + m.synthesizer.checkpoint;
        trained = true;
      }
    } catch (const UserError& e) {
      if (!a.models.empty() || !a.encoder.empty() || !a.synthesizer.empty()) throw;
    }
  }
  Overrides enc_opts = enc.options, syn_opts = syn.options;
  if (!trained) {
    enc_opts.emplace_back("allow_random_init", true);
    syn_opts.emplace_back("init_seed", int64_t(1));
    syn_opts.emplace_back("stop_token", false);  // random weights: run to the step guard
  }
  auto encoder = rt.create<SpeakerEncoder>(enc.name, enc.checkpoint, enc_opts);
  auto synthesizer = rt.create<Synthesizer>(syn.name, syn.checkpoint, syn_opts);

  Waveform voice;
  if (!a.voice.empty()) {
    voice = read_audio(a.voice);
  } else {
    // 5 s of a harmonic-rich tone with a slow pitch glide.
    voice.sample_rate = 16000;
    voice.samples.resize(5 * 16000);
    double phase = 0;
    for (size_t i = 0; i < voice.samples.size(); ++i) {
      double f0 = 120.0 + 30.0 * std::sin(2 * M_PI * 0.5 * double(i) / 16000.0);
      phase += 2 * M_PI * f0 / 16000.0;
      double s = 0;
      for (int h = 1; h <= 10; ++h) s += std::sin(h * phase) / h;
      voice.samples[i] = float(0.1 * s);
    }
  }

  std::printf("voxclone bench: \"%s\" (%zu words), %d thread(s), median of %d after a warm-up\n", a.text.c_str(),
              word_count(a.text), at::get_num_threads(), a.repeat);
  std::printf("encoder + synthesizer: %s\n\n", source.c_str());
  std::printf("%-34s %10s %10s %8s %12s\n", "stage", "time (ms)", "audio (s)", "RTF", "peak RSS MB");

  at::Tensor embedding;
  // The synthetic tone skips the encoder's silence trimming (its voice-activity detector wants speech).
  bool preprocess = !a.voice.empty();
  double t_enc = timed(a.repeat, [&] { embedding = encoder->embed(voice, preprocess); });
  row("encoder (" + std::to_string(voice.seconds()).substr(0, 4) + " s reference)", t_enc, 0);

  SynthesisOptions so;
  so.seed = a.seed;
  // An untrained synthesizer runs for about 0.35 s of speech per word.
  MelSettings ms = synthesizer->mel_settings();
  if (!trained) so.max_steps = int(0.35 * double(word_count(a.text)) * ms.sample_rate / ms.hop_size);
  std::vector<SynthesisResult> mels;
  double t_syn = timed(a.repeat, [&] { mels = synthesizer->synthesize({a.text}, embedding.unsqueeze(0), so); });
  double mel_seconds = double(mels[0].mel.frames()) * ms.hop_size / ms.sample_rate;
  row("synthesizer (" + syn.name + ")", t_syn, mel_seconds);

  std::vector<std::pair<std::string, double>> totals;
  for (const std::string& spec : a.vocoders) {
    ModelSpec v = parse_model_spec(spec);
    auto vocoder = rt.create<Vocoder>(v.name, v.checkpoint, v.options);
    check_mel_compatible(ms, vocoder->expected_mel(), "synthesizer " + syn.name, "vocoder " + v.name);
    Waveform out;
    VocodeOptions vo;
    vo.seed = a.seed;
    double t_voc = timed(a.repeat, [&] { out = vocoder->vocode(mels[0].mel, vo); });
    row("vocoder " + v.name + (v.checkpoint.empty() ? "" : " (" + std::filesystem::path(v.checkpoint).filename().string() + ")"),
        t_voc, out.seconds());
    totals.emplace_back(v.name, (t_enc + t_syn + t_voc) / std::max(out.seconds(), 1e-9));
  }
  std::printf("\n");
  for (const auto& [name, rtf] : totals)
    std::printf("end to end with %-18s RTF %.3f (encoder + synthesizer + vocoder time / audio time)\n",
                name.c_str(), rtf);
  std::printf("peak resident memory: %.0f MB\n", peak_rss_mb());
}

void setup_bench(CLI::App& app) {
  static BenchArgs a;
  auto* sub = app.add_subcommand("bench", "Time each cloning stage and the end-to-end real-time factor per vocoder");
  sub->add_option("--models", a.models, "Models file whose encoder and synthesizer to time (default: as clone)");
  sub->add_option("--encoder", a.encoder, "NAME:CHECKPOINT of the encoder");
  sub->add_option("--synthesizer", a.synthesizer, "NAME:CHECKPOINT of the synthesizer");
  sub->add_option("--vocoders", a.vocoders, "Vocoders to time, NAME[:CHECKPOINT] each (random weights without one: the same speed)")
      ->delimiter(',')
      ->capture_default_str();
  sub->add_option("--voice", a.voice, "Reference audio for the encoder (default: 5 s of a synthetic tone)");
  sub->add_option("--text", a.text, "The sentence")->capture_default_str();
  sub->add_option("--repeat", a.repeat, "Timed runs per stage (the median is printed)")->capture_default_str();
  sub->add_option("--seed", a.seed, "Random seed")->capture_default_str();
  sub->callback([] { run_bench(a); });
}

}  // namespace
VOXCLONE_COMMAND(90, setup_bench);
}  // namespace voxclone::cli
