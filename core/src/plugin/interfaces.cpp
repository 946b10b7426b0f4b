// Out-of-line destructors and defaults of the plugin interfaces: vtables and typeinfo live in core.
#include "voxclone/interfaces.h"

#include <ATen/ATen.h>

namespace voxclone {

SpeakerEncoder::~SpeakerEncoder() = default;

at::Tensor SpeakerEncoder::embed_batch(const std::vector<Waveform>& wavs, bool preprocess) {
  std::vector<at::Tensor> rows;
  rows.reserve(wavs.size());
  for (const Waveform& w : wavs) rows.push_back(embed(w, preprocess));
  return rows.empty() ? at::empty({0, embedding_size()}) : at::stack(rows);
}

Synthesizer::~Synthesizer() = default;
Vocoder::~Vocoder() = default;
MelSettings Vocoder::expected_mel() const { return MelSettings{}; }
TextFrontend::~TextFrontend() = default;
Dataset::~Dataset() = default;
Stage::~Stage() = default;

}  // namespace voxclone
