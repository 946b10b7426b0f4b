// Implementation of the CLI's shared input/output helpers.
#include "output.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "voxclone/error.h"
#include "voxclone/npy.h"

namespace voxclone::cli {

std::pair<std::string, std::string> split_plugin_spec(const std::string& spec) {
  auto colon = spec.find(':');
  if (colon == 0) throw UserError("plugin '" + spec + "': expected NAME[:CHECKPOINT]");
  if (colon == std::string::npos) return {spec, ""};
  return {spec.substr(0, colon), spec.substr(colon + 1)};
}

at::Tensor orient_mel(const at::Tensor& mel, int64_t num_mels, const std::string& source) {
  if (mel.dim() != 2)
    throw UserError(source + ": a mel must be 2-D (" + std::to_string(num_mels) + " × frames), got " +
                    std::to_string(mel.dim()) + "-D");
  if (!at::isFloatingType(mel.scalar_type())) throw UserError(source + ": a mel must hold floats");
  at::Tensor m = mel.to(at::kFloat);
  if (m.size(0) != num_mels) {
    if (m.size(1) != num_mels)
      throw UserError(source + ": shape " + std::to_string(m.size(0)) + " × " + std::to_string(m.size(1)) +
                      " has no axis of " + std::to_string(num_mels) + " mel bands");
    m = m.t();
  }
  if (!at::isfinite(m).all().item<bool>()) throw UserError(source + ": the mel holds NaN or Inf values");
  return m.contiguous();
}

void write_waveform_output(const std::string& path, const Waveform& w, const std::string& comment) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  if (ext == ".npy") {
    write_npy(path, at::from_blob(const_cast<float*>(w.samples.data()), {int64_t(w.samples.size())}, at::kFloat));
    return;
  }
  if (ext != ".wav") throw UserError("output " + path + ": expected a .wav or .npy file name");
  Waveform out = w;
  float peak = 0.0f;
  for (float x : out.samples) peak = std::max(peak, std::fabs(x));
  if (peak > 0.0f)
    for (float& x : out.samples) x = x / peak * 0.97f;
  write_wav(path, out, SampleFormat::Pcm16,
            {{"software", std::string("voxclone ") + VOXCLONE_VERSION}, {"comment", comment}});
}

}  // namespace voxclone::cli
