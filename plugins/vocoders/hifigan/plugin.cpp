// HiFi-GAN vocoder plugin: loads MockingBird generator checkpoints with their JSON config, vocodes synthesizer
// mels with weight norm folded and no autograd, and trains through hifigan_train.
#include <torch/torch.h>

#include "hifigan_model.h"
#include "hifigan_train.h"
#include "voxclone/checkpoint.h"
#include "voxclone/error.h"
#include "voxclone/log.h"
#include "voxclone/registry.h"

namespace voxclone::hifigan {
namespace {

// The model's hyper-parameters: a MockingBird JSON (config_json / --config FILE.json / config*.json beside
// the checkpoint) or, for an untrained model only, the [hifigan] table.
Hparams resolve_hparams(const CreateArgs& args) {
  std::string json = find_config_json(args.checkpoint, args.config.get_string("config_json"));
  if (!json.empty()) return hparams_from_json_file(json);
  if (!args.checkpoint.empty())
    throw UserError("hifigan: no MockingBird config for checkpoint " + args.checkpoint +
                    " (the upsampling layout cannot be read from the weights): put its config.json beside it, or "
                    "pass --config FILE.json or --set hifigan.config_json=FILE");
  return hparams_from_config(args.config);
}

// The generator's state dict in any of MockingBird's layouts: {"generator": {...}} (train.py, g_hifigan.pt)
// or the bare state dict, with weight_g/weight_v or with weight norm already removed.
const ckpt::Value& generator_state(const ckpt::Value& root, const std::string& path) {
  if (!root.is_dict()) throw UserError(path + ": not a HiFi-GAN checkpoint (expected a dict)");
  if (const ckpt::Value* g = root.find("generator")) return *g;
  if (root.find("conv_pre.bias")) return root;
  throw UserError(path + ": not a HiFi-GAN generator checkpoint (no 'generator' key, no conv_pre weights)");
}

class HifiganVocoder : public Vocoder {
 public:
  explicit HifiganVocoder(const CreateArgs& args)
      : config_(args.config), checkpoint_(args.checkpoint), device_(args.device), h_(resolve_hparams(args)) {
    torch::manual_seed(uint64_t(h_.seed));  // inference.py seeds before building the generator
    generator_ = Generator(h_);
    if (!checkpoint_.empty()) {
      ckpt::Value root = ckpt::load(checkpoint_);
      const ckpt::Value& state = generator_state(root, checkpoint_);
      if (!state.find("conv_pre.weight_g") && state.find("conv_pre.weight")) generator_->remove_weight_norm();
      try {
        ckpt::load_into_module(*generator_, state);
      } catch (const UserError& e) {
        throw UserError(checkpoint_ + " does not fit the HiFi-GAN config (upsample_initial_channel " +
                        std::to_string(h_.upsample_initial_channel) + ", resblock " + h_.resblock + "): " + e.what());
      }
    }
    generator_->eval();
    generator_->remove_weight_norm();
    generator_->to(device_);
  }

  int sample_rate() const override { return int(h_.sampling_rate); }
  MelSettings expected_mel() const override { return h_.input_mel(); }

  Waveform vocode(const Mel& mel, const VocodeOptions&) override {
    if (!mel.data.defined() || mel.data.dim() != 2 || mel.data.size(0) != 80)
      throw UserError("hifigan: expected a mel of 80 × frames (MockingBird's synthesizer mel)");
    if (mel.data.size(1) < 1) throw UserError("hifigan: the mel has no frames");
    if (checkpoint_.empty() && !warned_) {
      spdlog::warn("hifigan: no checkpoint given: the generator has random weights");
      warned_ = true;
    }
    c10::InferenceMode guard;
    at::Tensor x = mel.data.to(device_, at::kFloat).contiguous().unsqueeze(0);
    at::Tensor audio = generator_->forward(x).reshape({-1}).to(at::kCPU).contiguous();
    Waveform w;
    w.sample_rate = sample_rate();
    w.samples.assign(audio.data_ptr<float>(), audio.data_ptr<float>() + audio.numel());
    return w;
  }

  TrainResult train(const VocoderTrainRequest& r) override {
    return train_hifigan(h_, r.options, r.data, r.validation, checkpoint_, device_);
  }

 private:
  Config config_;
  std::string checkpoint_;
  c10::Device device_;
  Hparams h_;
  Generator generator_{nullptr};
  bool warned_ = false;
};

std::unique_ptr<Vocoder> make(const CreateArgs& args) { return std::make_unique<HifiganVocoder>(args); }

void register_all(Registry& r) {
  r.add<Vocoder>("hifigan", &make, "HiFi-GAN generator (MockingBird 16 kHz; reads g_XXXXXXXX.pt + config JSON)");
}

}  // namespace
}  // namespace voxclone::hifigan

VOXCLONE_PLUGIN("hifigan", "0.1.0", voxclone::hifigan::register_all)
