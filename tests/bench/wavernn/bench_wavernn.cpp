// Benchmark: real-time factor of WaveRNN generation (full-size RTVC model, random weights) on a random mel
// of N seconds, batched (RTVC's target 8000 / overlap 400) and unbatched, with the process's peak memory.
// Environment: VOXCLONE_THREADS (fast path threads, default 1), VOXCLONE_KERNEL (default auto).
#include <ATen/ATen.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "wavernn_model.h"

using namespace voxclone::wavernn;

static double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

static double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) / 1024.0;  // Linux reports KiB
}

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 10.0;
  const std::string which = argc > 2 ? argv[2] : "both";
  const bool strict = argc > 3 && std::string(argv[3]) == "strict";
  const int threads = std::getenv("VOXCLONE_THREADS") ? std::atoi(std::getenv("VOXCLONE_THREADS")) : 1;
  at::set_num_threads(threads);
  at::manual_seed(0);
  WaveRnnOptions o;  // RTVC's vocoder/hparams.py defaults
  WaveRnn model(o);
  model->eval();
  const char* kernel = std::getenv("VOXCLONE_KERNEL");  // auto, avx512, avx2, generic, avx512bf16
  FastSampler fast(step_weights(*model), o.feat_dims, o.aux_dims(), o.bits, kernel ? kernel : "auto");
  fast.set_threads(threads);
  const int64_t frames = int64_t(seconds * o.sample_rate / o.hop_length) + 1;
  // A synthesizer-like mel in RTVC's [-4, 4] range, divided by 4 as infer_waveform does.
  const at::Tensor mel = (at::rand({1, o.feat_dims, frames}) * 8 - 4) / 4;
  std::printf(
      "model: full size (rnn %lld, fc %lld, res_blocks %lld), kernel %s, %d thread(s); mel %lld frames = "
      "%.2f s; peak RSS after setup %.0f MB\n",
      (long long)o.rnn_dims, (long long)o.fc_dims, (long long)o.res_blocks,
      strict ? "strict (ATen ops)" : fast.isa().c_str(), threads, (long long)frames,
      double((frames - 1) * o.hop_length) / o.sample_rate, peak_rss_mb());
  for (bool batched : {true, false}) {
    if ((batched && which == "unbatched") || (!batched && which == "batched")) continue;
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpu_seconds();
    const at::Tensor wav = generate(*model, mel, batched, o.target, o.overlap, strict, 1, &fast);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = cpu_seconds() - c0;
    const double audio = double(wav.numel()) / o.sample_rate;
    // On a shared machine the CPU time is the steadier figure: wall time includes waiting for a core.
    std::printf(
        "%-9s %6.2f s of audio in %7.2f s wall (RTF %.3f), %7.2f s CPU (%.3f CPU-s per audio-s), "
        "peak RSS %.0f MB\n",
        batched ? "batched" : "unbatched", audio, s, s / audio, cpu, cpu / audio, peak_rss_mb());
  }
  return 0;
}
