// Voice cloning end to end: reference audio + text → speech in that voice, with the three model plugins.
// The `voxclone clone` command and the Lua recipes (vc.cloner) are thin layers over this.
//
//   auto models = voxclone::load_models_config(voxclone::default_models_path());
//   voxclone::Cloner cloner(models);
//   voxclone::CloneRequest req;
//   req.voices = {"me.wav"};
//   req.text = "Hello there. How are you?";
//   voxclone::CloneResult r = cloner.clone(req);
//   voxclone::write_clone_wav("out.wav", r);      // 16-bit PCM; the metadata travels in the WAV
#pragma once

#include <ATen/core/Tensor.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "voxclone/audio.h"
#include "voxclone/loudness.h"
#include "voxclone/runtime.h"

namespace voxclone {

class SpeakerEncoder;
class Synthesizer;
class Vocoder;

/// One model: plugin name, optional checkpoint, plugin options (keys of the plugin's config.toml).
struct ModelSpec {
  std::string name;
  std::string checkpoint;
  Overrides options;
};

/// "name" or "name:checkpoint".
ModelSpec parse_model_spec(const std::string& spec);

/// The three models of a clone. A models file is TOML:
///   [encoder]              name = "ge2e"      checkpoint = "quickstart/encoder.pt"
///   [synthesizer]          name = "tacotron"  checkpoint = "..."     [synthesizer.options] key = value
///   [vocoder]              name = "hifigan"   checkpoint = "..."
/// Relative checkpoint paths are relative to the file's folder.
struct ModelsConfig {
  ModelSpec encoder, synthesizer, vocoder;
  std::string source;  ///< the file it came from ("" when built in code)
};

/// UserError naming the file and the table for anything malformed or missing.
ModelsConfig load_models_config(const std::string& path);

/// The models file `voxclone clone` uses when none is named: $VOXCLONE_MODELS, else
/// $XDG_CONFIG_HOME/voxclone/models.toml (~/.config/...), else the repository's or the install's
/// models/default.toml. Empty if none exists.
std::string default_models_path();

/// The models of a clone: `base` (or, when null, `models_file`, or when that is empty too the default models
/// file) with each non-empty spec ("name[:checkpoint]") replacing its role. With all three specs given no file
/// is read. UserError when no models file can be found and a role is left open.
ModelsConfig choose_models(const ModelsConfig* base, const std::string& models_file, const std::string& encoder,
                           const std::string& synthesizer, const std::string& vocoder);

/// The text split into sentences (after . ! ? … and their CJK forms, keeping the punctuation), or on
/// `delimiter` when it is not empty. Pieces are trimmed; empty pieces are dropped.
std::vector<std::string> split_text(const std::string& text, const std::string& delimiter = "");

/// Speaker embeddings on disk, keyed by the encoder's identity and the audio file's content hash.
class EmbeddingCache {
 public:
  /// `dir` empty: no caching.
  explicit EmbeddingCache(std::string dir);
  /// $VOXCLONE_CACHE_DIR, else $XDG_CACHE_HOME/voxclone, else ~/.cache/voxclone.
  static std::string default_dir();
  /// Undefined tensor on a miss (or an unreadable entry, which is logged and ignored).
  at::Tensor get(const std::string& key) const;
  void put(const std::string& key, const at::Tensor& embedding) const;
  bool enabled() const { return !dir_.empty(); }

 private:
  std::string dir_;
};

struct CloneRequest {
  std::vector<std::string> voices;  ///< reference audio files (several: the mean of their embeddings)
  std::string text;
  std::string delimiter;         ///< empty: split into sentences
  int64_t seed = 0;              ///< < 0: a random seed is drawn (and recorded)
  int candidates = 1;            ///< takes synthesized; the one closest to the reference voice is kept
  double pause_seconds = 0.3;    ///< silence between pieces
  double loudness_lufs = -20.0;  ///< integrated loudness of the output (BS.1770)
  double peak_dbfs = -1.0;       ///< sample peak ceiling
  int max_steps = 2000;          ///< decoder guard per piece (also at most 10 frames per UTF-8 byte + 50)
  bool preprocess_voices = true; ///< the encoder's own trimming and normalisation of the references
};

/// The request's pieces of text; UserError for an empty text or an option out of range (checked before any
/// model is loaded, so mistakes cost nothing).
std::vector<std::string> check_clone_request(const CloneRequest& request);

struct CloneResult {
  Waveform wav;
  std::vector<std::string> pieces;
  std::vector<at::Tensor> alignments;    ///< per piece, of the kept take (decoder steps × text length)
  std::vector<double> similarities;      ///< cosine similarity of each take to the reference voice
  int chosen = 0;                        ///< index of the kept take
  int64_t seed = 0;                      ///< the seed actually used for take 0 (take i uses seed + i)
  LoudnessGain loudness;
  std::string metadata_json;             ///< what write_clone_wav stores and read_clone_settings reads
};

/// The models, created once through the Runtime (so --set/--config/--device apply).
class Cloner {
 public:
  explicit Cloner(const ModelsConfig& models, const std::string& cache_dir = EmbeddingCache::default_dir());
  ~Cloner();
  Cloner(const Cloner&) = delete;
  Cloner& operator=(const Cloner&) = delete;

  /// The L2-normalised mean embedding of the reference files (cached per file).
  at::Tensor voice_embedding(const std::vector<std::string>& voices, bool preprocess = true);
  CloneResult clone(const CloneRequest& request);
  int sample_rate() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Writes the result as 16-bit PCM WAV with its metadata JSON in the LIST/INFO comment (ICMT), atomically.
void write_clone_wav(const std::string& path, const CloneResult& result);

/// The attention of the kept take, one panel per piece: a heat map when `path` ends in .png (text along the
/// vertical axis, decoder steps along the horizontal), else a .npy of the pieces one after another along the
/// decoder axis. Returns false (and writes nothing) when the synthesizer gives no attention.
bool write_clone_alignment(const std::string& path, const CloneResult& result);

/// What a cloned WAV says about how it was made: the request and models, ready to be reused.
struct CloneSettings {
  CloneRequest request;
  ModelsConfig models;
};

/// Reads the metadata of a WAV written by write_clone_wav; UserError naming the file if it has none.
CloneSettings read_clone_settings(const std::string& wav_path);

/// The metadata JSON of a voxclone WAV, pretty-printed; empty if the file carries none.
std::string describe_clone_metadata(const std::string& comment);

}  // namespace voxclone
