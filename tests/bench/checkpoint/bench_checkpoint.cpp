// Benchmark: writes a ~120 MB state dict with the checkpoint writer, then compares ckpt::load against reading
// the same file's bytes into memory (page cache warm for both; best of several runs).
#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "voxclone/checkpoint.h"

namespace ck = voxclone::ckpt;
using Clock = std::chrono::steady_clock;

static double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

int main(int argc, char** argv) {
  const int64_t mb = argc > 1 ? std::atoll(argv[1]) : 120;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  std::string path = (std::filesystem::temp_directory_path() / "voxclone_bench_checkpoint.pt").string();

  // Layer-like tensors: 24 matrices of 1024x1200 float32 (~4.7 MiB each) plus small biases and int buffers.
  auto sd = ck::Value::dict(true);
  int64_t bytes = 0;
  for (int i = 0; bytes < mb * 1000 * 1000; ++i) {
    at::Tensor w = at::randn({1024, 1200});
    at::Tensor b = at::randn({1024});
    sd.set("layers." + std::to_string(i) + ".weight", w);
    sd.set("layers." + std::to_string(i) + ".bias", b);
    sd.set("layers." + std::to_string(i) + ".num_batches_tracked", at::scalar_tensor(int64_t{i}, at::kLong));
    bytes += w.nbytes() + b.nbytes() + 8;
  }
  auto root = ck::Value::dict();
  root.set("step", int64_t{1000});
  root.set("model_state", sd);
  auto t0 = Clock::now();
  ck::save(path, root);
  double save_s = seconds_since(t0);
  auto file_size = std::filesystem::file_size(path);

  double best_raw = 1e9, best_load = 1e9;
  for (int r = 0; r < runs; ++r) {
    t0 = Clock::now();
    {
      std::FILE* f = std::fopen(path.c_str(), "rb");
      // Uninitialised buffer (no zero fill), like the tensors the loader reads into.
      std::unique_ptr<char[]> buf(new char[file_size]);
      std::size_t got = std::fread(buf.get(), 1, file_size, f);
      std::fclose(f);
      if (got != file_size) return 1;
    }
    best_raw = std::min(best_raw, seconds_since(t0));
    t0 = Clock::now();
    {
      auto loaded = ck::load(path);
      if (ck::flatten_state_dict(loaded).size() != ck::flatten_state_dict(root).size()) return 1;
    }
    best_load = std::min(best_load, seconds_since(t0));
  }
  std::printf("file: %s (%.1f MB, %zu tensors)\n", path.c_str(), file_size / 1e6,
              ck::flatten_state_dict(root).size());
  std::printf("save:            %8.1f ms\n", save_s * 1e3);
  std::printf("raw read (best): %8.1f ms  (%.2f GB/s)\n", best_raw * 1e3, file_size / best_raw / 1e9);
  std::printf("ckpt::load:      %8.1f ms  (%.2f GB/s)\n", best_load * 1e3, file_size / best_load / 1e9);
  std::printf("ratio load/raw:  %8.2f x (target < 2)\n", best_load / best_raw);
  std::filesystem::remove(path);
  return 0;
}
