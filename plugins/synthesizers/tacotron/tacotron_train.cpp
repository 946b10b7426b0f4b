// Tacotron training (RTVC's progressive schedule, losses, clipping, checkpoints) and GTA mel export stages.
#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>

#include "voxclone/plot.h"
#include "tacotron_model.h"
#include "tacotron_stages.h"
#include "voxclone/dsp.h"
#include "voxclone/error.h"
#include "voxclone/files.h"
#include "voxclone/log.h"
#include "voxclone/npy.h"
#include "voxclone/runtime.h"
#include "voxclone/train.h"

namespace voxclone::tacotron {
namespace fs = std::filesystem;
using torch::Tensor;

namespace {

// ---- data: an SV2TTS/synthesizer folder --------------------------------------------------------------

struct Sample {
  std::string mel, embed;
  std::vector<int64_t> ids;
  int64_t frames = 0;
  std::string line;  ///< the train.txt line as read (GTA export copies it)
};

std::vector<std::string> split_bar(const std::string& line) {
  std::vector<std::string> parts;
  std::stringstream ss(line);
  std::string p;
  while (std::getline(ss, p, '|')) parts.push_back(p);
  return parts;
}

std::string strip(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n\v\f");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n\v\f") - b + 1);
}

/// RTVC's SynthesizerDataset: rows of train.txt with frames > 0; text stripped, then the frontend's ids.
std::vector<Sample> read_corpus(const std::string& syn_dir, const TextFrontend& text) {
  std::string meta = (fs::path(syn_dir) / "train.txt").string();
  std::ifstream in(meta);
  if (!in) throw UserError("synthesizer data: cannot read " + meta + " (run synthesizer_preprocess_audio first)");
  std::vector<Sample> out;
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (strip(line).empty()) continue;
    auto f = split_bar(line);
    if (f.size() < 6) throw UserError(meta + ":" + std::to_string(lineno) + ": expected 6 '|'-separated fields");
    Sample s;
    s.frames = std::stoll(f[4]);
    if (s.frames <= 0) continue;
    s.mel = (fs::path(syn_dir) / "mels" / f[1]).string();
    s.embed = (fs::path(syn_dir) / "embeds" / f[2]).string();
    s.ids = text.to_ids(strip(f[5]));
    s.line = line;
    out.push_back(std::move(s));
  }
  if (out.empty()) throw UserError(meta + ": no utterances");
  return out;
}

struct Batch {
  Tensor chars, mels, embeds, lengths;
  std::vector<size_t> index;
};

/// collate_synthesizer: chars zero-padded; mels (B, n_mels, T) with T = max + 1 rounded up to r, padded with
/// -max_abs_value (symmetric mels) or 0.
Batch collate(const std::vector<Sample>& corpus, const std::vector<size_t>& index, int64_t r, float pad) {
  Batch b;
  b.index = index;
  int64_t B = int64_t(index.size()), max_x = 0, max_t = 0;
  std::vector<Tensor> mels, embeds;
  for (size_t i : index) {
    max_x = std::max<int64_t>(max_x, int64_t(corpus[i].ids.size()));
    Tensor m = read_npy(corpus[i].mel).to(torch::kFloat);  // (frames, n_mels)
    if (m.dim() != 2) throw UserError(corpus[i].mel + ": expected a 2-D mel");
    mels.push_back(m.t());
    max_t = std::max<int64_t>(max_t, m.size(0));
    embeds.push_back(read_npy(corpus[i].embed).to(torch::kFloat).reshape({-1}));
  }
  int64_t T = max_t + 1;
  if (T % r) T += r - T % r;
  b.chars = torch::zeros({B, max_x}, torch::kLong);
  b.mels = torch::full({B, mels[0].size(0), T}, pad);
  std::vector<int64_t> lengths;
  for (int64_t j = 0; j < B; ++j) {
    const auto& ids = corpus[index[size_t(j)]].ids;
    b.chars[j].slice(0, 0, int64_t(ids.size())).copy_(torch::tensor(ids, torch::kLong));
    b.mels[j].slice(1, 0, mels[size_t(j)].size(1)).copy_(mels[size_t(j)]);
    lengths.push_back(mels[size_t(j)].size(1));
  }
  b.embeds = torch::stack(embeds);
  b.lengths = torch::tensor(lengths, torch::kLong);
  return b;
}

struct Session {
  int64_t r;
  double lr;
  int64_t until;
  int64_t batch;
};

std::vector<Session> parse_schedule(const Config& c) {
  std::vector<Session> out;
  const auto* arr = std::get_if<ConfigValue::Array>(&c.get("tts_schedule").v);
  auto num = [](const ConfigValue& v) -> double {
    if (auto i = std::get_if<int64_t>(&v.v)) return double(*i);
    if (auto d = std::get_if<double>(&v.v)) return *d;
    throw UserError("tts_schedule: entries must be [r, lr, until_step, batch_size] numbers");
  };
  if (arr)
    for (const auto& e : *arr) {
      const auto* s = std::get_if<ConfigValue::Array>(&e.v);
      if (!s || s->size() != 4) throw UserError("tts_schedule: each entry must be [r, lr, until_step, batch_size]");
      Session x{int64_t(num((*s)[0])), num((*s)[1]), int64_t(num((*s)[2])), int64_t(num((*s)[3]))};
      if (x.r < 1 || x.r > 20 || x.lr <= 0 || x.batch < 1)
        throw UserError("tts_schedule: need 1 <= r <= 20, lr > 0, batch_size >= 1");
      if (!out.empty() && x.until <= out.back().until) throw UserError("tts_schedule: until_step must increase");
      out.push_back(x);
    }
  if (out.empty()) throw UserError("tts_schedule must be a non-empty array of [r, lr, until_step, batch_size]");
  return out;
}

PlotMatrix to_matrix(const Tensor& t2d) {
  Tensor t = t2d.detach().to(torch::kCPU).to(torch::kFloat).contiguous();
  PlotMatrix m;
  m.rows = t.size(0);
  m.cols = t.size(1);
  m.data.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
  return m;
}

}  // namespace

/// Attention figures for a (decoder steps × text length) alignment of one utterance: focus = mean over
/// steps of the largest weight; diagonality = mean weight within ±10% of the text length of the diagonal
/// from (0, 0) to (steps, chars).
std::pair<double, double> attention_figures(const Tensor& attention, int64_t chars) {
  Tensor a = attention.detach().to(torch::kCPU).to(torch::kDouble).slice(1, 0, chars);
  int64_t T = a.size(0);
  if (T == 0 || chars == 0) return {0.0, 0.0};
  double focus = std::get<0>(a.max(1)).mean().item<double>();
  double band = std::max(1.0, 0.1 * double(chars)), diag = 0;
  auto acc = a.accessor<double, 2>();
  for (int64_t t = 0; t < T; ++t) {
    double centre = (double(t) + 0.5) * double(chars) / double(T);
    for (int64_t n = 0; n < chars; ++n)
      if (std::abs(double(n) + 0.5 - centre) <= band) diag += acc[t][n];
  }
  return {focus, diag / double(T)};
}

namespace {

// ---- the training task ---------------------------------------------------------------------------

class TacotronTrainTask : public TrainTask {
 public:
  /// `model_over`: the [tacotron] part of the stage's model_overrides (apply_model_overrides).
  TacotronTrainTask(const Config& stage, const Overrides& model_over, const std::string& init_checkpoint)
      : stage_(stage) {
    auto& rt = Runtime::instance();
    model_cfg_ = rt.resolve_config(Kind::Synthesizer, "tacotron", model_over);
    text_ = rt.create<TextFrontend>(model_cfg_.get_string("text"));
    settings_ = mel_settings_from(model_cfg_);
    schedule_ = parse_schedule(stage);
    device_ = rt.device();
    int64_t seed = stage.get_int("seed");
    if (seed >= 0) torch::manual_seed(uint64_t(seed));
    rng_.seed(seed >= 0 ? uint64_t(seed) : std::random_device{}());
    TacotronOptions base = options_from_config(model_cfg_, int64_t(text_->symbols().size()));
    if (!init_checkpoint.empty()) {
      model_ = load_tacotron(init_checkpoint, base);  // fine-tuning: start from these weights
      spdlog::info("synthesizer_train: starting from {} (step {})", init_checkpoint, model_->step());
    } else {
      model_ = std::make_shared<TacotronImpl>(base);
    }
    model_->to(device_);
    corpus_ = read_corpus(stage.get_string("syn_dir"), *text_);
    spdlog::info("synthesizer_train: {} utterances, model {}", corpus_.size(), model_->opt.to_string());
    if (model_->opt.num_chars < int64_t(text_->symbols().size()))
      throw UserError("synthesizer_train: the model has fewer symbols than text:" + model_cfg_.get_string("text"));
    optimizer_ = std::make_unique<torch::optim::Adam>(model_->parameters(), torch::optim::AdamOptions(1e-3));
    clip_ = stage.get_double("tts_clip_grad_norm");
    masked_ = stage.get_bool("masked_loss");
    guided_weight_ = stage.get_double("guided_attention_weight");
    guided_sigma_ = stage.get_double("guided_attention_sigma");
    if (guided_weight_ < 0 || guided_sigma_ <= 0)
      throw UserError("synthesizer_train: guided_attention_weight must be >= 0 and guided_attention_sigma > 0");
    eval_samples_ = stage.get_int("tts_eval_num_samples");
  }

  std::string checkpoint_name() const override { return "synthesizer.pt"; }
  int64_t start_step() const { return model_->step(); }
  const std::vector<Session>& schedule() const { return schedule_; }
  const Config& model_config() const { return model_cfg_; }

  int64_t resume(const std::string& path) override {
    ckpt::Value root = ckpt::load(path);
    ckpt::load_into_module(*model_, root.at("model_state"));
    if (const ckpt::Value* o = root.find("optimizer_state")) load_adam_state_dict(*optimizer_, *o);
    return model_->step();
  }

  StepReport train_step(int64_t step) override {
    // The session is chosen by the model's own step counter, as RTVC does.
    int64_t current = model_->step();
    const Session* s = &schedule_.back();
    for (const auto& x : schedule_)
      if (current < x.until) {
        s = &x;
        break;
      }
    if (s->r != model_->r()) model_->set_r(s->r);
    for (auto& g : optimizer_->param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(s->lr);

    std::vector<size_t> idx;
    for (int64_t i = 0; i < s->batch; ++i) idx.push_back(next_index());
    float pad = settings_.symmetric_mels ? -float(settings_.max_abs_value) : 0.0f;
    last_ = collate(corpus_, idx, s->r, pad);
    std::vector<int64_t> lengths(last_.lengths.data_ptr<int64_t>(), last_.lengths.data_ptr<int64_t>() + idx.size());
    Tensor stop = stop_targets(lengths, last_.mels.size(2)).to(device_);
    Tensor chars = last_.chars.to(device_), mels = last_.mels.to(device_), embeds = last_.embeds.to(device_);

    model_->train();
    TacotronOutput out = model_->forward(chars, mels, embeds);
    TacotronLosses l = tacotron_losses(out, mels, stop, masked_ ? last_.lengths.to(device_) : Tensor());
    double guided = 0.0;
    if (guided_weight_ > 0) {
      Tensor text_lengths = (chars != 0).sum(1);
      Tensor steps = (last_.lengths.to(device_) + (s->r - 1)).div(s->r, "floor");
      Tensor g = guided_attention_loss(out.attention, text_lengths, steps, guided_sigma_);
      guided = g.item<double>();
      l.total = l.total + guided_weight_ * g;
    }
    optimizer_->zero_grad();
    l.total.backward();
    double norm = clip_ > 0 ? clip_grad_norm(model_->parameters(), clip_) : 0.0;
    if (!std::isfinite(norm)) spdlog::warn("synthesizer_train: grad_norm was {} at step {}", norm, step);
    optimizer_->step();
    last_out_ = {out.postnet_outputs.detach(), out.attention.detach()};
    last_loss_ = l.total.item<double>();
    StepReport r;
    r.loss = last_loss_;
    r.metrics = {{"m1", l.m1.item<double>()}, {"m2", l.m2.item<double>()}, {"stop", l.stop.item<double>()},
                 {"grad_norm", norm},          {"lr", s->lr},               {"r", double(s->r)}};
    if (guided_weight_ > 0) r.metrics.push_back({"guided_attention", guided});
    return r;
  }

  void save(const std::string& path, int64_t step) override {
    ckpt::Value root = ckpt::Value::dict();
    root.set("model_state", model_->state_dict_value());
    root.set("optimizer_state", adam_state_dict(*optimizer_));
    ckpt::save(path, root);
    write_effective_config(path + ".toml", {model_cfg_, stage_});
  }

  std::vector<std::pair<std::string, double>> evaluate(int64_t step, const std::string& dir) override {
    if (!last_out_.first.defined()) return {};
    fs::create_directories(dir);
    std::vector<std::pair<std::string, double>> figures;
    int64_t n = std::min<int64_t>(eval_samples_, int64_t(last_.index.size()));
    for (int64_t i = 0; i < n; ++i) {
      int64_t len = last_.lengths[i].item<int64_t>();
      int64_t chars = int64_t(corpus_[last_.index[size_t(i)]].ids.size());
      Tensor pred = last_out_.first[i].slice(1, 0, len).to(torch::kCPU);
      Tensor target = last_.mels[i].slice(1, 0, len);
      Tensor attn = last_out_.second[i].slice(0, 0, std::max<int64_t>(1, len / model_->r()));
      std::string stem = (fs::path(dir) / ("step-" + std::to_string(step) + "_sample_" + std::to_string(i + 1))).string();
      std::ostringstream title;
      title << "Tacotron step=" << step << " loss=" << last_loss_;
      // Attention: text position on the vertical axis, decoder step horizontally (RTVC's plot).
      write_heatmap_png(stem + "_attention.png", {to_matrix(attn.slice(1, 0, chars).t())}, 4, 0.0f, 1.0f, title.str());
      write_heatmap_png(stem + "_mel.png", {to_matrix(target), to_matrix(pred)}, 2, -float(settings_.max_abs_value),
                        float(settings_.max_abs_value), title.str() + " (top: target, bottom: predicted)");
      write_npy(stem + "_mel_prediction.npy", pred.t().contiguous());
      Waveform w;
      w.sample_rate = settings_.sample_rate;
      w.samples = inv_mel_spectrogram(pred, settings_, 0);
      float peak = 1e-6f;
      for (float x : w.samples) peak = std::max(peak, std::abs(x));
      for (float& x : w.samples) x = x / peak * 0.97f;
      write_wav(stem + "_griffinlim.wav", w);
      auto [focus, diag] = attention_figures(attn, chars);
      if (i == 0) figures = {{"attn_focus", focus}, {"attn_diagonal", diag}};
    }
    return figures;
  }

 private:
  size_t next_index() {
    if (order_pos_ >= order_.size()) {
      order_.resize(corpus_.size());
      std::iota(order_.begin(), order_.end(), size_t(0));
      std::shuffle(order_.begin(), order_.end(), rng_);
      order_pos_ = 0;
    }
    return order_[order_pos_++];
  }

  Config stage_, model_cfg_;
  std::unique_ptr<TextFrontend> text_;
  MelSettings settings_;
  std::vector<Session> schedule_;
  c10::Device device_{c10::DeviceType::CPU};
  std::shared_ptr<TacotronImpl> model_;
  std::vector<Sample> corpus_;
  std::unique_ptr<torch::optim::Adam> optimizer_;
  double clip_ = 1.0;
  bool masked_ = true;
  double guided_weight_ = 0.0, guided_sigma_ = 0.2;
  int64_t eval_samples_ = 1;
  std::mt19937_64 rng_;
  std::vector<size_t> order_;
  size_t order_pos_ = 0;
  Batch last_;
  std::pair<Tensor, Tensor> last_out_;
  double last_loss_ = 0;
};

/// The step a Tacotron checkpoint holds (the model's `step` buffer), RTVC or plain state-dict format.
int64_t stored_step(const std::string& path) {
  ckpt::Value root = ckpt::load(path);
  const ckpt::Value* state = root.find("model_state");
  if (!state) state = &root;
  const ckpt::Value* step = state->is_dict() ? state->find("step") : nullptr;
  if (!step) throw UserError(path + ": not a Tacotron checkpoint (no step)");
  return step->as_tensor().item<int64_t>();
}

class TrainStage : public Stage {
 public:
  explicit TrainStage(const CreateArgs& a) : cfg_(a.config), checkpoint_(a.checkpoint) {}
  Config run() override {
    std::string run_dir = cfg_.get_string("run_dir");
    if (run_dir.empty()) throw UserError("synthesizer_train: run_dir is required");
    if (cfg_.get_string("syn_dir").empty()) throw UserError("synthesizer_train: syn_dir is required");
    Overrides model_over = apply_model_overrides(cfg_);
    const std::string resumed = (fs::path(run_dir) / "synthesizer.pt").string();
    bool fresh = cfg_.get_bool("force_restart") || !fs::exists(resumed);
    // A resumed run is built from its own checkpoint's shapes: the sizes of a fine-tuned checkpoint need not
    // be the configuration's, and need not be given again on every rerun.
    TacotronTrainTask task(cfg_, model_over, fresh ? checkpoint_ : resumed);
    if (fresh && !checkpoint_.empty()) {
      // Fine-tuning: the run starts as a copy of the given checkpoint, so the loop resumes at its step and the
      // schedule session of that step applies (as continuing RTVC's training does).
      fs::create_directories(run_dir);
      if (cfg_.get_bool("force_restart") && fs::exists(fs::path(run_dir) / task.checkpoint_name())) {
        fs::create_directories(fs::path(run_dir) / "backups");
        fs::rename(fs::path(run_dir) / task.checkpoint_name(), fs::path(run_dir) / "backups" / "synthesizer_replaced.pt");
      }
      task.save((fs::path(run_dir) / task.checkpoint_name()).string(), task.start_step());
    }
    TrainOptions o;
    o.run_dir = run_dir;
    int64_t max_steps = cfg_.get_int("max_steps");
    if (cfg_.get_int("extra_steps") > 0) {
      // Counted from the starting weights: the fine-tuning checkpoint's step, also when a rerun resumes the
      // run (so it continues to the same target instead of stopping at once), else the step the run resumes
      // from.
      int64_t base = task.start_step();
      if (!fresh && !checkpoint_.empty()) base = stored_step(checkpoint_);
      max_steps = base + cfg_.get_int("extra_steps");
    }
    o.max_steps = max_steps > 0 ? max_steps : task.schedule().back().until;
    o.save_every = cfg_.get_int("save_every");
    o.backup_every = cfg_.get_int("backup_every");
    o.eval_every = cfg_.get_int("tts_eval_interval");
    o.log_every = cfg_.get_int("log_every");
    o.max_wall_seconds = cfg_.get_double("max_wall_seconds");
    o.force_restart = cfg_.get_bool("force_restart") && checkpoint_.empty();
    TrainResult r = train(task, o);
    Config out("synthesizer_train");
    out.define("checkpoint", (fs::path(run_dir) / task.checkpoint_name()).string());
    out.define("start_step", r.start_step);
    out.define("end_step", r.end_step);
    out.define("interrupted", r.interrupted);
    out.define("first_loss", r.losses.empty() ? 0.0 : r.losses.front().second);
    out.define("last_loss", r.losses.empty() ? 0.0 : r.losses.back().second);
    return out;
  }

 private:
  Config cfg_;
  std::string checkpoint_;
};

// RTVC's synthesizer/synthesize.py: teacher-forced mels (dropout 0, eval mode) in the order of train.txt,
// cut to the ground-truth length, saved under out_dir/mels_gta with the target's file name; synthesized.txt.
class GtaStage : public Stage {
 public:
  explicit GtaStage(const CreateArgs& a) : cfg_(a.config), checkpoint_(a.checkpoint) {}
  Config run() override {
    if (checkpoint_.empty()) throw UserError("synthesizer_gta: a checkpoint is required");
    auto& rt = Runtime::instance();
    Config model_cfg = rt.resolve_config(Kind::Synthesizer, "tacotron", apply_model_overrides(cfg_));
    auto text = rt.create<TextFrontend>(model_cfg.get_string("text"));
    MelSettings settings = mel_settings_from(model_cfg);
    auto model = load_tacotron(checkpoint_, options_from_config(model_cfg, int64_t(text->symbols().size())));
    model->set_prenet_dropout(0.0);
    model->to(rt.device());
    model->eval();
    std::string in_dir = cfg_.get_string("syn_dir"), out_dir = cfg_.get_string("out_dir");
    if (in_dir.empty() || out_dir.empty()) throw UserError("synthesizer_gta: syn_dir and out_dir are required");
    auto corpus = read_corpus(in_dir, *text);
    fs::path gta = fs::path(out_dir) / "mels_gta";
    fs::create_directories(gta);
    int64_t bs = std::max<int64_t>(1, model_cfg.get_int("synthesis_batch_size"));
    float pad = settings.symmetric_mels ? -float(settings.max_abs_value) : 0.0f;
    std::ostringstream meta;
    torch::NoGradGuard ng;
    Progress progress("gta mels", int64_t(corpus.size()), "utt");
    for (size_t b0 = 0; b0 < corpus.size(); b0 += size_t(bs)) {
      std::vector<size_t> idx;
      for (size_t i = b0; i < std::min(corpus.size(), b0 + size_t(bs)); ++i) idx.push_back(i);
      Batch b = collate(corpus, idx, model->r(), pad);
      TacotronOutput out = model->forward(b.chars.to(rt.device()), b.mels.to(rt.device()), b.embeds.to(rt.device()));
      Tensor mels = out.postnet_outputs.to(torch::kCPU);
      for (size_t j = 0; j < idx.size(); ++j) {
        const Sample& s = corpus[idx[j]];
        write_npy((gta / fs::path(s.mel).filename()).string(),
                  mels[int64_t(j)].slice(1, 0, s.frames).t().contiguous());
        meta << s.line << "\n";
      }
      progress.advance(int64_t(idx.size()));
    }
    AtomicFile f((fs::path(out_dir) / "synthesized.txt").string());
    {
      std::ofstream o(f.temp_path());
      o << meta.str();
    }
    f.commit();
    Config res("synthesizer_gta");
    res.define("mels_gta", gta.string());
    res.define("utterances", int64_t(corpus.size()));
    return res;
  }

 private:
  Config cfg_;
  std::string checkpoint_;
};

std::unique_ptr<Stage> make_train(const CreateArgs& a) { return std::make_unique<TrainStage>(a); }
std::unique_ptr<Stage> make_gta(const CreateArgs& a) { return std::make_unique<GtaStage>(a); }

}  // namespace

void register_training_stages(Registry& r) {
  r.add<Stage>("synthesizer_train", &make_train,
               "Train Tacotron on an SV2TTS/synthesizer folder (RTVC schedule; fine-tune with checkpoint=)");
  r.add<Stage>("synthesizer_gta", &make_gta, "Ground-truth-aligned mels for vocoder training (RTVC synthesize.py)");
}

}  // namespace voxclone::tacotron
