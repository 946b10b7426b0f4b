// WaveRNN training: SV2TTS vocoder dataset, collate_vocoder, the TrainTask (RTVC vocoder/train.py) and the
// trainer:wavernn stage with RTVC's vocoder_train.py arguments.
#include "wavernn_train.h"

#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include "voxclone/audio.h"
#include "voxclone/dsp.h"
#include "voxclone/error.h"
#include "voxclone/log.h"
#include "voxclone/npy.h"
#include "voxclone/runtime.h"
#include "wavernn_signal.h"

namespace voxclone::wavernn {

namespace fs = std::filesystem;

VocoderDataset::VocoderDataset(const std::string& metadata, const std::string& mel_dir,
                               const std::string& wav_dir) {
  std::ifstream in(metadata);
  if (!in) throw UserError("vocoder dataset: cannot read " + metadata);
  std::string line;
  int64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string part;
    while (std::getline(ss, part, '|')) f.push_back(part);
    if (f.size() < 5)
      throw UserError(metadata + ":" + std::to_string(line_no) +
                      ": expected audio|mel|embed|samples|frames|text");
    int64_t frames = 0;
    try {
      frames = std::stoll(f[4]);
    } catch (const std::exception&) {
      throw UserError(metadata + ":" + std::to_string(line_no) +
                      ": the 5th field (mel frames) is not an integer");
    }
    if (frames == 0) continue;  // RTVC keeps rows with int(x[4]) != 0
    items_.push_back({(fs::path(mel_dir) / f[1]).string(), (fs::path(wav_dir) / f[0]).string()});
  }
  if (items_.empty()) throw UserError("vocoder dataset: no usable row in " + metadata);
}

std::vector<VocoderItem> VocoderDataset::split_off(size_t n) {
  n = std::min(n, items_.size() > 0 ? items_.size() - 1 : 0);  // keep at least one item to train on
  std::vector<VocoderItem> out(items_.end() - long(n), items_.end());
  items_.resize(items_.size() - n);
  return out;
}

std::pair<at::Tensor, at::Tensor> VocoderDataset::load(size_t i, const WaveRnnOptions& o) const {
  const VocoderItem& it = items_.at(i);
  at::Tensor mel = read_npy(it.mel_path);  // np.save(mel.T): frames × num_mels
  if (mel.dim() != 2 || mel.size(1) != o.feat_dims)
    throw UserError(it.mel_path + ": expected a frames × " + std::to_string(o.feat_dims) + " mel");
  mel = mel.t().to(at::kFloat).div(o.mel_max_abs_value).contiguous();
  at::Tensor wav = read_npy(it.wav_path).to(at::kDouble).reshape({-1});
  if (o.apply_preemphasis) wav = preemphasis(wav, o.preemphasis);
  wav = wav.clamp(-1.0, 1.0);
  // RTVC's "fix for missing padding": pad to a whole number of hops + 1, then cut to the mel's length.
  const int64_t len = wav.numel(), hop = o.hop_length;
  const int64_t r_pad = (len / hop + 1) * hop - len;
  wav = at::constant_pad_nd(wav, {0, r_pad}, 0.0);
  if (wav.numel() < mel.size(1) * hop)
    throw UserError(it.wav_path + ": the audio is shorter than its mel (" + std::to_string(mel.size(1)) +
                    " frames)");
  wav = wav.narrow(0, 0, mel.size(1) * hop);
  const at::Tensor quant = o.mu_law ? encode_mu_law(wav, o.n_classes()) : float_2_label(wav, o.bits);
  return {mel, quant.to(at::kLong)};
}

TrainBatch collate(const std::vector<std::pair<at::Tensor, at::Tensor>>& items, const WaveRnnOptions& o,
                   int64_t seq_len, std::mt19937_64& rng) {
  const int64_t mel_win = seq_len / o.hop_length + 2 * o.pad;
  std::vector<at::Tensor> mels, labels;
  for (const auto& [mel, quant] : items) {
    const int64_t max_offset = mel.size(-1) - 2 - (mel_win + 2 * o.pad);
    if (max_offset <= 0) continue;  // numpy's randint(0, 0) would raise: too short for one window
    const int64_t offset = std::uniform_int_distribution<int64_t>(0, max_offset - 1)(rng);
    const int64_t sig_offset = (offset + o.pad) * o.hop_length;
    mels.push_back(mel.narrow(1, offset, mel_win));
    labels.push_back(quant.narrow(0, sig_offset, seq_len + 1));
  }
  if (mels.empty())
    throw UserError("vocoder training: no utterance is long enough for a window of " +
                    std::to_string(seq_len) + " samples (voc_seq_len) plus context");
  const at::Tensor lab = at::stack(labels);
  TrainBatch b;
  b.mels = at::stack(mels).to(at::kFloat).contiguous();
  b.x = label_2_float(lab.narrow(1, 0, seq_len).to(at::kFloat), o.bits).contiguous();
  b.y = lab.narrow(1, 1, seq_len).contiguous();
  return b;
}

namespace {

void state_dict_into(torch::nn::Module& m, const std::string& prefix, ckpt::Value& out) {
  for (const auto& p : m.named_parameters(false)) out.set(prefix + p.key(), p.value().detach());
  for (const auto& b : m.named_buffers(false)) out.set(prefix + b.key(), b.value().detach());
  for (const auto& c : m.named_children()) state_dict_into(*c.value(), prefix + c.key() + ".", out);
}

}  // namespace

ckpt::Value state_dict(torch::nn::Module& module) {
  ckpt::Value out = ckpt::Value::dict(/*ordered=*/true);
  state_dict_into(module, "", out);
  return out;
}

WaveRnnTrainTask::WaveRnnTrainTask(const WaveRnnOptions& o, const WaveRnnTrainSettings& s,
                                   std::shared_ptr<VocoderDataset> data, std::vector<VocoderItem> heldout)
    : o_(o), s_(s), model_(o), data_(std::move(data)), heldout_(std::move(heldout)), rng_(s.seed) {
  adam_ = std::make_unique<torch::optim::Adam>(model_->parameters(), torch::optim::AdamOptions(s.lr));
}

WaveRnnTrainTask::~WaveRnnTrainTask() = default;

int64_t WaveRnnTrainTask::resume(const std::string& path) {
  const ckpt::Value root = ckpt::load(path);
  const ckpt::Value* state = root.find("model_state");
  const WaveRnnOptions found = infer_options(state ? *state : root, o_);
  if (found.rnn_dims != o_.rnn_dims || found.fc_dims != o_.fc_dims || found.res_blocks != o_.res_blocks ||
      found.compute_dims != o_.compute_dims || found.res_out_dims != o_.res_out_dims ||
      found.bits != o_.bits || found.pad != o_.pad || found.upsample_factors != o_.upsample_factors)
    throw UserError(path + " holds a WaveRNN of another size (rnn " + std::to_string(found.rnn_dims) +
                    ", fc " + std::to_string(found.fc_dims) + ", res_blocks " +
                    std::to_string(found.res_blocks) + ") than configured (rnn " +
                    std::to_string(o_.rnn_dims) + ", fc " + std::to_string(o_.fc_dims) + ", res_blocks " +
                    std::to_string(o_.res_blocks) + "): use force_restart or the same settings");
  ckpt::load_into_module(*model_, state ? *state : root);
  if (const ckpt::Value* opt = root.find("optimizer_state")) load_adam_state_dict(*adam_, *opt);
  return model_->step.item<int64_t>();
}

double WaveRnnTrainTask::step_on(const TrainBatch& b) {
  model_->train();
  const torch::Tensor y_hat = model_->forward(b.x, b.mels).transpose(1, 2).unsqueeze(-1);
  const torch::Tensor loss = torch::nn::functional::cross_entropy(y_hat, b.y.unsqueeze(-1));
  adam_->zero_grad();
  loss.backward();
  adam_->step();
  return loss.item<double>();
}

StepReport WaveRnnTrainTask::train_step(int64_t step) {
  if (!data_) throw InternalError("wavernn train_step without a dataset");
  // DataLoader(shuffle=True, batch_size): a new permutation each epoch; the last batch may be smaller.
  std::vector<std::pair<at::Tensor, at::Tensor>> items;
  while (items.size() < size_t(s_.batch_size)) {
    if (cursor_ >= order_.size()) {
      if (!items.empty()) break;
      order_.resize(data_->size());
      std::iota(order_.begin(), order_.end(), size_t(0));
      std::shuffle(order_.begin(), order_.end(), rng_);
      cursor_ = 0;
    }
    items.push_back(data_->load(order_[cursor_++], o_));
  }
  StepReport r;
  r.loss = step_on(collate(items, o_, s_.seq_len, rng_));
  if (model_->step.item<int64_t>() != step)
    spdlog::debug("wavernn: model step {} vs loop step {}", model_->step.item<int64_t>(), step);
  r.metrics.emplace_back("batch", double(items.size()));
  return r;
}

void WaveRnnTrainTask::save(const std::string& path, int64_t /*step: the model counts its own*/) {
  ckpt::Value root = ckpt::Value::dict();
  root.set("model_state", state_dict(*model_));
  root.set("optimizer_state", adam_state_dict(*adam_));
  ckpt::save(path, root);
}

std::vector<std::pair<std::string, double>> WaveRnnTrainTask::evaluate(int64_t step, const std::string& dir) {
  std::vector<VocoderItem> items = heldout_;
  if (items.empty() && data_)
    for (size_t i = 0; i < std::min<size_t>(data_->size(), size_t(s_.gen_at_checkpoint)); ++i)
      items.push_back(data_->item(i));
  if (items.size() > size_t(s_.gen_at_checkpoint)) items.resize(size_t(s_.gen_at_checkpoint));
  if (items.empty()) return {};
  torch::NoGradGuard no_grad;
  FastSampler fast(step_weights(*model_), o_.feat_dims, o_.aux_dims(), o_.bits, o_.kernel);
  fast.set_threads(int(o_.threads));
  VocoderDataset set(items);
  double total = 0.0;
  for (size_t i = 0; i < items.size(); ++i) {
    const at::Tensor mel = set.load(i, o_).first;  // already / mel_max_abs_value
    const at::Tensor gen =
        generate(*model_, mel.unsqueeze(0), o_.batched, o_.target, o_.overlap, false, int64_t(i), &fast)
            .to(at::kFloat);
    const at::Tensor orig = read_npy(items[i].wav_path).to(at::kFloat).reshape({-1});
    const int64_t n = std::min(gen.numel(), orig.numel());
    auto to_vec = [n](const at::Tensor& t) {
      const at::Tensor c = t.narrow(0, 0, n).contiguous();
      return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + n);
    };
    Waveform g{to_vec(gen), int(o_.sample_rate)}, t{to_vec(orig), int(o_.sample_rate)};
    const std::string stem =
        (fs::path(dir) / (std::to_string(step) + "_steps_" + std::to_string(i + 1))).string();
    write_wav(stem + "_target.wav", t);
    write_wav(stem + "_gen.wav", g);
    MelSettings ms;
    ms.sample_rate = int(o_.sample_rate);
    ms.hop_size = int(o_.hop_length);
    ms.num_mels = int(o_.feat_dims);
    total += (synthesizer_mel(g.samples, ms) - synthesizer_mel(t.samples, ms)).abs().mean().item<double>();
  }
  return {{"mel_l1", total / double(items.size())}};
}

// ---- stage:vocoder_train_wavernn
// ---------------------------------------------------------------------------

namespace {

class WaveRnnTrainStage : public Stage {
 public:
  explicit WaveRnnTrainStage(const CreateArgs& args) : cfg_(args.config) {
    if (!args.device.is_cpu()) throw UserError("vocoder_train_wavernn: only the CPU is supported");
    if (!args.checkpoint.empty())
      throw UserError(
          "vocoder_train_wavernn: training resumes from <models_dir>/<run_id>/vocoder.pt; "
          "copy a checkpoint there instead of passing checkpoint=");
  }

  Config run() override {
    auto& rt = Runtime::instance();
    // Model and optimiser settings: the vocoder's [wavernn] configuration with model_overrides ("key=value").
    Overrides model_over;
    for (const auto& v : std::get<ConfigValue::Array>(cfg_.get("model_overrides").v)) {
      const auto* text = std::get_if<std::string>(&v.v);
      const size_t eq = text ? text->find('=') : std::string::npos;
      if (eq == std::string::npos) throw UserError("model_overrides: expected \"key=value\" strings");
      Config probe = rt.resolve_config(Kind::Vocoder, "wavernn");
      probe.set_from_string(text->substr(0, eq), text->substr(eq + 1));  // unknown keys are refused here
      model_over.emplace_back(text->substr(0, eq), probe.get(text->substr(0, eq)));
    }
    const Config model_cfg = rt.resolve_config(Kind::Vocoder, "wavernn", model_over);
    const WaveRnnOptions o = WaveRnnOptions::from_config(model_cfg);

    const std::string run_id = cfg_.get_string("run_id");
    if (run_id.empty()) throw UserError("vocoder_train_wavernn: run_id is required");
    const std::string root = cfg_.get_string("datasets_root");
    const bool gt = cfg_.get_bool("ground_truth");
    std::string syn_dir = cfg_.get_string("syn_dir"), voc_dir = cfg_.get_string("voc_dir");
    if (root.empty() && (syn_dir.empty() || (voc_dir.empty() && !gt)))
      throw UserError("vocoder_train_wavernn: datasets_root is required (or syn_dir and voc_dir)");
    if (syn_dir.empty()) syn_dir = (fs::path(root) / "SV2TTS" / "synthesizer").string();
    if (voc_dir.empty()) voc_dir = (fs::path(root) / "SV2TTS" / "vocoder").string();
    const std::string metadata =
        gt ? (fs::path(syn_dir) / "train.txt").string() : (fs::path(voc_dir) / "synthesized.txt").string();
    const std::string mel_dir =
        gt ? (fs::path(syn_dir) / "mels").string() : (fs::path(voc_dir) / "mels_gta").string();
    auto data = std::make_shared<VocoderDataset>(metadata, mel_dir, (fs::path(syn_dir) / "audio").string());
    std::vector<VocoderItem> heldout = data->split_off(size_t(std::max<int64_t>(0, cfg_.get_int("holdout"))));
    spdlog::info("vocoder_train_wavernn: {} utterances from {} ({} held out)", data->size(), metadata,
                 heldout.size());

    WaveRnnTrainSettings s;
    s.lr = model_cfg.get_double("voc_lr");
    s.batch_size = model_cfg.get_int("voc_batch_size");
    s.seq_len = model_cfg.get_int("voc_seq_len");
    s.gen_at_checkpoint = model_cfg.get_int("voc_gen_at_checkpoint");
    const int64_t seed = cfg_.get_int("seed");
    s.seed = seed >= 0 ? uint64_t(seed) : uint64_t(std::random_device{}());
    if (s.seq_len % o.hop_length != 0 || s.seq_len <= 0)
      throw UserError("wavernn: voc_seq_len must be a positive multiple of hop_length");
    if (s.batch_size < 1) throw UserError("wavernn: voc_batch_size must be at least 1");
    if (seed >= 0) torch::manual_seed(uint64_t(seed));  // initial weights
    WaveRnnTrainTask task(o, s, data, heldout);

    TrainOptions t;
    t.run_dir = (fs::path(cfg_.get_string("models_dir")) / run_id).string();
    t.save_every = cfg_.get_int("save_every");
    t.backup_every = cfg_.get_int("backup_every");
    t.eval_every = cfg_.get_int("eval_every") >= 0 ? cfg_.get_int("eval_every") : t.save_every;
    t.log_every = cfg_.get_int("log_every");
    t.max_wall_seconds = cfg_.get_double("max_wall_seconds");
    t.force_restart = cfg_.get_bool("force_restart");
    // RTVC runs 349 epochs of ceil(items / batch) steps.
    const int64_t per_epoch = (int64_t(data->size()) + s.batch_size - 1) / s.batch_size;
    t.max_steps = cfg_.get_int("max_steps") > 0 ? cfg_.get_int("max_steps") : 349 * per_epoch;
    fs::create_directories(t.run_dir);
    write_effective_config((fs::path(t.run_dir) / "config.toml").string(), {model_cfg, cfg_});
    const TrainResult r = voxclone::train(task, t);

    Config res("vocoder_train_wavernn");
    res.define("checkpoint", (fs::path(t.run_dir) / task.checkpoint_name()).string());
    res.define("start_step", r.start_step);
    res.define("end_step", r.end_step);
    res.define("interrupted", r.interrupted);
    if (!r.losses.empty()) {
      res.define("first_loss", r.losses.front().second);
      res.define("last_loss", r.losses.back().second);
    }
    return res;
  }

 private:
  Config cfg_;
};

}  // namespace

std::unique_ptr<Stage> make_train_stage(const CreateArgs& args) {
  return std::make_unique<WaveRnnTrainStage>(args);
}

}  // namespace voxclone::wavernn
