// `voxclone info FILE`: audio (format, rate, duration, metadata), .npy (dtype, shape), checkpoints (tree).
#include <ATen/ATen.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "command.h"
#include "voxclone/audio.h"
#include "voxclone/checkpoint.h"
#include "voxclone/clone.h"
#include "voxclone/error.h"
#include "voxclone/npy.h"

namespace voxclone::cli {
namespace {

std::string lower_ext(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  return ext;
}

void print_npy(const std::string& path) {
  at::Tensor t = read_npy(path);
  std::string shape;
  for (int64_t i = 0; i < t.dim(); ++i) shape += (i ? " × " : "") + std::to_string(t.size(i));
  std::printf("file:   %s\nformat: NumPy .npy\ndtype:  %s\nshape:  %s\n", path.c_str(),
              std::string(c10::toString(t.scalar_type())).c_str(), shape.empty() ? "scalar" : shape.c_str());
  if (t.numel() > 0 && at::isFloatingType(t.scalar_type())) {
    at::Tensor d = t.to(at::kDouble);
    std::printf("range:  [%g, %g], mean %g\n", d.min().item<double>(), d.max().item<double>(),
                d.mean().item<double>());
  }
}

void print_audio(const std::string& path) {
  AudioInfo i = audio_info(path);
  std::printf("file:     %s\nformat:   %s (%s)\nrate:     %d Hz\nchannels: %d\nframes:   %lld\nduration: %.3f s\n",
              path.c_str(), i.format.c_str(), i.subtype.c_str(), i.sample_rate, i.channels,
              (long long)i.frames, i.seconds);
  for (const auto& [k, v] : i.metadata) {
    std::string settings = k == "comment" ? describe_clone_metadata(v) : "";
    if (settings.empty())
      std::printf("%-9s %s\n", (k + ":").c_str(), v.c_str());
    else
      std::printf("clone settings (voxclone clone --settings-from %s reuses them):\n%s\n", path.c_str(), settings.c_str());
  }
}

void run_info(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw UserError(path + ": no such file");
  if (std::filesystem::is_directory(path, ec)) throw UserError(path + " is a folder, expected a file");
  if (lower_ext(path) == ".npy")
    print_npy(path);
  else if (ckpt::is_torch_checkpoint(path))
    std::fputs(ckpt::describe_checkpoint(path).c_str(), stdout);
  else
    print_audio(path);
}

void setup_info(CLI::App& app) {
  static std::string path;
  auto* sub = app.add_subcommand("info", "Describe an audio file, a .npy array or a checkpoint");
  sub->add_option("file", path, "The file")->required();
  sub->callback([] { run_info(path); });
}

}  // namespace
VOXCLONE_COMMAND(20, setup_info);
}  // namespace voxclone::cli
