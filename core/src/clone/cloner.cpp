// The Cloner: embeds the reference voice, synthesizes and vocodes each piece of text, keeps the best take.
#include <ATen/ATen.h>

#include <algorithm>
#include <filesystem>
#include <random>

#include "clone_internal.h"
#include "voxclone/error.h"
#include "voxclone/hash.h"
#include "voxclone/interfaces.h"
#include "voxclone/log.h"
#include "voxclone/runtime.h"

namespace voxclone {
namespace fs = std::filesystem;
using clone_detail::ModelRecord;
using clone_detail::VoiceRecord;

struct Cloner::Impl {
  ModelsConfig models;
  EmbeddingCache cache;
  std::string cache_dir;
  std::unique_ptr<SpeakerEncoder> encoder;
  std::unique_ptr<Synthesizer> synthesizer;
  std::unique_ptr<Vocoder> vocoder;
  std::vector<ModelRecord> records;
  std::string encoder_identity;  // part of every cache key

  explicit Impl(const ModelsConfig& m, const std::string& dir) : models(m), cache(dir), cache_dir(dir) {}

  template <class T>
  std::unique_ptr<T> make(const std::string& role, const ModelSpec& spec) {
    std::error_code ec;
    if (!spec.checkpoint.empty() && !fs::is_regular_file(spec.checkpoint, ec)) {
      std::string hint = models.source.empty() ? "" : " (named in " + models.source + ")";
      throw UserError(role + " checkpoint " + spec.checkpoint + " does not exist" + hint +
                      "; train the quick-start models with ./scripts/demo or pass --" + role + " NAME:CHECKPOINT");
    }
    auto model = Runtime::instance().create<T>(spec.name, spec.checkpoint, spec.options);
    std::string hash = spec.checkpoint.empty() ? "" : clone_detail::model_file_hash(spec.checkpoint, cache_dir);
    records.push_back({role, spec, hash});
    return model;
  }

  std::string voice_key(const std::string& file_hash, bool preprocess) const {
    return sha256_hex(encoder_identity + (preprocess ? "\npreprocess\n" : "\nraw\n") + file_hash);
  }

  // The L2-normalised mean embedding of voice files whose content hashes are already known (cached per file).
  at::Tensor mean_embedding(const std::vector<VoiceRecord>& voices, bool preprocess) {
    if (voices.empty()) throw UserError("no reference voice given (--voice FILE)");
    std::vector<at::Tensor> rows;
    for (const VoiceRecord& v : voices) {
      std::string key = voice_key(v.sha256, preprocess);
      at::Tensor e = cache.get(key);
      if (e.defined() && e.size(0) == encoder->embedding_size()) {
        spdlog::debug("voice {}: embedding from the cache", v.path);
      } else {
        Waveform w = read_audio(v.path);
        try {
          e = encoder->embed(w, preprocess).to(at::kFloat).cpu();
        } catch (const UserError& err) {
          throw UserError(v.path + ": " + err.what());
        }
        cache.put(key, e);
      }
      rows.push_back(e);
    }
    at::Tensor mean = at::stack(rows).mean(0);
    return mean / mean.norm().clamp_min(1e-12);
  }
};

Cloner::Cloner(const ModelsConfig& models, const std::string& cache_dir)
    : impl_(std::make_unique<Impl>(models, cache_dir)) {
  auto& rt = Runtime::instance();
  impl_->encoder = impl_->make<SpeakerEncoder>("encoder", models.encoder);
  impl_->encoder_identity = models.encoder.name + "\n" + impl_->records.back().sha256 + "\n" +
                            rt.used_configs().back().to_toml();
  impl_->synthesizer = impl_->make<Synthesizer>("synthesizer", models.synthesizer);
  impl_->vocoder = impl_->make<Vocoder>("vocoder", models.vocoder);
  check_mel_compatible(impl_->synthesizer->mel_settings(), impl_->vocoder->expected_mel(),
                       "synthesizer " + models.synthesizer.name, "vocoder " + models.vocoder.name);
}

Cloner::~Cloner() = default;

int Cloner::sample_rate() const { return impl_->vocoder->sample_rate(); }

at::Tensor Cloner::voice_embedding(const std::vector<std::string>& voices, bool preprocess) {
  std::vector<VoiceRecord> records;
  for (const auto& v : voices) records.push_back({v, sha256_file(v)});
  return impl_->mean_embedding(records, preprocess);
}

std::vector<std::string> check_clone_request(const CloneRequest& r) {
  std::vector<std::string> pieces = split_text(r.text, r.delimiter);
  if (pieces.empty()) throw UserError("the text to speak is empty");
  if (r.candidates < 1 || r.candidates > 64) throw UserError("--candidates must be between 1 and 64");
  if (!(r.pause_seconds >= 0 && r.pause_seconds <= 10)) throw UserError("--pause must be between 0 and 10 s");
  if (!(r.loudness_lufs >= -70 && r.loudness_lufs <= 0)) throw UserError("--loudness must be in [-70, 0] LUFS");
  if (!(r.peak_dbfs > -70 && r.peak_dbfs <= 0)) throw UserError("--peak must be in (-70, 0] dBFS");
  if (r.max_steps < 1) throw UserError("--max-steps must be at least 1");
  if (r.voices.empty()) throw UserError("no reference voice given (--voice FILE)");
  for (const auto& v : r.voices) audio_info(v);  // names an unreadable file now, not after loading models
  return pieces;
}

namespace {

// A model whose attention fails never emits its stop token; without a guard tied to the text it would babble up to
// max_steps frames (25 s at RTVC's settings) per sentence. 10 frames per UTF-8 byte is about twice the length of
// English speech (one byte per letter) and of Mandarin (three bytes per character).
int step_guard(int max_steps, const std::vector<std::string>& pieces) {
  size_t longest = 0;
  for (const auto& p : pieces) longest = std::max(longest, p.size());
  return int(std::min<size_t>(size_t(max_steps), 10 * longest + 50));
}

}  // namespace

CloneResult Cloner::clone(const CloneRequest& request) {
  CloneResult result;
  result.pieces = check_clone_request(request);
  result.seed = request.seed >= 0 ? request.seed : int64_t(std::random_device{}() & 0x7fffffff);

  std::vector<VoiceRecord> voices;
  for (const auto& v : request.voices) voices.push_back({v, sha256_file(v)});
  at::Tensor reference = impl_->mean_embedding(voices, request.preprocess_voices);  // each file hashed once
  for (auto& v : voices) v.path = fs::absolute(v.path).lexically_normal().string();  // as the metadata records it
  at::Tensor embeds = reference.unsqueeze(0).expand({int64_t(result.pieces.size()), reference.size(0)}).contiguous();

  int rate = impl_->vocoder->sample_rate();
  size_t pause = size_t(request.pause_seconds * rate + 0.5);
  Progress progress("clone", int64_t(request.candidates) * int64_t(result.pieces.size() + 1), "step");
  double best = -2.0;
  for (int take = 0; take < request.candidates; ++take) {
    int64_t seed = result.seed + take;
    SynthesisOptions so;
    so.max_steps = step_guard(request.max_steps, result.pieces);
    so.seed = seed;
    auto mels = impl_->synthesizer->synthesize(result.pieces, embeds, so);
    progress.advance();
    Waveform wav;
    wav.sample_rate = rate;
    std::vector<at::Tensor> alignments;
    for (size_t i = 0; i < mels.size(); ++i) {
      VocodeOptions vo;
      vo.seed = seed;
      Waveform piece = impl_->vocoder->vocode(mels[i].mel, vo);
      if (i > 0) wav.samples.insert(wav.samples.end(), pause, 0.0f);
      wav.samples.insert(wav.samples.end(), piece.samples.begin(), piece.samples.end());
      alignments.push_back(mels[i].alignment);
      progress.advance();
    }
    // The encoder judges the take: cosine similarity of its embedding to the reference (both unit length).
    double similarity = -1.0;
    try {
      similarity = impl_->encoder->embed(wav, true).to(at::kFloat).cpu().dot(reference).item<double>();
    } catch (const UserError& e) {
      spdlog::warn("take {} (seed {}) could not be judged: {}", take, seed, e.what());
    }
    result.similarities.push_back(similarity);
    spdlog::debug("take {} (seed {}): similarity {:.4f}", take, seed, similarity);
    if (similarity > best) {
      best = similarity;
      result.chosen = take;
      result.wav = std::move(wav);
      result.alignments = std::move(alignments);
    }
  }
  progress.finish();
  result.loudness = normalize_loudness(result.wav, request.loudness_lufs, request.peak_dbfs);
  result.metadata_json = clone_detail::build_metadata(request, impl_->records, voices, result);
  return result;
}

}  // namespace voxclone
