// GE2E speaker encoder plugin: registers encoder:ge2e and the stages encoder_preprocess/train/eval.
#include <torch/torch.h>

#include "ge2e_model.h"
#include "stages.h"
#include "voxclone/error.h"
#include "voxclone/registry.h"

namespace {

using namespace voxclone;

class Ge2eEncoder : public SpeakerEncoder {
 public:
  explicit Ge2eEncoder(const CreateArgs& args) {
    const Config& c = args.config;
    partials_.partial_frames = c.get_int("partials_n_frames");
    partials_.overlap = c.get_double("overlap");
    partials_.min_pad_coverage = c.get_double("min_pad_coverage");
    max_batch_ = c.get_int("max_batch");
    if (partials_.partial_frames < 1 || !(partials_.overlap >= 0 && partials_.overlap < 1) ||
        !(partials_.min_pad_coverage > 0 && partials_.min_pad_coverage <= 1) || max_batch_ < 1)
      throw UserError(
          "ge2e: need partials_n_frames >= 1, 0 <= overlap < 1, 0 < min_pad_coverage <= 1, max_batch >= 1");
    if (!args.checkpoint.empty()) {
      net_ = ge2e::open_checkpoint(args.checkpoint);
    } else if (c.get_bool("allow_random_init")) {
      torch::manual_seed(uint64_t(c.get_int("seed")));
      ge2e::ModelOptions o;
      o.mel_channels = c.get_int("mel_n_channels");
      o.hidden_size = c.get_int("model_hidden_size");
      o.embedding_size = c.get_int("model_embedding_size");
      o.num_layers = c.get_int("model_num_layers");
      o.log_mel_input = c.get_bool("log_mel_input");
      net_ = ge2e::SpeakerEncoderNet(o);
    } else {
      throw UserError(
          "ge2e: a checkpoint is required (ge2e:encoder.pt); an untrained encoder gives meaningless "
          "embeddings (set ge2e.allow_random_init=true for tests)");
    }
    net_->eval();
    net_->to(args.device);
  }
  int embedding_size() const override { return int(net_->options().embedding_size); }
  int sample_rate() const override { return partials_.sample_rate; }
  at::Tensor embed(const Waveform& wav, bool preprocess) override {
    if (wav.samples.empty()) throw UserError("ge2e: empty audio");
    Waveform w = preprocess ? preprocess_for_encoder(wav) : resample(wav, partials_.sample_rate);
    if (w.samples.empty()) throw UserError("ge2e: no audio left after preprocessing");
    return ge2e::embed_utterances(*net_, {w.samples}, partials_, max_batch_)[0].embed;
  }
  // All partials of all clips go through shared forward passes.
  at::Tensor embed_batch(const std::vector<Waveform>& wavs, bool preprocess) override {
    std::vector<std::vector<float>> prepared;
    for (const Waveform& wav : wavs) {
      if (wav.samples.empty()) throw UserError("ge2e: empty audio");
      Waveform w = preprocess ? preprocess_for_encoder(wav) : resample(wav, partials_.sample_rate);
      if (w.samples.empty()) throw UserError("ge2e: no audio left after preprocessing");
      prepared.push_back(std::move(w.samples));
    }
    if (prepared.empty()) return torch::empty({0, embedding_size()});
    std::vector<torch::Tensor> rows;
    for (auto& e : ge2e::embed_utterances(*net_, prepared, partials_, max_batch_)) rows.push_back(e.embed);
    return torch::stack(rows);
  }

 private:
  ge2e::SpeakerEncoderNet net_{nullptr};
  ge2e::PartialOptions partials_;
  int64_t max_batch_ = 64;
};

std::unique_ptr<SpeakerEncoder> make_encoder(const CreateArgs& args) {
  return std::make_unique<Ge2eEncoder>(args);
}

void register_all(Registry& r) {
  r.add<SpeakerEncoder>("ge2e", &make_encoder,
                        "GE2E LSTM speaker encoder (RTVC encoder.pt, 256-d embeddings)");
  r.add<Stage>("encoder_preprocess", &ge2e::make_preprocess_stage,
               "corpora → SV2TTS/encoder mels (RTVC encoder_preprocess.py)");
  r.add<Stage>("encoder_train", &ge2e::make_train_stage, "GE2E training (RTVC encoder_train.py)");
  r.add<Stage>("encoder_eval", &ge2e::make_eval_stage,
               "speaker-verification EER of an encoder vs a mel baseline");
}

}  // namespace

VOXCLONE_PLUGIN("ge2e", "0.1.0", register_all)
