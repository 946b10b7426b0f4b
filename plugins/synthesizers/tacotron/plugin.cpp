// Tacotron synthesizer plugin: registers synthesizer:tacotron (RTVC/MockingBird checkpoints) and its stages.
#include <algorithm>
#include <cctype>

#include "tacotron_model.h"
#include "tacotron_stages.h"
#include "voxclone/error.h"
#include "voxclone/log.h"
#include "voxclone/registry.h"
#include "voxclone/runtime.h"

namespace voxclone::tacotron {
namespace {

std::string strip(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

class TacotronSynthesizer : public Synthesizer {
 public:
  explicit TacotronSynthesizer(const CreateArgs& a) : settings_(mel_settings_from(a.config)), device_(a.device) {
    const Config& c = a.config;
    text_ = Runtime::instance().create<TextFrontend>(c.get_string("text"));
    TacotronOptions base = options_from_config(c, int64_t(text_->symbols().size()));
    if (a.checkpoint.empty()) {
      if (c.get_int("init_seed") >= 0) torch::manual_seed(uint64_t(c.get_int("init_seed")));
      model_ = std::make_shared<TacotronImpl>(base);
      spdlog::warn("tacotron: no checkpoint, random weights ({})", base.to_string());
    } else {
      model_ = load_tacotron(a.checkpoint, base);
      spdlog::info("tacotron: loaded {} (step {}; {})", a.checkpoint, model_->step(), model_->opt.to_string());
    }
    if (model_->opt.num_chars < int64_t(text_->symbols().size()))
      throw UserError("tacotron: the model knows " + std::to_string(model_->opt.num_chars) + " symbols but text:" +
                      c.get_string("text") + " has " + std::to_string(text_->symbols().size()) +
                      " (set tacotron.text to the frontend the checkpoint was trained with)");
    if (model_->opt.n_mels != settings_.num_mels)
      throw UserError("tacotron: the model makes " + std::to_string(model_->opt.n_mels) + " mel bands, num_mels is " +
                      std::to_string(settings_.num_mels));
    double p = c.get_double("tts_inference_prenet_dropout");
    if (p < 0 || p >= 1) throw UserError("tacotron: tts_inference_prenet_dropout must be in [0, 1)");
    model_->set_prenet_dropout(p);
    stop_token_ = c.get_bool("stop_token");
    model_->to(device_);
    model_->eval();
    batch_size_ = std::max<int64_t>(1, c.get_int("synthesis_batch_size"));
  }

  MelSettings mel_settings() const override { return settings_; }

  std::vector<SynthesisResult> synthesize(const std::vector<std::string>& texts, const at::Tensor& embeddings,
                                          const SynthesisOptions& options) override {
    if (texts.empty()) return {};
    torch::Tensor emb = embeddings.to(torch::kFloat);
    if (emb.dim() == 1) emb = emb.unsqueeze(0).expand({int64_t(texts.size()), emb.size(0)});
    if (emb.dim() != 2 || emb.size(0) != int64_t(texts.size()) || emb.size(1) != model_->opt.speaker_embedding_size)
      throw UserError("tacotron: expected embeddings [" + std::to_string(texts.size()) + ", " +
                      std::to_string(model_->opt.speaker_embedding_size) + "]");
    if (options.max_steps < 1) throw UserError("tacotron: max_steps must be at least 1");
    if (options.seed >= 0) torch::manual_seed(uint64_t(options.seed));
    torch::NoGradGuard ng;
    std::vector<SynthesisResult> results;
    for (size_t b0 = 0; b0 < texts.size(); b0 += size_t(batch_size_)) {
      size_t b1 = std::min(texts.size(), b0 + size_t(batch_size_));
      std::vector<std::vector<int64_t>> ids;
      int64_t longest = 0;
      for (size_t i = b0; i < b1; ++i) {
        ids.push_back(text_->to_ids(strip(texts[i])));
        longest = std::max<int64_t>(longest, int64_t(ids.back().size()));
      }
      torch::Tensor chars = torch::zeros({int64_t(ids.size()), longest}, torch::kLong);
      for (size_t i = 0; i < ids.size(); ++i)
        chars[int64_t(i)].slice(0, 0, int64_t(ids[i].size())).copy_(torch::tensor(ids[i], torch::kLong));
      TacotronOutput out = model_->generate(chars.to(device_),
                                            emb.slice(0, int64_t(b0), int64_t(b1)).to(device_), options.max_steps,
                                            stop_token_);
      torch::Tensor mels = out.postnet_outputs.to(torch::kCPU);
      torch::Tensor attn = out.attention.to(torch::kCPU);
      float threshold = model_->stop_threshold_buf.item<float>();
      for (int64_t i = 0; i < mels.size(0); ++i) {
        // Synthesizer.synthesize_spectrograms: drop trailing frames that are all below the stop threshold.
        torch::Tensor frame_max = std::get<0>(mels[i].max(0));
        int64_t n = mels.size(2);
        while (n > 1 && frame_max[n - 1].item<float>() < threshold) --n;
        SynthesisResult r;
        r.mel.data = mels[i].slice(1, 0, n).contiguous();
        r.mel.settings = settings_;
        r.alignment = attn[i].contiguous();
        results.push_back(std::move(r));
      }
    }
    return results;
  }

 private:
  MelSettings settings_;
  bool stop_token_ = true;
  c10::Device device_;
  std::unique_ptr<TextFrontend> text_;
  std::shared_ptr<TacotronImpl> model_;
  int64_t batch_size_ = 16;
};

std::unique_ptr<Synthesizer> make(const CreateArgs& a) { return std::make_unique<TacotronSynthesizer>(a); }

void register_all(Registry& r) {
  r.add<Synthesizer>("tacotron", &make, "RTVC/MockingBird Tacotron (SV2TTS): text + speaker embedding → mel");
  register_training_stages(r);
  register_preprocess_stages(r);
}

}  // namespace
}  // namespace voxclone::tacotron

VOXCLONE_PLUGIN("tacotron", "0.1.0", voxclone::tacotron::register_all)
