// WaveRNN vocoder plugin: registers vocoder:wavernn (RTVC's fatchord WaveRNN, RAW 9-bit mu-law).
#include <ATen/ATen.h>

#include "voxclone/error.h"
#include "voxclone/log.h"
#include "voxclone/registry.h"
#include "wavernn_model.h"
#include "wavernn_train.h"

namespace {

using namespace voxclone;
using namespace voxclone::wavernn;

class WaveRnnVocoder : public Vocoder {
 public:
  explicit WaveRnnVocoder(const CreateArgs& args) : o_(WaveRnnOptions::from_config(args.config)) {
    if (!args.device.is_cpu())
      throw UserError("wavernn: only the CPU is supported (got " + args.device.str() + ")");
    if (args.checkpoint.empty()) {
      spdlog::warn("wavernn: no checkpoint given: the model has random weights (output is noise)");
      model_ = WaveRnn(o_);
      model_->eval();
    } else {
      model_ = load_wavernn(args.checkpoint, o_);
      o_ = model_->options();  // sizes from the checkpoint's shapes, generation settings as configured
    }
    if (!o_.strict) {
      fast_ = std::make_unique<FastSampler>(step_weights(*model_), o_.feat_dims, o_.aux_dims(), o_.bits,
                                            o_.kernel);
      fast_->set_threads(int(o_.threads));
    }
  }

  int sample_rate() const override { return int(o_.sample_rate); }

  Waveform vocode(const Mel& mel, const VocodeOptions& options) override {
    if (!mel.data.defined() || mel.data.dim() != 2 || mel.data.size(0) != o_.feat_dims)
      throw UserError("wavernn: expected a mel of " + std::to_string(o_.feat_dims) + " × frames");
    const MelSettings& s = mel.settings;
    if (s.hop_size != o_.hop_length || s.sample_rate != o_.sample_rate || s.num_mels != o_.feat_dims)
      throw UserError("wavernn: the mel was made with hop " + std::to_string(s.hop_size) + " at " +
                      std::to_string(s.sample_rate) + " Hz, " + std::to_string(s.num_mels) +
                      " bands; this vocoder expects hop " + std::to_string(o_.hop_length) + " at " +
                      std::to_string(o_.sample_rate) + " Hz, " + std::to_string(o_.feat_dims) + " bands");
    at::Tensor m = mel.data.to(at::kFloat);
    if (o_.normalize) m = m / o_.mel_max_abs_value;  // vocoder/inference.py infer_waveform(normalize=True)
    const at::Tensor wav = generate(*model_, m.unsqueeze(0), o_.batched, o_.target, o_.overlap, o_.strict,
                                    options.seed, fast_.get());
    const at::Tensor f = wav.to(at::kFloat).contiguous();
    Waveform w;
    w.sample_rate = int(o_.sample_rate);
    w.samples.assign(f.data_ptr<float>(), f.data_ptr<float>() + f.numel());
    return w;
  }

 private:
  WaveRnnOptions o_;
  WaveRnn model_{nullptr};
  std::unique_ptr<FastSampler> fast_;
};

std::unique_ptr<Vocoder> make(const CreateArgs& args) { return std::make_unique<WaveRnnVocoder>(args); }

void register_all(Registry& r) {
  r.add<Vocoder>("wavernn", &make,
                 "WaveRNN (RTVC fatchord, RAW 9-bit mu-law), fast batched or strict sampling");
  r.add<Stage>(
      "vocoder_train_wavernn", &make_train_stage,
      "Train WaveRNN on an SV2TTS folder (RTVC vocoder_train.py; resumes <models_dir>/<run_id>/vocoder.pt)");
}

}  // namespace

VOXCLONE_PLUGIN("wavernn", "0.1.0", register_all)
