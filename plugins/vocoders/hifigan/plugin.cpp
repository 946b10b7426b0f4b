// HiFi-GAN vocoder plugin: loads MockingBird generator checkpoints with their JSON config, vocodes
// synthesizer mels with weight norm folded and no autograd; stage:vocoder_train_hifigan trains it
// (hifigan_train.h).
#include <torch/torch.h>

#include <filesystem>

#include "hifigan_model.h"
#include "hifigan_train.h"
#include "voxclone/checkpoint.h"
#include "voxclone/error.h"
#include "voxclone/log.h"
#include "voxclone/registry.h"
#include "voxclone/runtime.h"

namespace voxclone::hifigan {
namespace {

// The model's hyper-parameters: a MockingBird JSON (config_json / --config FILE.json / config*.json beside
// the checkpoint) or, for an untrained model only, the [hifigan] table.
Hparams resolve_hparams(const CreateArgs& args) {
  std::string json = find_config_json(args.checkpoint, args.config.get_string("config_json"));
  if (!json.empty()) return hparams_from_json_file(json);
  if (!args.checkpoint.empty())
    throw UserError(
        "hifigan: no MockingBird config for checkpoint " + args.checkpoint +
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
                        std::to_string(h_.upsample_initial_channel) + ", resblock " + h_.resblock +
                        "): " + e.what());
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

 private:
  Config config_;
  std::string checkpoint_;
  c10::Device device_;
  Hparams h_;
  Generator generator_{nullptr};
  bool warned_ = false;
};

std::vector<std::string> strings(const Config& c, const std::string& key) {
  std::vector<std::string> out;
  for (const auto& v : std::get<ConfigValue::Array>(c.get(key).v)) {
    const auto* s = std::get_if<std::string>(&v.v);
    if (!s) throw UserError("vocoder_train_hifigan." + key + ": expected a list of strings");
    out.push_back(*s);
  }
  return out;
}

// stage:vocoder_train_hifigan. Its own table holds the run's options; the model is the [hifigan]
// configuration (--config, --set hifigan.*, model_overrides), or the JSON that goes with the starting
// checkpoint.
class HifiganTrainStage : public Stage {
 public:
  explicit HifiganTrainStage(const CreateArgs& args) : args_(args) {}

  Config run() override {
    const Config& c = args_.config;
    Overrides model_over;
    Runtime& rt = Runtime::instance();
    for (const auto& s : strings(c, "model_overrides")) {
      auto eq = s.find('=');
      if (eq == std::string::npos)
        throw UserError("vocoder_train_hifigan.model_overrides: expected \"key=value\" strings");
      Config probe = rt.resolve_config(Kind::Vocoder, "hifigan");
      probe.set_from_string(s.substr(0, eq), s.substr(eq + 1));
      model_over.emplace_back(s.substr(0, eq), probe.get(s.substr(0, eq)));
    }
    Config model = rt.resolve_config(Kind::Vocoder, "hifigan", model_over);
    std::string json = find_config_json(args_.checkpoint, model.get_string("config_json"));
    Hparams h = json.empty() ? hparams_from_config(model) : hparams_from_json_file(json);
    TrainOptions o;
    o.run_dir = c.get_string("run_dir");
    o.max_steps = c.get_int("max_steps");
    if (o.run_dir.empty()) throw UserError("vocoder_train_hifigan: run_dir is required");
    if (o.max_steps <= 0) throw UserError("vocoder_train_hifigan: max_steps must be set (> 0)");
    o.save_every = c.get_int("save_every");
    o.backup_every = c.get_int("backup_every");
    o.eval_every = c.get_int("eval_every");
    o.log_every = c.get_int("log_every");
    o.max_wall_seconds = c.get_double("max_wall_seconds");
    o.force_restart = c.get_bool("force_restart");
    TrainResult r =
        train_hifigan(h, o, strings(c, "data"), strings(c, "validation"), args_.checkpoint, args_.device);
    Config out("vocoder_train_hifigan");
    out.define("run_dir", o.run_dir);
    out.define("checkpoint", (std::filesystem::path(o.run_dir) / "checkpoint.pt").string());
    out.define("start_step", r.start_step);
    out.define("end_step", r.end_step);
    out.define("interrupted", r.interrupted);
    if (!r.losses.empty()) {
      out.define("first_loss", r.losses.front().second);
      out.define("last_loss", r.losses.back().second);
    }
    return out;
  }

 private:
  CreateArgs args_;
};

std::unique_ptr<Vocoder> make(const CreateArgs& args) { return std::make_unique<HifiganVocoder>(args); }
std::unique_ptr<Stage> make_train(const CreateArgs& args) {
  return std::make_unique<HifiganTrainStage>(args);
}

void register_all(Registry& r) {
  r.add<Vocoder>("hifigan", &make,
                 "HiFi-GAN generator (MockingBird 16 kHz; reads g_XXXXXXXX.pt + config JSON)");
  r.add<Stage>("vocoder_train_hifigan", &make_train,
               "Train HiFi-GAN as MockingBird's train.py (g_/do_ checkpoints)");
}

}  // namespace
}  // namespace voxclone::hifigan

VOXCLONE_PLUGIN("hifigan", "0.1.0", voxclone::hifigan::register_all)
