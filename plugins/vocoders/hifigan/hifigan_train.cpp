// HiFi-GAN training task (generator + MPD + MSD, two AdamW optimisers, MockingBird's losses and checkpoints).
#include "hifigan_train.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <random>

#include "hifigan_model.h"
#include "voxclone/audio.h"
#include "voxclone/dsp.h"
#include "voxclone/error.h"
#include "voxclone/files.h"
#include "voxclone/log.h"
#include "voxclone/npy.h"

namespace voxclone::hifigan {
namespace {

namespace fs = std::filesystem;

bool is_audio_file(const fs::path& p) {
  std::string e = p.extension().string();
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return e == ".wav" || e == ".flac" || e == ".ogg" || e == ".mp3";
}

std::vector<fs::path> sorted_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string step_name(const char* prefix, int64_t step, const char* ext) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%08lld%s", prefix, static_cast<long long>(step), ext);
  return buf;
}

ckpt::Value state_dict(torch::nn::Module& m) {
  ckpt::Value d = ckpt::Value::dict(/*ordered=*/true);
  for (const auto& p : m.named_parameters()) d.set(p.key(), p.value().detach().cpu());
  for (const auto& b : m.named_buffers()) d.set(b.key(), b.value().detach().cpu());
  return d;
}

class HifiganTask : public TrainTask {
 public:
  HifiganTask(const Hparams& h, const TrainOptions& o, std::vector<Utterance> train,
              std::vector<Utterance> valid, const std::string& init_checkpoint, c10::Device device)
      : h_(h),
        options_(o),
        train_(std::move(train)),
        valid_(std::move(valid)),
        device_(device),
        loss_mel_(h, h.loss_fmax()),
        rng_(uint32_t(h.seed)) {
    torch::manual_seed(uint64_t(h.seed));
    generator_ = Generator(h);
    mpd_ = MultiPeriodDiscriminator();
    msd_ = MultiScaleDiscriminator();
    if (!init_checkpoint.empty()) {
      ckpt::Value root = ckpt::load(init_checkpoint);
      const ckpt::Value* g = root.find("generator");
      ckpt::load_into_module(*generator_, g ? *g : root);
      spdlog::info("hifigan: generator initialised from {}", init_checkpoint);
    }
    generator_->to(device_);
    mpd_->to(device_);
    msd_->to(device_);
    auto opts = [&] { return torch::optim::AdamWOptions(h.learning_rate).betas({h.adam_b1, h.adam_b2}); };
    optim_g_ = std::make_unique<torch::optim::AdamW>(generator_->parameters(), opts());
    std::vector<at::Tensor> dparams = msd_->parameters();  // itertools.chain(msd, mpd) as train.py
    for (auto& p : mpd_->parameters()) dparams.push_back(p);
    optim_d_ = std::make_unique<torch::optim::AdamW>(dparams, opts());
    order_.resize(train_.size());
    std::iota(order_.begin(), order_.end(), size_t(0));
    std::shuffle(order_.begin(), order_.end(), rng_);
    steps_per_epoch_ = std::max<int64_t>(1, int64_t(train_.size()) / h.batch_size);
    generator_->train();
    mpd_->train();
    msd_->train();
    write_file_atomic((fs::path(o.run_dir) / "config.json").string(), hparams_to_json(h_));
  }

  std::string checkpoint_name() const override { return "checkpoint.pt"; }

  int64_t resume(const std::string& path) override {
    ckpt::Value ptr = ckpt::load(path);
    fs::path dir = fs::path(path).parent_path();
    std::string g_path = (dir / ptr.at("g").as_str()).string(),
                do_path = (dir / ptr.at("do").as_str()).string();
    ckpt::Value g = ckpt::load(g_path), d = ckpt::load(do_path);
    ckpt::load_into_module(*generator_, g.at("generator"));
    ckpt::load_into_module(*mpd_, d.at("mpd"));
    ckpt::load_into_module(*msd_, d.at("msd"));
    load_adam_state_dict(*optim_g_, d.at("optim_g"));
    load_adam_state_dict(*optim_d_, d.at("optim_d"));
    int64_t steps = d.at("steps").as_int();
    spdlog::info("hifigan: resumed from {} and {} at step {} (epoch {})", g_path, do_path, steps,
                 d.at("epoch").as_int());
    return steps;
  }

  StepReport train_step(int64_t step) override {
    if (step == 1 && options_.eval_every > 0) {  // a fresh run: held-out figures of the untrained generator
      auto m = evaluate(0, (fs::path(options_.run_dir) / "samples").string());
      if (!m.empty()) spdlog::info("hifigan: before training: val_mel_error={:.5f}", m[0].second);
    }
    const int64_t epoch = (step - 1) / steps_per_epoch_;
    const double lr = h_.learning_rate * std::pow(h_.lr_decay, double(epoch));  // ExponentialLR per epoch
    for (auto* opt : {optim_g_.get(), optim_d_.get()})
      for (auto& group : opt->param_groups())
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);

    auto [x, y] = batch(step);
    at::Tensor y_mel = loss_mel_(y.squeeze(1));
    at::Tensor y_g_hat = generator_->forward(x);
    at::Tensor y_g_hat_mel = loss_mel_(y_g_hat.squeeze(1));

    optim_d_->zero_grad();
    DiscOutputs f = mpd_->forward(y, y_g_hat.detach());
    at::Tensor loss_disc_f = discriminator_loss(f.real, f.fake);
    DiscOutputs s = msd_->forward(y, y_g_hat.detach());
    at::Tensor loss_disc_s = discriminator_loss(s.real, s.fake);
    at::Tensor loss_disc_all = loss_disc_s + loss_disc_f;
    loss_disc_all.backward();
    optim_d_->step();

    optim_g_->zero_grad();
    at::Tensor loss_mel = at::l1_loss(y_mel, y_g_hat_mel) * 45;
    f = mpd_->forward(y, y_g_hat);
    s = msd_->forward(y, y_g_hat);
    at::Tensor loss_fm_f = feature_loss(f.fmap_real, f.fmap_fake);
    at::Tensor loss_fm_s = feature_loss(s.fmap_real, s.fmap_fake);
    at::Tensor loss_gen_f = generator_loss(f.fake);
    at::Tensor loss_gen_s = generator_loss(s.fake);
    at::Tensor loss_gen_all = loss_gen_s + loss_gen_f + loss_fm_s + loss_fm_f + loss_mel;
    loss_gen_all.backward();
    optim_g_->step();

    StepReport r;
    r.loss = loss_gen_all.item<double>();
    r.metrics = {{"mel_error", loss_mel.item<double>() / 45.0},
                 {"loss_disc", loss_disc_all.item<double>()},
                 {"loss_gen", (loss_gen_s + loss_gen_f).item<double>()},
                 {"loss_fm", (loss_fm_s + loss_fm_f).item<double>()},
                 {"lr", lr},
                 {"epoch", double(epoch)}};
    return r;
  }

  void save(const std::string& path, int64_t step) override {
    fs::path dir = fs::path(path).parent_path();
    const std::string g_name = step_name("g_", step, ".pt"), do_name = step_name("do_", step, "");
    ckpt::Value g = ckpt::Value::dict();
    g.set("generator", state_dict(*generator_));
    ckpt::save((dir / g_name).string(), g);
    ckpt::Value d = ckpt::Value::dict();
    d.set("mpd", state_dict(*mpd_));
    d.set("msd", state_dict(*msd_));
    d.set("optim_g", adam_state_dict(*optim_g_));
    d.set("optim_d", adam_state_dict(*optim_d_));
    d.set("steps", step);
    d.set("epoch", (step - 1) / steps_per_epoch_);
    ckpt::save((dir / do_name).string(), d);
    ckpt::Value ptr = ckpt::Value::dict();  // written last: the pair it names is complete
    ptr.set("g", g_name);
    ptr.set("do", do_name);
    ptr.set("steps", step);
    ckpt::save(path, ptr);
  }

  std::vector<std::pair<std::string, double>> evaluate(int64_t step, const std::string& dir) override {
    if (valid_.empty()) return {};
    fs::create_directories(dir);
    generator_->eval();
    double total = 0.0;
    {
      torch::NoGradGuard no_grad;
      for (size_t i = 0; i < valid_.size(); ++i) {
        const Utterance& u = valid_[i];
        at::Tensor y_hat = generator_->forward(u.mel.unsqueeze(0).to(device_)).squeeze(1).cpu();
        const int64_t n = std::min(y_hat.size(1), u.audio.size(0)) / h_.hop_size * h_.hop_size;
        at::Tensor a = loss_mel_(y_hat.narrow(1, 0, n)), b = loss_mel_(u.audio.narrow(0, 0, n).unsqueeze(0));
        total += at::l1_loss(a, b).item<double>();
        if (i < 3) {
          Waveform w;
          w.sample_rate = int(h_.sampling_rate);
          at::Tensor s = y_hat.squeeze(0).contiguous();
          w.samples.assign(s.data_ptr<float>(), s.data_ptr<float>() + s.numel());
          write_wav((fs::path(dir) / (step_name("step_", step, "_") + u.id + ".wav")).string(), w);
        }
      }
    }
    generator_->train();
    return {{"val_mel_error", total / double(valid_.size())}};
  }

 private:
  // train.py's fine-tuning batch: a random run of ceil(segment / hop) mel frames and the audio under it.
  std::pair<at::Tensor, at::Tensor> batch(int64_t step) {
    const int64_t fps = (h_.segment_size + h_.hop_size - 1) / h_.hop_size;
    std::vector<at::Tensor> mels, audios;
    const int64_t first = ((step - 1) % steps_per_epoch_) * h_.batch_size;
    for (int64_t b = 0; b < h_.batch_size; ++b) {
      const Utterance& u = train_[order_[size_t(first + b) % order_.size()]];
      at::Tensor mel = u.mel, audio = u.audio;
      if (audio.size(0) >= h_.segment_size && mel.size(1) > fps) {
        std::uniform_int_distribution<int64_t> pick(0, mel.size(1) - fps - 1);
        const int64_t start = pick(rng_);
        mel = mel.narrow(1, start, fps);
        audio = audio.narrow(0, start * h_.hop_size,
                             std::min(fps * h_.hop_size, audio.size(0) - start * h_.hop_size));
      } else {
        mel = mel.narrow(1, 0, std::min(fps, mel.size(1)));
      }
      mel = at::constant_pad_nd(mel, {0, fps - mel.size(1)}, 0);
      audio = at::constant_pad_nd(audio, {0, h_.segment_size - audio.size(0)}, 0);
      mels.push_back(mel);
      audios.push_back(audio.unsqueeze(0));
    }
    return {at::stack(mels).to(device_), at::stack(audios).to(device_)};
  }

  Hparams h_;
  TrainOptions options_;
  std::vector<Utterance> train_, valid_;
  c10::Device device_;
  LossMel loss_mel_;
  std::mt19937 rng_;
  Generator generator_{nullptr};
  MultiPeriodDiscriminator mpd_{nullptr};
  MultiScaleDiscriminator msd_{nullptr};
  std::unique_ptr<torch::optim::AdamW> optim_g_, optim_d_;
  std::vector<size_t> order_;
  int64_t steps_per_epoch_ = 1;
};

}  // namespace

std::vector<Utterance> load_utterances(const std::vector<std::string>& dirs, const Hparams& h) {
  const MelSettings ms = h.input_mel();
  std::vector<Utterance> out;
  for (const auto& d : dirs) {
    fs::path dir(d);
    if (!fs::is_directory(dir)) throw UserError("hifigan training data: " + d + " is not a folder");
    const size_t before = out.size();
    if (fs::is_directory(dir / "mels") && fs::is_directory(dir / "audio")) {
      for (const auto& mel_path : sorted_files(dir / "mels")) {
        std::string name = mel_path.filename().string();
        if (name.rfind("mel-", 0) != 0 || mel_path.extension() != ".npy") continue;
        fs::path audio_path = dir / "audio" / ("audio-" + name.substr(4));
        if (!fs::exists(audio_path))
          throw UserError("hifigan training data: " + audio_path.string() + " missing for " +
                          mel_path.string());
        at::Tensor mel = read_npy(mel_path.string()).to(at::kFloat);
        if (mel.dim() != 2 || mel.size(1) != ms.num_mels)
          throw UserError(mel_path.string() + ": expected frames × " + std::to_string(ms.num_mels) +
                          " (RTVC's mel-*.npy)");
        Utterance u;
        u.id = mel_path.stem().string().substr(4);
        u.mel = mel.t().contiguous();
        u.audio = read_npy(audio_path.string()).to(at::kFloat).flatten().contiguous();
        out.push_back(std::move(u));
      }
    } else {
      for (const auto& p : sorted_files(dir)) {
        if (!is_audio_file(p)) continue;
        Waveform w = read_audio(p.string(), ms.sample_rate);
        rescale_peak(w.samples, 0.9f);
        Utterance u;
        u.id = p.stem().string();
        u.audio = at::from_blob(w.samples.data(), {int64_t(w.samples.size())}, at::kFloat).clone();
        u.mel = synthesizer_mel(w.samples, ms);
        out.push_back(std::move(u));
      }
    }
    if (out.size() == before)
      throw UserError("hifigan training data: " + d +
                      " holds neither mels/ + audio/ (SV2TTS) nor audio files");
  }
  return out;
}

TrainResult train_hifigan(const Hparams& h, const TrainOptions& options, const std::vector<std::string>& data,
                          const std::vector<std::string>& validation, const std::string& init_checkpoint,
                          c10::Device device) {
  h.validate("hifigan training");
  if (options.run_dir.empty()) throw UserError("hifigan training: no run folder given");
  if (data.empty()) throw UserError("hifigan training: no data folder given");
  fs::create_directories(options.run_dir);
  std::vector<Utterance> train_set = load_utterances(data, h), valid;
  if (!validation.empty()) {
    valid = load_utterances(validation, h);
  } else {
    // get_dataset_filelist: seeded shuffle, the last 5% held out (at least one when there are two or more).
    std::mt19937 rng(uint32_t(h.seed));
    std::shuffle(train_set.begin(), train_set.end(), rng);
    size_t n_valid = train_set.size() / 20;
    if (n_valid == 0 && train_set.size() > 1) n_valid = 1;
    valid.assign(std::make_move_iterator(train_set.end() - long(n_valid)),
                 std::make_move_iterator(train_set.end()));
    train_set.resize(train_set.size() - n_valid);
  }
  spdlog::info("hifigan: {} training and {} held-out utterances", train_set.size(), valid.size());
  HifiganTask task(h, options, std::move(train_set), std::move(valid), init_checkpoint, device);
  return voxclone::train(task, options);
}

}  // namespace voxclone::hifigan
