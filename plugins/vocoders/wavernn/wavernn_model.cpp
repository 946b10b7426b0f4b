// The fatchord WaveRNN modules, checkpoint loading with shape inference, and RTVC's generate() (strict path
// and the orchestration around the fast sampler).
#include "wavernn_model.h"

#include <torch/torch.h>

#include <cmath>
#include <map>
#include <mutex>

#include "voxclone/error.h"
#include "voxclone/log.h"
#include "wavernn_signal.h"

namespace voxclone::wavernn {

WaveRnnOptions WaveRnnOptions::from_config(const Config& c) {
  WaveRnnOptions o;
  o.rnn_dims = c.get_int("voc_rnn_dims");
  o.fc_dims = c.get_int("voc_fc_dims");
  o.bits = c.get_int("bits");
  o.pad = c.get_int("voc_pad");
  o.upsample_factors.clear();
  for (double f : c.get_doubles("voc_upsample_factors")) {
    if (f != std::floor(f)) throw UserError("wavernn: voc_upsample_factors must be integers");
    o.upsample_factors.push_back(int64_t(f));
  }
  o.feat_dims = c.get_int("num_mels");
  o.compute_dims = c.get_int("voc_compute_dims");
  o.res_out_dims = c.get_int("voc_res_out_dims");
  o.res_blocks = c.get_int("voc_res_blocks");
  o.hop_length = c.get_int("hop_length");
  o.sample_rate = c.get_int("sample_rate");
  o.mu_law = c.get_bool("mu_law");
  o.apply_preemphasis = c.get_bool("apply_preemphasis");
  o.preemphasis = c.get_double("preemphasis");
  o.mel_max_abs_value = c.get_double("mel_max_abs_value");
  o.batched = c.get_bool("voc_gen_batched");
  o.target = c.get_int("voc_target");
  o.overlap = c.get_int("voc_overlap");
  o.strict = c.get_bool("strict");
  o.kernel = c.get_string("kernel");
  o.normalize = c.get_bool("normalize");
  o.threads = c.get_int("threads");
  if (c.get_string("voc_mode") != "RAW")
    throw UserError("wavernn: only voc_mode = \"RAW\" is supported (got \"" + c.get_string("voc_mode") +
                    "\")");
  if (std::string why = o.validate(); !why.empty()) throw UserError("wavernn: " + why);
  return o;
}

std::string WaveRnnOptions::validate() const {
  int64_t product = 1;
  for (int64_t f : upsample_factors) {
    if (f < 1) return "voc_upsample_factors must be positive";
    product *= f;
  }
  if (upsample_factors.empty() || product != hop_length)
    return "the product of voc_upsample_factors (" + std::to_string(product) + ") must equal hop_length (" +
           std::to_string(hop_length) + ")";
  if (rnn_dims < 1 || fc_dims < 1 || compute_dims < 1 || feat_dims < 1 || res_blocks < 0)
    return "model sizes must be positive";
  if (res_out_dims < 4) return "voc_res_out_dims must be at least 4 (aux_dims = voc_res_out_dims / 4)";
  if (bits < 2 || bits > 16) return "bits must be in [2, 16]";
  if (pad < 1) return "voc_pad must be at least 1";
  if (target < 1 || overlap < 0) return "voc_target must be >= 1 and voc_overlap >= 0";
  if (sample_rate < 1) return "sample_rate must be positive";
  if (mel_max_abs_value <= 0) return "mel_max_abs_value must be positive";
  if (threads < 0) return "threads must be >= 0 (0: one per core)";
  return "";
}

WaveRnnOptions infer_options(const ckpt::Value& state_dict, WaveRnnOptions o) {
  std::map<std::string, at::Tensor> t;
  for (auto& [name, tensor] : ckpt::flatten_state_dict(state_dict)) t[name] = tensor;
  auto need = [&](const std::string& key) -> const at::Tensor& {
    auto it = t.find(key);
    if (it == t.end()) throw UserError("not a WaveRNN (RTVC fatchord) state dict: no '" + key + "'");
    return it->second;
  };
  const at::Tensor& conv_in = need("upsample.resnet.conv_in.weight");
  if (conv_in.dim() != 3 || conv_in.size(2) % 2 != 1)
    throw UserError("WaveRNN conv_in.weight has an odd shape");
  o.compute_dims = conv_in.size(0);
  o.feat_dims = conv_in.size(1);
  o.pad = (conv_in.size(2) - 1) / 2;
  o.res_out_dims = need("upsample.resnet.conv_out.weight").size(0);
  o.rnn_dims = need("rnn1.weight_hh_l0").size(1);
  o.fc_dims = need("fc1.weight").size(0);
  const int64_t classes = need("fc3.weight").size(0);
  int64_t bits = 0;
  while ((int64_t(1) << bits) < classes) ++bits;
  if ((int64_t(1) << bits) != classes)
    throw UserError("WaveRNN fc3 has " + std::to_string(classes) +
                    " outputs: only RAW mode (2^bits classes) is supported, not MOL");
  o.bits = bits;
  o.res_blocks = 0;
  while (t.count("upsample.resnet.layers." + std::to_string(o.res_blocks) + ".conv1.weight")) ++o.res_blocks;
  o.upsample_factors.clear();
  for (int i = 1; t.count("upsample.up_layers." + std::to_string(i) + ".weight"); i += 2)
    o.upsample_factors.push_back((t["upsample.up_layers." + std::to_string(i) + ".weight"].size(-1) - 1) / 2);
  int64_t hop = 1;
  for (int64_t f : o.upsample_factors) hop *= f;
  o.hop_length = hop;
  if (std::string why = o.validate(); !why.empty()) throw UserError("WaveRNN checkpoint: " + why);
  return o;
}

// ---- modules -----------------------------------------------------------------------------------------

torch::Tensor Stretch2dImpl::forward(const torch::Tensor& x) {
  const int64_t b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  return x.unsqueeze(-1)
      .unsqueeze(3)
      .repeat({1, 1, 1, y_scale_, 1, x_scale_})
      .view({b, c, h * y_scale_, w * x_scale_});
}

ResBlockImpl::ResBlockImpl(int64_t dims) {
  conv1 = register_module("conv1", torch::nn::Conv1d(torch::nn::Conv1dOptions(dims, dims, 1).bias(false)));
  conv2 = register_module("conv2", torch::nn::Conv1d(torch::nn::Conv1dOptions(dims, dims, 1).bias(false)));
  batch_norm1 = register_module("batch_norm1", torch::nn::BatchNorm1d(dims));
  batch_norm2 = register_module("batch_norm2", torch::nn::BatchNorm1d(dims));
}

torch::Tensor ResBlockImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = torch::relu(batch_norm1(conv1(x)));
  return batch_norm2(conv2(y)) + x;
}

MelResNetImpl::MelResNetImpl(int64_t res_blocks, int64_t in_dims, int64_t compute_dims, int64_t res_out_dims,
                             int64_t pad) {
  conv_in = register_module(
      "conv_in", torch::nn::Conv1d(torch::nn::Conv1dOptions(in_dims, compute_dims, pad * 2 + 1).bias(false)));
  batch_norm = register_module("batch_norm", torch::nn::BatchNorm1d(compute_dims));
  layers = register_module("layers", torch::nn::ModuleList());
  for (int64_t i = 0; i < res_blocks; ++i) layers->push_back(ResBlock(compute_dims));
  conv_out =
      register_module("conv_out", torch::nn::Conv1d(torch::nn::Conv1dOptions(compute_dims, res_out_dims, 1)));
}

torch::Tensor MelResNetImpl::forward(torch::Tensor x) {
  x = torch::relu(batch_norm(conv_in(x)));
  for (const auto& layer : *layers) x = layer->as<ResBlock>()->forward(x);
  return conv_out(x);
}

UpsampleNetworkImpl::UpsampleNetworkImpl(const WaveRnnOptions& o) {
  int64_t total_scale = 1;
  for (int64_t f : o.upsample_factors) total_scale *= f;
  indent_ = o.pad * total_scale;
  resnet =
      register_module("resnet", MelResNet(o.res_blocks, o.feat_dims, o.compute_dims, o.res_out_dims, o.pad));
  resnet_stretch = register_module("resnet_stretch", Stretch2d(total_scale, 1));
  up_layers = register_module("up_layers", torch::nn::ModuleList());
  for (int64_t scale : o.upsample_factors) {
    const int64_t k = scale * 2 + 1;
    Stretch2d stretch(scale, 1);
    torch::nn::Conv2d conv(torch::nn::Conv2dOptions(1, 1, {1, k}).padding({0, scale}).bias(false));
    {
      torch::NoGradGuard no_grad;
      conv->weight.fill_(1.0 / double(k));
    }
    up_layers->push_back(stretch);
    up_layers->push_back(conv);
    stretches_.push_back(stretch);
    convs_.push_back(conv);
  }
}

std::pair<torch::Tensor, torch::Tensor> UpsampleNetworkImpl::forward(const torch::Tensor& m_in) {
  torch::Tensor aux = resnet(m_in).unsqueeze(1);
  aux = resnet_stretch(aux).squeeze(1);
  torch::Tensor m = m_in.unsqueeze(1);
  for (size_t i = 0; i < convs_.size(); ++i) m = convs_[i](stretches_[i](m));
  m = m.squeeze(1);
  m = m.narrow(2, indent_, m.size(2) - 2 * indent_);
  return {m.transpose(1, 2), aux.transpose(1, 2)};
}

WaveRnnImpl::WaveRnnImpl(const WaveRnnOptions& o) : o_(o) {
  if (std::string why = o.validate(); !why.empty()) throw UserError("wavernn: " + why);
  const int64_t aux = o.aux_dims();
  upsample = register_module("upsample", UpsampleNetwork(o));
  I = register_module("I", torch::nn::Linear(o.feat_dims + aux + 1, o.rnn_dims));
  rnn1 = register_module("rnn1",
                         torch::nn::GRU(torch::nn::GRUOptions(o.rnn_dims, o.rnn_dims).batch_first(true)));
  rnn2 = register_module(
      "rnn2", torch::nn::GRU(torch::nn::GRUOptions(o.rnn_dims + aux, o.rnn_dims).batch_first(true)));
  fc1 = register_module("fc1", torch::nn::Linear(o.rnn_dims + aux, o.fc_dims));
  fc2 = register_module("fc2", torch::nn::Linear(o.fc_dims + aux, o.fc_dims));
  fc3 = register_module("fc3", torch::nn::Linear(o.fc_dims, o.n_classes()));
  // Own parameters come before the submodules' in parameters() (as in PyTorch): step is index 0 of the
  // optimiser's parameter list, exactly where RTVC's Adam state expects it.
  step = register_parameter("step", torch::zeros({1}, torch::kLong), /*requires_grad=*/false);
}

torch::Tensor WaveRnnImpl::forward(const torch::Tensor& x_in, const torch::Tensor& mels_in) {
  {
    torch::NoGradGuard no_grad;
    step.add_(1);
  }
  const int64_t bsize = x_in.size(0);
  const torch::Tensor h1 = torch::zeros({1, bsize, o_.rnn_dims}, x_in.options());
  const torch::Tensor h2 = torch::zeros({1, bsize, o_.rnn_dims}, x_in.options());
  auto [mels, aux] = upsample(mels_in);
  const int64_t d = o_.aux_dims();
  const torch::Tensor a1 = aux.narrow(2, 0, d), a2 = aux.narrow(2, d, d), a3 = aux.narrow(2, 2 * d, d),
                      a4 = aux.narrow(2, 3 * d, d);
  torch::Tensor x = torch::cat({x_in.unsqueeze(-1), mels, a1}, 2);
  x = I(x);
  torch::Tensor res = x;
  x = std::get<0>(rnn1(x, h1));
  x = x + res;
  res = x;
  x = torch::cat({x, a2}, 2);
  x = std::get<0>(rnn2(x, h2));
  x = x + res;
  x = torch::cat({x, a3}, 2);
  x = torch::relu(fc1(x));
  x = torch::cat({x, a4}, 2);
  x = torch::relu(fc2(x));
  return fc3(x);
}

WaveRnn load_wavernn(const std::string& path, const WaveRnnOptions& base, ckpt::Value* loaded) {
  ckpt::Value root = ckpt::load(path);
  const ckpt::Value* state = root.find("model_state");
  if (!state) state = &root;  // RTVC's backwards-compatible bare state dict
  WaveRnnOptions o;
  try {
    o = infer_options(*state, base);
  } catch (const UserError& e) {
    throw UserError(path + ": " + e.what());
  }
  if (o.rnn_dims != base.rnn_dims || o.fc_dims != base.fc_dims || o.res_blocks != base.res_blocks ||
      o.compute_dims != base.compute_dims || o.res_out_dims != base.res_out_dims || o.pad != base.pad ||
      o.bits != base.bits || o.upsample_factors != base.upsample_factors || o.feat_dims != base.feat_dims)
    spdlog::info(
        "wavernn: {} has rnn {} fc {} compute {} res_out {} res_blocks {} pad {} bits {} (taken from "
        "its tensor shapes)",
        path, o.rnn_dims, o.fc_dims, o.compute_dims, o.res_out_dims, o.res_blocks, o.pad, o.bits);
  WaveRnn model(o);
  ckpt::load_into_module(*model, *state);
  model->eval();
  if (loaded) *loaded = root;
  return model;
}

StepWeights step_weights(WaveRnnImpl& m) {
  StepWeights w;
  w.i_w = m.I->weight;
  w.i_b = m.I->bias;
  w.w_ih1 = m.rnn1->named_parameters()["weight_ih_l0"];
  w.w_hh1 = m.rnn1->named_parameters()["weight_hh_l0"];
  w.b_ih1 = m.rnn1->named_parameters()["bias_ih_l0"];
  w.b_hh1 = m.rnn1->named_parameters()["bias_hh_l0"];
  w.w_ih2 = m.rnn2->named_parameters()["weight_ih_l0"];
  w.w_hh2 = m.rnn2->named_parameters()["weight_hh_l0"];
  w.b_ih2 = m.rnn2->named_parameters()["bias_ih_l0"];
  w.b_hh2 = m.rnn2->named_parameters()["bias_hh_l0"];
  w.fc1_w = m.fc1->weight;
  w.fc1_b = m.fc1->bias;
  w.fc2_w = m.fc2->weight;
  w.fc2_b = m.fc2->bias;
  w.fc3_w = m.fc3->weight;
  w.fc3_b = m.fc3->bias;
  return w;
}

// ---- generation ----------------------------------------------------------------------------------------

at::Tensor sample_strict(WaveRnnImpl& model, const at::Tensor& mels, const at::Tensor& aux, int64_t seed,
                         GenerateTrace* trace) {
  torch::NoGradGuard no_grad;
  const WaveRnnOptions& o = model.options();
  if (seed >= 0) {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_current_seed(uint64_t(seed));
  }
  // RTVC's get_gru_cell builds nn.GRUCell(rnn1) then nn.GRUCell(rnn2) before the loop; their
  // reset_parameters() draws advance the generator (weight_ih, weight_hh, bias_ih, bias_hh) and must be
  // replayed for the samples to match. The drawn values themselves are discarded, as in RTVC.
  for (int64_t in_size : {o.rnn_dims, o.rnn_dims + o.aux_dims()}) {
    const int64_t H = o.rnn_dims;
    const double stdv = 1.0 / std::sqrt(double(H));
    for (const std::vector<int64_t>& shape :
         std::vector<std::vector<int64_t>>{{3 * H, in_size}, {3 * H, H}, {3 * H}, {3 * H}})
      at::empty(shape, at::kFloat).uniform_(-stdv, stdv);
  }
  const StepWeights w = step_weights(model);
  const int64_t B = mels.size(0), S = mels.size(1), d = o.aux_dims();
  at::Tensor h1 = at::zeros({B, o.rnn_dims}), h2 = at::zeros({B, o.rnn_dims}), x = at::zeros({B, 1});
  const at::Tensor a1 = aux.narrow(2, 0, d), a2 = aux.narrow(2, d, d), a3 = aux.narrow(2, 2 * d, d),
                   a4 = aux.narrow(2, 3 * d, d);
  std::vector<at::Tensor> output;
  output.reserve(size_t(S));
  std::vector<at::Tensor> labels, logits_kept;
  for (int64_t i = 0; i < S; ++i) {
    x = at::cat({x, mels.select(1, i), a1.select(1, i)}, 1);
    x = at::linear(x, w.i_w, w.i_b);
    h1 = at::gru_cell(x, h1, w.w_ih1, w.w_hh1, w.b_ih1, w.b_hh1);
    x = x + h1;
    const at::Tensor inp = at::cat({x, a2.select(1, i)}, 1);
    h2 = at::gru_cell(inp, h2, w.w_ih2, w.w_hh2, w.b_ih2, w.b_hh2);
    x = x + h2;
    x = at::cat({x, a3.select(1, i)}, 1);
    x = at::relu(at::linear(x, w.fc1_w, w.fc1_b));
    x = at::cat({x, a4.select(1, i)}, 1);
    x = at::relu(at::linear(x, w.fc2_w, w.fc2_b));
    const at::Tensor logit = at::linear(x, w.fc3_w, w.fc3_b);
    // Categorical(softmax(logits)).sample(): the distribution renormalises, then multinomial(p, 1, True).
    const at::Tensor posterior = at::softmax(logit, 1);
    const at::Tensor probs = posterior / posterior.sum(-1, true);
    const at::Tensor label = at::multinomial(probs, 1, true).t().reshape({B});
    const at::Tensor sample = label.to(at::kFloat).mul(2).div(double(o.n_classes() - 1)).sub(1.0);
    output.push_back(sample);
    x = sample.unsqueeze(-1);
    if (trace) {
      labels.push_back(label);
      if (i < trace->logit_steps) logits_kept.push_back(logit);
    }
  }
  if (trace) {
    trace->labels = at::stack(labels);
    trace->logits = at::stack(logits_kept);
  }
  return at::stack(output).transpose(0, 1).contiguous();
}

std::pair<at::Tensor, at::Tensor> upsample_chunked(WaveRnnImpl& model, const at::Tensor& padded,
                                                   int64_t chunk_frames) {
  torch::NoGradGuard no_grad;
  const WaveRnnOptions& o = model.options();
  const int64_t frames = padded.size(2) - 2 * o.pad;
  at::Tensor mels = at::empty({1, frames * o.hop_length, o.feat_dims}, at::kFloat);
  at::Tensor aux = at::empty({1, frames * o.hop_length, o.res_out_dims}, at::kFloat);
  for (int64_t f0 = 0; f0 < frames; f0 += chunk_frames) {
    const int64_t n = std::min(chunk_frames, frames - f0);
    auto [m, a] = model.upsample->forward(padded.narrow(2, f0, n + 2 * o.pad));
    mels.narrow(1, f0 * o.hop_length, n * o.hop_length).copy_(m);
    aux.narrow(1, f0 * o.hop_length, n * o.hop_length).copy_(a);
  }
  return {mels, aux};
}

at::Tensor generate(WaveRnnImpl& model, const at::Tensor& mel, bool batched, int64_t target, int64_t overlap,
                    bool strict, int64_t seed, FastSampler* fast, GenerateTrace* trace) {
  torch::NoGradGuard no_grad;
  const WaveRnnOptions& o = model.options();
  if (mel.dim() != 3 || mel.size(0) != 1 || mel.size(1) != o.feat_dims)
    throw UserError("wavernn: expected a mel of " + std::to_string(o.feat_dims) + " × frames");
  if (mel.size(2) < 2) throw UserError("wavernn: the mel needs at least 2 frames");
  const bool was_training = model.is_training();
  model.eval();
  const int64_t wave_len = (mel.size(2) - 1) * o.hop_length;
  at::Tensor mels = pad_tensor(mel.to(at::kFloat).transpose(1, 2), o.pad, "both").transpose(1, 2);
  // Strict: one call, as RTVC; fast: by chunks (same values, bounded memory).
  auto [up, aux] = strict ? model.upsample->forward(mels) : upsample_chunked(model, mels);
  if (batched) {
    up = fold_with_overlap(up, target, overlap);
    aux = fold_with_overlap(aux, target, overlap);
  }
  at::Tensor samples;
  if (strict) {
    samples = sample_strict(model, up, aux, seed, trace);
  } else {
    if (!fast) throw InternalError("wavernn generate: the fast path needs a FastSampler");
    samples = fast->run(up, aux.contiguous(), seed, trace);
  }
  if (was_training) model.train();
  at::Tensor out = samples.to(at::kDouble);
  out = batched ? xfade_and_unfold(out, target, overlap) : out[0];
  return finish_waveform(out, o.n_classes(), o.mu_law, o.apply_preemphasis, o.preemphasis, wave_len,
                         20 * o.hop_length);
}

}  // namespace voxclone::wavernn
