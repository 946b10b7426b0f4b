// GE2E training (RTVC encoder/train.py and data_objects/) as a TrainTask, and the encoder_train and
// encoder_eval stages.
#include "ge2e_train.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <unordered_map>

#include "eer.h"
#include "ge2e_model.h"
#include "projection_png.h"
#include "stages.h"
#include "voxclone/checkpoint.h"
#include "voxclone/error.h"
#include "voxclone/log.h"
#include "voxclone/mel_scale.h"
#include "voxclone/npy.h"
#include "voxclone/train.h"

namespace voxclone::ge2e {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> string_list(const Config& c, const std::string& key) {
  std::vector<std::string> out;
  for (const auto& v : std::get<ConfigValue::Array>(c.get(key).v)) {
    const std::string* s = std::get_if<std::string>(&v.v);
    if (s == nullptr) throw UserError(key + ": expected a list of strings");
    out.push_back(*s);
  }
  return out;
}

torch::Tensor read_mel(const std::string& path) {
  torch::Tensor t = read_npy(path);
  if (t.dim() != 2) throw UserError(path + ": expected a frames × channels mel");
  return t.to(torch::kFloat);
}

}  // namespace

torch::Tensor mel_warp_matrix(int64_t n_mels, double alpha) {
  if (n_mels < 1 || alpha <= 0) throw InternalError("mel_warp_matrix: bad arguments");
  // Band centres are n_mels of n_mels + 2 points spaced evenly in mel from 0 Hz to 8 kHz.
  const double spacing = hz_to_mel(8000.0) / double(n_mels + 1);
  torch::Tensor w = torch::zeros({n_mels, n_mels});
  auto a = w.accessor<float, 2>();
  for (int64_t i = 0; i < n_mels; ++i) {
    const double source = hz_to_mel(mel_to_hz(double(i + 1) * spacing) / alpha) / spacing - 1.0;
    const double q = std::clamp(source, 0.0, double(n_mels - 1));
    const int64_t lo = int64_t(std::floor(q)), hi = std::min(lo + 1, n_mels - 1);
    a[i][lo] += float(1.0 - (q - double(lo)));
    a[i][hi] += float(q - double(lo));
  }
  return w;
}

std::vector<size_t> RandomCycler::sample(size_t count, std::mt19937_64& rng) {
  if (n_ == 0) throw InternalError("RandomCycler: empty collection");
  std::vector<size_t> out;
  while (count > 0) {
    if (count >= n_) {
      auto all = shuffled(rng);
      out.insert(out.end(), all.begin(), all.end());
      count -= n_;
      continue;
    }
    size_t k = std::min(count, pending_.size());
    out.insert(out.end(), pending_.begin(), pending_.begin() + long(k));
    pending_.erase(pending_.begin(), pending_.begin() + long(k));
    count -= k;
    if (pending_.empty()) pending_ = shuffled(rng);
  }
  return out;
}

std::vector<size_t> RandomCycler::shuffled(std::mt19937_64& rng) const {
  std::vector<size_t> v(n_);
  for (size_t i = 0; i < n_; ++i) v[i] = i;
  std::shuffle(v.begin(), v.end(), rng);
  return v;
}

std::vector<SpeakerFolder> list_speakers(const std::string& root, const std::vector<std::string>& only,
                                         const std::vector<std::string>& exclude) {
  if (!fs::is_directory(root)) throw UserError("clean_data_root " + root + " is not a folder");
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(root))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  std::vector<SpeakerFolder> out;
  for (const auto& d : dirs) {
    std::string name = d.filename().string();
    if (!only.empty() && std::find(only.begin(), only.end(), name) == only.end()) continue;
    if (std::find(exclude.begin(), exclude.end(), name) != exclude.end()) continue;
    SpeakerFolder s{name, {}};
    std::ifstream in(d / "_sources.txt");
    std::string line;
    while (std::getline(in, line)) {
      auto comma = line.find(',');
      std::string f = line.substr(0, comma);
      if (!f.empty() && fs::exists(d / f)) s.mels.push_back((d / f).string());
    }
    if (s.mels.empty()) {
      spdlog::warn("{}: no utterances listed in _sources.txt, speaker skipped", d.string());
      continue;
    }
    out.push_back(std::move(s));
  }
  if (out.empty())
    throw UserError("no speakers found in " + root +
                    " (expected SV2TTS/encoder speaker folders with _sources.txt)");
  return out;
}

Ge2eTrainTask::Ge2eTrainTask(std::vector<SpeakerFolder> speakers, const TrainSettings& s)
    : s_(s), speakers_(std::move(speakers)), speaker_cycler_(0), rng_(s.seed) {
  if (s.warp_speakers > 0)
    for (double alpha : {1.0 - s.warp_speakers, 1.0 + s.warp_speakers})
      warps_.push_back(mel_warp_matrix(s.model.mel_channels, alpha));
  const size_t voices = speakers_.size() * (warps_.size() + 1);
  speaker_cycler_ = RandomCycler(voices);
  if (!speakers_.empty() && int64_t(voices) < s.speakers_per_batch)
    spdlog::warn("only {} speakers for batches of {}: some speakers appear twice in a batch", voices,
                 s.speakers_per_batch);
  torch::manual_seed(s.seed);
  net_ = SpeakerEncoderNet(s.model);
  net_->train();
  adam_ = std::make_unique<torch::optim::Adam>(
      net_->parameters(), torch::optim::AdamOptions(s.learning_rate).weight_decay(s.weight_decay));
  for (const auto& sp : speakers_) utterance_cyclers_.emplace_back(sp.mels.size());
}

int64_t Ge2eTrainTask::resume(const std::string& path) {
  ckpt::Value root = ckpt::load(path);
  int64_t stored = load_checkpoint(*net_, path);
  if (const ckpt::Value* opt = root.find("optimizer_state"))
    load_adam_state_dict(*adam_, *opt, s_.learning_rate);
  else
    spdlog::warn("{}: no optimizer_state, Adam starts fresh", path);
  return std::max<int64_t>(0, stored - 1);
}

StepReport Ge2eTrainTask::step_on(const torch::Tensor& batch,
                                  std::map<std::string, torch::Tensor>* raw_grads) {
  torch::Tensor embeds = net_->forward(batch);
  auto [loss, eer] = net_->loss(embeds.view({s_.speakers_per_batch, s_.utterances_per_speaker, -1}));
  adam_->zero_grad();
  loss.backward();
  if (raw_grads != nullptr)
    for (const auto& p : net_->named_parameters())
      if (p.value().grad().defined()) (*raw_grads)[p.key()] = p.value().grad().clone();
  double norm = net_->gradient_ops(3.0);
  adam_->step();
  last_embeds_ = embeds.detach();
  StepReport r;
  r.loss = loss.item<double>();
  r.metrics = {{"eer", eer}, {"grad_norm", norm}};
  return r;
}

StepReport Ge2eTrainTask::train_step(int64_t step) {
  if (s_.warmup_steps > 0 || s_.decay_steps > 0) {
    // Small networks trained at high rates can collapse in the first hundreds of steps: every embedding
    // equal, the loss at ln speakers_per_batch (in the runs inspected, the LSTM's cell state had saturated
    // and its final hidden state no longer depended on the input). Ramping the rate up makes that rarer.
    // Steps count from 1: the full rate is reached at step warmup_steps, and 0 at step decay_steps.
    double scale = 1.0;
    if (step < s_.warmup_steps) scale = double(step) / double(s_.warmup_steps);
    if (s_.decay_steps > 0 && step > s_.warmup_steps) {
      const double span = double(s_.decay_steps - s_.warmup_steps);
      const double t = std::min(1.0, double(step - s_.warmup_steps) / span);
      scale = 0.5 * (1.0 + std::cos(M_PI * t));
    }
    for (auto& group : adam_->param_groups())
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(s_.learning_rate * scale);
  }
  StepReport r = step_on(draw_batch());
  window_loss_ += r.loss;
  window_eer_ += r.metrics[0].second;
  if (++window_ >= s_.vis_every) {
    spdlog::info("step {}: loss {:.4f}, EER {:.4f} (mean of the last {} steps)", step,
                 window_loss_ / double(window_), window_eer_ / double(window_), window_);
    window_ = 0;
    window_loss_ = window_eer_ = 0;
  }
  return r;
}

void Ge2eTrainTask::save(const std::string& path, int64_t step) {
  ckpt::Value state = ckpt::Value::dict(true);
  for (const auto& p : net_->named_parameters()) state.set(p.key(), p.value().detach().clone());
  for (const auto& b : net_->named_buffers()) state.set(b.key(), b.value().detach().clone());
  ckpt::Value root = ckpt::Value::dict();
  root.set("step", step + 1);
  root.set("model_state", state);
  root.set("optimizer_state", adam_state_dict(*adam_));
  ckpt::save(path, root);
}

std::vector<std::pair<std::string, double>> Ge2eTrainTask::evaluate(int64_t step, const std::string& dir) {
  if (!last_embeds_.defined()) return {};
  torch::Tensor e = last_embeds_.cpu().contiguous();
  std::vector<std::vector<float>> points;
  std::vector<int> labels;
  for (int64_t i = 0; i < e.size(0); ++i) {
    points.emplace_back(e[i].data_ptr<float>(), e[i].data_ptr<float>() + e.size(1));
    labels.push_back(int(i / s_.utterances_per_speaker));
  }
  char name[32];
  std::snprintf(name, sizeof name, "umap_%06lld.png", (long long)step);
  write_projection_png((fs::path(dir) / name).string(), points, labels);
  return {};
}

torch::Tensor Ge2eTrainTask::mel(const std::string& path) {
  if (!s_.cache) return read_mel(path);
  auto it = cache_.find(path);
  if (it == cache_.end()) it = cache_.emplace(path, read_mel(path)).first;
  return it->second;
}

// speakers_per_batch speakers × utterances_per_speaker random crops of partial_frames frames.
torch::Tensor Ge2eTrainTask::draw_batch() {
  std::vector<torch::Tensor> crops;
  for (size_t voice : speaker_cycler_.sample(size_t(s_.speakers_per_batch), rng_)) {
    // Voices past the real speakers are their frequency-warped copies (warp_speakers).
    const size_t sp = voice % speakers_.size(), variant = voice / speakers_.size();
    for (size_t u : utterance_cyclers_[sp].sample(size_t(s_.utterances_per_speaker), rng_)) {
      torch::Tensor frames = mel(speakers_[sp].mels[u]);
      int64_t n = frames.size(0);
      if (n < s_.partial_frames)
        throw UserError(speakers_[sp].mels[u] + ": " + std::to_string(n) + " frames, fewer than " +
                        std::to_string(s_.partial_frames));
      // As numpy's randint(0, n - partial): the upper bound is exclusive.
      int64_t start = 0;
      if (n != s_.partial_frames)
        start = std::uniform_int_distribution<int64_t>(0, n - s_.partial_frames - 1)(rng_);
      torch::Tensor crop = frames.slice(0, start, start + s_.partial_frames);
      if (variant > 0) crop = crop.matmul(warps_[variant - 1].t());
      crops.push_back(augment(crop));
    }
  }
  return torch::stack(crops);
}

torch::Tensor Ge2eTrainTask::augment(torch::Tensor crop) {
  if (s_.freq_mask <= 0 && s_.time_mask <= 0 && s_.gain_db <= 0) return crop;  // RTVC: the crop as it is
  crop = crop.clone();
  auto uniform_int = [this](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  };
  auto mask = [&](int64_t dim, int64_t max_width) {
    const int64_t n = crop.size(dim), width = uniform_int(0, std::min(max_width, n));
    const int64_t start = uniform_int(0, n - width);
    crop.slice(dim, start, start + width).zero_();
  };
  if (s_.freq_mask > 0) mask(1, s_.freq_mask);
  if (s_.time_mask > 0) mask(0, s_.time_mask);
  if (s_.gain_db > 0) {
    const double db = std::uniform_real_distribution<double>(-s_.gain_db, s_.gain_db)(rng_);
    crop.mul_(std::pow(10.0, db / 10.0));  // power mels: 10 dB per decade
  }
  return crop;
}

namespace {

class TrainStage : public Stage {
 public:
  explicit TrainStage(const CreateArgs& args) : c_(args.config), start_weights_(args.checkpoint) {}

  Config run() override {
    std::string run_id = c_.get_string("run_id"), root = c_.get_string("clean_data_root");
    if (run_id.empty()) throw UserError("encoder_train: run_id is required");
    if (root.empty()) throw UserError("encoder_train: clean_data_root is required");
    TrainSettings s;
    s.speakers_per_batch = c_.get_int("speakers_per_batch");
    s.utterances_per_speaker = c_.get_int("utterances_per_speaker");
    s.partial_frames = c_.get_int("partials_n_frames");
    s.learning_rate = c_.get_double("learning_rate");
    s.warmup_steps = c_.get_int("warmup_steps");
    if (s.warmup_steps < 0) throw UserError("encoder_train: warmup_steps must be >= 0");
    s.decay_steps = c_.get_int("decay_steps");
    if (s.decay_steps != 0 && s.decay_steps <= s.warmup_steps)
      throw UserError("encoder_train: decay_steps must be 0 (no decay) or larger than warmup_steps");
    s.weight_decay = c_.get_double("weight_decay");
    s.freq_mask = c_.get_int("augment_freq_mask");
    s.time_mask = c_.get_int("augment_time_mask");
    s.gain_db = c_.get_double("augment_gain_db");
    s.warp_speakers = c_.get_double("warp_speakers");
    if (s.warp_speakers < 0 || s.warp_speakers >= 0.5)
      throw UserError("encoder_train: warp_speakers must be in [0, 0.5)");
    if (s.weight_decay < 0 || s.freq_mask < 0 || s.time_mask < 0 || s.gain_db < 0)
      throw UserError(
          "encoder_train: weight_decay, augment_freq_mask, augment_time_mask and augment_gain_db must be >= 0");
    s.model.hidden_size = c_.get_int("model_hidden_size");
    s.model.embedding_size = c_.get_int("model_embedding_size");
    s.model.num_layers = c_.get_int("model_num_layers");
    s.model.dropout = c_.get_double("dropout");
    s.model.log_mel_input = c_.get_bool("log_mel_input");
    if (s.model.dropout < 0 || s.model.dropout >= 1)
      throw UserError("encoder_train: dropout must be in [0, 1)");
    if (s.model.hidden_size < 1 || s.model.embedding_size < 1 || s.model.num_layers < 1)
      throw UserError("encoder_train: model_hidden_size, model_embedding_size and model_num_layers must be >= 1");
    s.vis_every = std::max<int64_t>(1, c_.get_int("vis_every"));
    s.cache = c_.get_bool("cache_utterances");
    s.seed = uint64_t(c_.get_int("seed"));
    if (s.speakers_per_batch < 2 || s.utterances_per_speaker < 2 || s.partial_frames < 1)
      throw UserError(
          "encoder_train: need speakers_per_batch >= 2, utterances_per_speaker >= 2, partials_n_frames >= 1");
    if (c_.get_int("threads") > 0) torch::set_num_threads(int(c_.get_int("threads")));
    auto speakers = list_speakers(root, {}, string_list(c_, "exclude_speakers"));
    spdlog::info("encoder_train: {} speakers from {}", speakers.size(), root);
    Ge2eTrainTask task(std::move(speakers), s);

    TrainOptions o;
    o.run_dir = (fs::path(c_.get_string("models_dir")) / run_id).string();
    bool fresh = c_.get_bool("force_restart") || !fs::exists(fs::path(o.run_dir) / task.checkpoint_name());
    if (!start_weights_.empty() && fresh) {
      load_checkpoint(task.net(), start_weights_);
      spdlog::info("encoder_train: starting from the weights of {}", start_weights_);
    }
    o.max_steps = c_.get_int("max_steps");
    o.save_every = c_.get_int("save_every");
    o.backup_every = c_.get_int("backup_every");
    o.eval_every = c_.get_int("umap_every");
    o.log_every = s.vis_every;
    o.max_wall_seconds = c_.get_double("max_minutes") * 60.0;
    o.force_restart = c_.get_bool("force_restart");
    TrainResult r = train(task, o);

    Config result;
    result.define("run_dir", o.run_dir);
    result.define("checkpoint", (fs::path(o.run_dir) / task.checkpoint_name()).string());
    result.define("start_step", r.start_step);
    result.define("end_step", r.end_step);
    result.define("interrupted", r.interrupted);
    if (!r.losses.empty()) {
      size_t n = std::min<size_t>(r.losses.size(), size_t(s.vis_every));
      double first = 0, last = 0;
      for (size_t i = 0; i < n; ++i) {
        first += r.losses[i].second / double(n);
        last += r.losses[r.losses.size() - 1 - i].second / double(n);
      }
      result.define("first_loss", first);
      result.define("last_loss", last);
    }
    return result;
  }

 private:
  Config c_;
  std::string start_weights_;
};

// ---- evaluation ----------------------------------------------------------------------------------

double cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double dot = 0, na = 0, nb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    dot += double(a[i]) * b[i];
    na += double(a[i]) * a[i];
    nb += double(b[i]) * b[i];
  }
  return dot / (std::sqrt(na * nb) + 1e-12);
}

// EER over every pair of segments: same speaker = target.
double pair_eer(const std::vector<std::vector<float>>& vecs, const std::vector<int>& speaker, int64_t* same,
                int64_t* different) {
  std::vector<bool> labels;
  std::vector<float> scores;
  for (size_t i = 0; i < vecs.size(); ++i)
    for (size_t j = i + 1; j < vecs.size(); ++j) {
      labels.push_back(speaker[i] == speaker[j]);
      scores.push_back(float(cosine(vecs[i], vecs[j])));
    }
  *same = std::count(labels.begin(), labels.end(), true);
  *different = int64_t(labels.size()) - *same;
  return equal_error_rate(labels, scores);
}

class EvalStage : public Stage {
 public:
  explicit EvalStage(const CreateArgs& args) : c_(args.config), checkpoint_(args.checkpoint) {}

  Config run() override {
    const std::string& checkpoint = checkpoint_;
    std::string root = c_.get_string("clean_data_root");
    if (checkpoint.empty() || root.empty())
      throw UserError("encoder_eval: checkpoint and clean_data_root are required");
    const int64_t seg = c_.get_int("segment_frames"), max_seg = c_.get_int("max_segments");
    if (seg < 1 || max_seg < 1) throw UserError("encoder_eval: segment_frames and max_segments must be >= 1");
    SpeakerEncoderNet net = open_checkpoint(checkpoint);
    net->eval();
    auto speakers = list_speakers(root, string_list(c_, "speakers"), {});

    std::vector<std::vector<float>> model_vecs, base_vecs;
    std::vector<int> owner;
    for (size_t s = 0; s < speakers.size(); ++s)
      for (const auto& path : speakers[s].mels) {
        torch::Tensor mel = read_mel(path);
        for (int64_t k = 0; k < max_seg && (k + 1) * seg <= mel.size(0); ++k) {
          torch::Tensor part = mel.slice(0, k * seg, (k + 1) * seg);
          torch::Tensor e = embed_frames(*net, part).contiguous();
          model_vecs.emplace_back(e.data_ptr<float>(), e.data_ptr<float>() + e.numel());
          // Baseline: per-band mean and standard deviation of the log mel.
          torch::Tensor logmel = torch::log(part + 1e-6);
          torch::Tensor b = torch::cat({logmel.mean(0), logmel.std(0)}).contiguous();
          base_vecs.emplace_back(b.data_ptr<float>(), b.data_ptr<float>() + b.numel());
          owner.push_back(int(s));
        }
      }
    if (model_vecs.size() < 3)
      throw UserError("encoder_eval: fewer than 3 segments of " + std::to_string(seg) + " frames");
    // The baseline's dimensions are standardised over the evaluation set so no band dominates the cosine.
    const size_t d = base_vecs[0].size();
    for (size_t j = 0; j < d; ++j) {
      double m = 0, v = 0;
      for (const auto& x : base_vecs) m += x[j] / double(base_vecs.size());
      for (const auto& x : base_vecs) v += (x[j] - m) * (x[j] - m) / double(base_vecs.size());
      double sd = std::sqrt(v) + 1e-8;
      for (auto& x : base_vecs) x[j] = float((x[j] - m) / sd);
    }
    int64_t same = 0, different = 0;
    double eer = pair_eer(model_vecs, owner, &same, &different);
    double base = pair_eer(base_vecs, owner, &same, &different);
    Config r;
    r.define("eer", eer);
    r.define("baseline_eer", base);
    r.define("speakers", int64_t(speakers.size()));
    r.define("segments", int64_t(model_vecs.size()));
    r.define("same_pairs", same);
    r.define("different_pairs", different);
    spdlog::info(
        "encoder_eval: {} speakers, {} segments of {} frames, {} same / {} different pairs: EER {:.4f}, "
        "baseline (log-mel mean+std) EER {:.4f}",
        speakers.size(), model_vecs.size(), seg, same, different, eer, base);
    if (!c_.get_string("out_json").empty()) {
      std::ofstream out(c_.get_string("out_json"));
      out << "{\"checkpoint\": \"" << checkpoint << "\", \"eer\": " << eer << ", \"baseline_eer\": " << base
          << ", \"speakers\": " << speakers.size() << ", \"segments\": " << model_vecs.size()
          << ", \"segment_frames\": " << seg << ", \"same_pairs\": " << same
          << ", \"different_pairs\": " << different << "}\n";
    }
    return r;
  }

 private:
  Config c_;
  std::string checkpoint_;
};

}  // namespace

std::unique_ptr<Stage> make_train_stage(const CreateArgs& args) { return std::make_unique<TrainStage>(args); }
std::unique_ptr<Stage> make_eval_stage(const CreateArgs& args) { return std::make_unique<EvalStage>(args); }

}  // namespace voxclone::ge2e
