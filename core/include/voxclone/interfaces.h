// The plugin interfaces: what a speaker encoder, synthesizer, vocoder, dataset and text frontend do.
// Plugins implement these; core, the CLI and Lua recipes only ever see these types.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <string>
#include <vector>

#include "voxclone/audio.h"
#include "voxclone/config.h"
#include "voxclone/dataset.h"
#include "voxclone/mel.h"

namespace voxclone {

/// What every factory receives.
struct CreateArgs {
  Config config;                      ///< defaults from the plugin's config.toml with overrides applied
  std::string checkpoint;             ///< optional weights file (empty: none / untrained)
  c10::Device device = c10::Device(c10::DeviceType::CPU);
};

/// GE2E-style speaker encoder: audio → L2-normalised embedding.
class SpeakerEncoder {
 public:
  virtual ~SpeakerEncoder();
  virtual int embedding_size() const = 0;
  virtual int sample_rate() const = 0;
  /// `preprocess`: apply the encoder's own normalisation/trimming first. Returns float32 [embedding_size].
  virtual at::Tensor embed(const Waveform& wav, bool preprocess = true) = 0;
  /// One embedding per waveform, [wavs.size(), embedding_size] (an encoder may batch them; the default
  /// calls embed() for each).
  virtual at::Tensor embed_batch(const std::vector<Waveform>& wavs, bool preprocess = true);
};

struct SynthesisOptions {
  int max_steps = 2000;  ///< decoder step guard
  int64_t seed = -1;     ///< < 0: nondeterministic
};

struct SynthesisResult {
  Mel mel;               ///< num_mels × frames
  at::Tensor alignment;  ///< decoder steps × text length (may be undefined)
};

/// Text + speaker embedding → mel.
class Synthesizer {
 public:
  virtual ~Synthesizer();
  virtual MelSettings mel_settings() const = 0;
  /// One result per text; `embeddings` is [texts.size(), D] float32.
  virtual std::vector<SynthesisResult> synthesize(const std::vector<std::string>& texts,
                                                  const at::Tensor& embeddings,
                                                  const SynthesisOptions& options) = 0;
};

struct VocodeOptions {
  int64_t seed = -1;  ///< < 0: nondeterministic
};

/// Mel → waveform.
class Vocoder {
 public:
  virtual ~Vocoder();
  virtual int sample_rate() const = 0;
  /// Raw float samples (unnormalised, as the model produces them).
  virtual Waveform vocode(const Mel& mel, const VocodeOptions& options) = 0;
  /// The mel this vocoder was trained on. Callers refuse a mel made with other settings
  /// (check_mel_compatible). Default: RTVC's synthesizer mel (MelSettings{}).
  virtual MelSettings expected_mel() const;
};

/// Text → symbol ids for one language.
class TextFrontend {
 public:
  virtual ~TextFrontend();
  /// The normalised text the ids are made from (English: english_cleaners; Mandarin: pinyin).
  virtual std::string normalize(const std::string& text) const = 0;
  /// Ids including the end-of-sequence symbol.
  virtual std::vector<int64_t> to_ids(const std::string& text) const = 0;
  virtual std::vector<std::string> symbols() const = 0;
};

/// A pipeline stage a recipe runs (preprocessing, training, export). Its options are its configuration
/// (CreateArgs::config: the [name] table of the plugin's config.toml with overrides applied), so unknown keys
/// are refused like any component option; `checkpoint` is the model it starts from, if any.
class Stage {
 public:
  virtual ~Stage();
  /// Runs the stage to completion. Returns figures and paths worth reporting (what a recipe gets back).
  virtual Config run() = 0;
};

// WordAlignment, Utterance, DatasetProblem and DatasetListing live in dataset.h (no tensors there).

/// A corpus reader. Missing/malformed parts are reported as problems; the rest still loads.
class Dataset {
 public:
  virtual ~Dataset();
  /// `subsets` empty: every subset found under `root`. Throws UserError if `root` is not this corpus.
  virtual DatasetListing list(const std::string& root, const std::vector<std::string>& subsets) = 0;
};

}  // namespace voxclone
