// bench_vocoder: real-time factor and peak memory of a vocoder on `seconds` of random synthesizer mel.
//   bench_vocoder VOCODER [seconds=10] [threads=2] [batch=1] [repeats=3]
// VOCODER is a plugin name (hifigan: full-size generator, random weights; griffinlim) run through the plugin
// interface, or "hifigan-batch" for the generator called directly on `batch` mels at once. Run one
// configuration per process: peak memory (getrusage ru_maxrss) is the process's.
#include <ATen/Parallel.h>
#include <sys/resource.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "hifigan_model.h"
#include "voxclone/error.h"
#include "voxclone/runtime.h"

using namespace voxclone;

namespace {

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) / 1024.0;
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

struct Timing {
  double wall = 1e30, cpu = 1e30;  ///< best wall-clock and best CPU seconds (all threads) of one run
};

// On a shared machine the wall clock includes waiting for a core; CPU seconds / threads is what the run
// would take with the cores to itself (if the threads scale).
template <class F>
Timing best_of(int repeats, F&& f) {
  Timing t;
  for (int i = 0; i < repeats; ++i) {
    double c0 = cpu_seconds();
    auto t0 = std::chrono::steady_clock::now();
    f();
    t.wall = std::min(t.wall, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    t.cpu = std::min(t.cpu, cpu_seconds() - c0);
  }
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(
        stderr,
        "usage: bench_vocoder hifigan|hifigan-batch|griffinlim [seconds] [threads] [batch] [repeats]\n");
    return 2;
  }
  const std::string which = argv[1];
  const double seconds = argc > 2 ? std::stod(argv[2]) : 10.0;
  const int threads = argc > 3 ? std::stoi(argv[3]) : 2;
  const int64_t batch = argc > 4 ? std::stoll(argv[4]) : 1;
  const int repeats = argc > 5 ? std::stoi(argv[5]) : 3;
  at::set_num_threads(threads);
  try {
    const int64_t frames = int64_t(seconds * 16000 / 200);
    torch::manual_seed(0);
    at::Tensor mel = torch::rand({batch, 80, frames}) * 8 - 4;  // symmetric ±4 like a synthesizer mel
    Timing t;
    if (which == "hifigan-batch") {
      hifigan::Hparams h;  // MockingBird's config_16k_.json: the full-size generator
      hifigan::Generator g(h);
      g->eval();
      g->remove_weight_norm();
      c10::InferenceMode guard;
      g->forward(mel.narrow(2, 0, 20));  // warm-up
      t = best_of(repeats, [&] { g->forward(mel); });
    } else {
      auto& rt = Runtime::instance();
      rt.load_plugins();
      auto voc = rt.create<Vocoder>(which);
      Mel m;
      m.data = mel[0].contiguous();
      Mel warm;
      warm.data = m.data.narrow(1, 0, 20).contiguous();
      voc->vocode(warm, {});
      t = best_of(repeats, [&] {
        for (int64_t b = 0; b < batch; ++b) voc->vocode(m, {});
      });
    }
    const double audio_s = double(batch) * double(frames) * 200 / 16000;
    std::printf(
        "%s: %.1f s of audio (batch %lld x %lld frames), %d threads, best of %d: wall %.3f s (RTF %.4f), "
        "CPU %.3f s (CPU/threads RTF %.4f), peak RSS %.0f MiB\n",
        which.c_str(), audio_s, static_cast<long long>(batch), static_cast<long long>(frames), threads,
        repeats, t.wall, t.wall / audio_s, t.cpu, t.cpu / threads / audio_s, peak_rss_mib());
  } catch (const Error& e) {
    std::fprintf(stderr, "bench_vocoder: %s\n", e.what());
    return e.exit_code();
  }
  return 0;
}
