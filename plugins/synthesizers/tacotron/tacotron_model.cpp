// RTVC's Tacotron modules: forward (teacher forcing), generate (autoregressive), losses, state dict I/O.
#include "tacotron_model.h"

#include <sstream>

#include "voxclone/error.h"

namespace voxclone::tacotron {

namespace F = torch::nn::functional;
using torch::Tensor;

std::string TacotronOptions::to_string() const {
  std::ostringstream s;
  s << "embed_dims=" << embed_dims << " num_chars=" << num_chars << " encoder_dims=" << encoder_dims
    << " decoder_dims=" << decoder_dims << " n_mels=" << n_mels << " fft_bins=" << fft_bins
    << " postnet_dims=" << postnet_dims << " encoder_K=" << encoder_K << " lstm_dims=" << lstm_dims
    << " postnet_K=" << postnet_K << " num_highways=" << num_highways << " speaker_embedding_size="
    << speaker_embedding_size << " r=" << r << " stop_threshold=" << stop_threshold;
  return s.str();
}

namespace {

const Tensor& tensor_at(const std::vector<std::pair<std::string, at::Tensor>>& flat, const std::string& key) {
  for (const auto& [k, t] : flat)
    if (k == key) return t;
  throw UserError("not a Tacotron state dict: no '" + key + "'");
}

int64_t count_prefix(const std::vector<std::pair<std::string, at::Tensor>>& flat, const std::string& prefix,
                     const std::string& suffix) {
  int64_t n = 0;
  while (true) {
    std::string key = prefix + std::to_string(n) + suffix;
    bool found = false;
    for (const auto& kv : flat)
      if (kv.first == key) found = true;
    if (!found) return n;
    ++n;
  }
}

}  // namespace

TacotronOptions infer_options(const ckpt::Value& state, TacotronOptions o) {
  auto flat = ckpt::flatten_state_dict(state);
  const Tensor& emb = tensor_at(flat, "encoder.embedding.weight");
  o.num_chars = emb.size(0);
  o.embed_dims = emb.size(1);
  o.encoder_dims = tensor_at(flat, "encoder.pre_net.fc1.weight").size(0);
  o.encoder_K = count_prefix(flat, "encoder.cbhg.conv1d_bank.", ".conv.weight");
  o.num_highways = count_prefix(flat, "encoder.cbhg.highways.", ".W1.weight");
  const Tensor& proj = tensor_at(flat, "encoder_proj.weight");
  o.decoder_dims = proj.size(0);
  o.speaker_embedding_size = proj.size(1) - o.encoder_dims;
  o.lstm_dims = tensor_at(flat, "decoder.rnn_input.weight").size(0);
  o.n_mels = tensor_at(flat, "decoder.prenet.fc1.weight").size(1);
  o.postnet_dims = tensor_at(flat, "postnet.conv1d_bank.0.conv.weight").size(0);
  o.postnet_K = count_prefix(flat, "postnet.conv1d_bank.", ".conv.weight");
  o.fft_bins = tensor_at(flat, "post_proj.weight").size(0);
  o.r = tensor_at(flat, "decoder.r").item<int64_t>();
  o.stop_threshold = tensor_at(flat, "stop_threshold").item<double>();
  if (o.encoder_K < 1 || o.postnet_K < 1 || o.speaker_embedding_size < 0 || o.r < 1 ||
      o.r > DecoderImpl::kMaxR)
    throw UserError("Tacotron state dict has inconsistent shapes (" + o.to_string() + ")");
  return o;
}

// ---- building blocks -----------------------------------------------------------------------------

HighwayImpl::HighwayImpl(int64_t size) {
  W1 = register_module("W1", torch::nn::Linear(size, size));
  W2 = register_module("W2", torch::nn::Linear(size, size));
  torch::NoGradGuard ng;
  W1->bias.fill_(0.);
}

Tensor HighwayImpl::forward(const Tensor& x) {
  Tensor x1 = W1(x);
  Tensor x2 = W2(x);
  Tensor g = torch::sigmoid(x2);
  return g * torch::relu(x1) + (1. - g) * x;
}

BatchNormConvImpl::BatchNormConvImpl(int64_t in, int64_t out, int64_t kernel, bool relu_) : relu(relu_) {
  conv = register_module(
      "conv", torch::nn::Conv1d(torch::nn::Conv1dOptions(in, out, kernel).stride(1).padding(kernel / 2).bias(false)));
  bnorm = register_module("bnorm", torch::nn::BatchNorm1d(out));
}

Tensor BatchNormConvImpl::forward(const Tensor& x) {
  Tensor y = conv(x);
  if (relu) y = torch::relu(y);
  return bnorm(y);
}

CbhgImpl::CbhgImpl(int64_t K, int64_t in_channels, int64_t channels, int64_t proj0, int64_t proj1,
                   int64_t num_highways) {
  conv1d_bank = register_module("conv1d_bank", torch::nn::ModuleList());
  for (int64_t k = 1; k <= K; ++k) conv1d_bank->push_back(BatchNormConv(in_channels, channels, k));
  conv_project1 = register_module("conv_project1", BatchNormConv(K * channels, proj0, 3));
  conv_project2 = register_module("conv_project2", BatchNormConv(proj0, proj1, 3, false));
  if (proj1 != channels)
    pre_highway = register_module("pre_highway", torch::nn::Linear(torch::nn::LinearOptions(proj1, channels).bias(false)));
  highways = register_module("highways", torch::nn::ModuleList());
  for (int64_t i = 0; i < num_highways; ++i) highways->push_back(Highway(channels));
  rnn = register_module(
      "rnn", torch::nn::GRU(torch::nn::GRUOptions(channels, channels / 2).batch_first(true).bidirectional(true)));
}

Tensor CbhgImpl::forward(const Tensor& input) {
  const Tensor& residual = input;
  int64_t seq_len = input.size(-1);
  std::vector<Tensor> bank;
  for (auto& m : *conv1d_bank) bank.push_back(m->as<BatchNormConvImpl>()->forward(input).slice(2, 0, seq_len));
  Tensor x = torch::cat(bank, 1);
  x = torch::max_pool1d(x, 2, 1, 1).slice(2, 0, seq_len);
  x = conv_project1(x);
  x = conv_project2(x);
  x = x + residual;
  x = x.transpose(1, 2);
  if (pre_highway) x = pre_highway(x);
  for (auto& h : *highways) x = h->as<HighwayImpl>()->forward(x);
  return std::get<0>(rnn(x));
}

PreNetImpl::PreNetImpl(int64_t in, int64_t fc1_dims, int64_t fc2_dims, double dropout) : p(dropout) {
  fc1 = register_module("fc1", torch::nn::Linear(in, fc1_dims));
  fc2 = register_module("fc2", torch::nn::Linear(fc1_dims, fc2_dims));
}

Tensor PreNetImpl::forward(const Tensor& in) {
  Tensor x = torch::relu(fc1(in));
  x = torch::dropout(x, p, /*train=*/true);
  x = torch::relu(fc2(x));
  return torch::dropout(x, p, /*train=*/true);
}

EncoderImpl::EncoderImpl(const TacotronOptions& o) {
  embedding = register_module("embedding", torch::nn::Embedding(o.num_chars, o.embed_dims));
  pre_net = register_module("pre_net", PreNet(o.embed_dims, o.encoder_dims, o.encoder_dims, o.dropout));
  cbhg = register_module("cbhg",
                         Cbhg(o.encoder_K, o.encoder_dims, o.encoder_dims, o.encoder_dims, o.encoder_dims, o.num_highways));
}

Tensor EncoderImpl::forward(const Tensor& chars, const Tensor& speaker) {
  Tensor x = pre_net(embedding(chars)).transpose(1, 2);
  x = cbhg(x);
  if (!speaker.defined()) return x;
  Tensor e = speaker.dim() == 1 ? speaker.unsqueeze(0) : speaker;
  e = e.unsqueeze(1).expand({x.size(0), x.size(1), e.size(-1)});
  return torch::cat({x, e}, 2);
}

LsaImpl::LsaImpl(int64_t attn_dim, int64_t kernel_size, int64_t filters) {
  conv = register_module("conv", torch::nn::Conv1d(torch::nn::Conv1dOptions(1, filters, kernel_size)
                                                       .padding((kernel_size - 1) / 2)
                                                       .bias(true)));
  L = register_module("L", torch::nn::Linear(torch::nn::LinearOptions(filters, attn_dim).bias(false)));
  W = register_module("W", torch::nn::Linear(torch::nn::LinearOptions(attn_dim, attn_dim).bias(true)));
  v = register_module("v", torch::nn::Linear(torch::nn::LinearOptions(attn_dim, 1).bias(false)));
}

Tensor LsaImpl::forward(const Tensor& encoder_seq_proj, const Tensor& query, Tensor& cumulative,
                        const Tensor& char_mask) {
  Tensor processed_query = W(query).unsqueeze(1);
  Tensor processed_loc = L(conv(cumulative.unsqueeze(1)).transpose(1, 2));
  // The sum order matters for bit parity with RTVC: query + keys + location.
  Tensor u = v(torch::tanh(processed_query + encoder_seq_proj + processed_loc)).squeeze(-1);
  u = u * char_mask;
  Tensor scores = torch::softmax(u, 1);
  cumulative = cumulative + scores;
  return scores;
}

DecoderImpl::DecoderImpl(const TacotronOptions& o) : n_mels(o.n_mels) {
  r_buf = register_buffer("r", torch::tensor(int32_t(o.r), torch::kInt32));
  int64_t prenet_dims = o.decoder_dims * 2;
  prenet = register_module("prenet", PreNet(o.n_mels, prenet_dims, prenet_dims, o.dropout));
  attn_net = register_module("attn_net", Lsa(o.decoder_dims));
  attn_rnn = register_module(
      "attn_rnn", torch::nn::GRUCell(o.encoder_dims + prenet_dims + o.speaker_embedding_size, o.decoder_dims));
  rnn_input = register_module(
      "rnn_input", torch::nn::Linear(o.encoder_dims + o.decoder_dims + o.speaker_embedding_size, o.lstm_dims));
  res_rnn1 = register_module("res_rnn1", torch::nn::LSTMCell(o.lstm_dims, o.lstm_dims));
  res_rnn2 = register_module("res_rnn2", torch::nn::LSTMCell(o.lstm_dims, o.lstm_dims));
  mel_proj = register_module(
      "mel_proj", torch::nn::Linear(torch::nn::LinearOptions(o.lstm_dims, o.n_mels * kMaxR).bias(false)));
  stop_proj = register_module("stop_proj", torch::nn::Linear(o.encoder_dims + o.speaker_embedding_size + o.lstm_dims, 1));
}

Tensor DecoderImpl::zoneout(const Tensor& prev, const Tensor& current, double p) {
  Tensor mask = torch::zeros(prev.sizes(), prev.options()).bernoulli_(p);
  return prev * mask + current * (1 - mask);
}

namespace {

LstmWeights lstm_weights(const torch::nn::LSTMCellImpl& cell) {
  return {cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh};
}

}  // namespace

std::pair<Tensor, Tensor> DecoderImpl::lstm_step(torch::nn::LSTMCell& cell, FastLstmCell& fast, bool use_fast,
                                                 const Tensor& x, const Tensor& h, const Tensor& c) {
  if (!use_fast) {
    auto [h2, c2] = cell(x, std::make_tuple(h, c));
    return {h2, c2};
  }
  fast.prepare(lstm_weights(*cell));
  return fast.step(x, h, c);
}

std::tuple<Tensor, Tensor, Tensor> DecoderImpl::forward(const Tensor& encoder_seq, const Tensor& encoder_seq_proj,
                                                        const Tensor& prenet_in, DecoderState& s,
                                                        const Tensor& char_mask) {
  int64_t batch = encoder_seq.size(0);
  Tensor prenet_out = prenet(prenet_in);
  Tensor attn_rnn_in = torch::cat({s.context, prenet_out}, -1);
  s.attn_hidden = attn_rnn(attn_rnn_in, s.attn_hidden);
  Tensor scores = attn_net(encoder_seq_proj, s.attn_hidden, s.cumulative, char_mask);
  // (B, 1, N) laid out as RTVC's scores.unsqueeze(-1).transpose(1, 2), so matmul takes the same path.
  s.context = torch::matmul(scores.unsqueeze(-1).transpose(1, 2), encoder_seq).squeeze(1);
  Tensor x = rnn_input(torch::cat({s.context, s.attn_hidden}, 1));

  const bool use_fast = fast_inference && !is_training() && !torch::GradMode::is_enabled() &&
                        fast_lstm_supports(lstm_weights(*res_rnn1)) && fast_lstm_supports(lstm_weights(*res_rnn2));
  auto [h1, c1] = lstm_step(res_rnn1, fast_rnn1, use_fast, x, s.rnn1_hidden, s.rnn1_cell);
  s.rnn1_hidden = is_training() ? zoneout(s.rnn1_hidden, h1) : h1;
  s.rnn1_cell = c1;
  x = x + s.rnn1_hidden;
  auto [h2, c2] = lstm_step(res_rnn2, fast_rnn2, use_fast, x, s.rnn2_hidden, s.rnn2_cell);
  s.rnn2_hidden = is_training() ? zoneout(s.rnn2_hidden, h2) : h2;
  s.rnn2_cell = c2;
  x = x + s.rnn2_hidden;

  Tensor mels;
  const int64_t r = this->r();  // one read of the r buffer per step
  if (use_fast) {
    // Only r of the kMaxR frames per band are kept, so only their rows are multiplied (RTVC computes all).
    const Tensor& w = mel_proj->weight;
    if (!mel_proj_r.defined() || mel_proj_r_key != w.data_ptr() || mel_proj_r_version != w._version() ||
        mel_proj_r.size(0) != n_mels * r) {
      mel_proj_r = w.view({n_mels, kMaxR, w.size(1)}).slice(1, 0, r).reshape({n_mels * r, w.size(1)}).contiguous();
      mel_proj_r_key = w.data_ptr();
      mel_proj_r_version = w._version();
    }
    mels = torch::nn::functional::linear(x, mel_proj_r).view({batch, n_mels, r});
  } else {
    mels = mel_proj(x).view({batch, n_mels, kMaxR}).slice(2, 0, r);
  }
  Tensor stop = torch::sigmoid(stop_proj(torch::cat({x, s.context}, 1)));
  return {mels, scores, stop};
}

// ---- the model ------------------------------------------------------------------------------------

TacotronImpl::TacotronImpl(const TacotronOptions& o) : opt(o) {
  encoder = register_module("encoder", Encoder(o));
  encoder_proj = register_module(
      "encoder_proj",
      torch::nn::Linear(torch::nn::LinearOptions(o.encoder_dims + o.speaker_embedding_size, o.decoder_dims).bias(false)));
  decoder = register_module("decoder", Decoder(o));
  postnet = register_module("postnet", Cbhg(o.postnet_K, o.n_mels, o.postnet_dims, o.postnet_dims, o.fft_bins, o.num_highways));
  post_proj = register_module("post_proj",
                              torch::nn::Linear(torch::nn::LinearOptions(o.postnet_dims, o.fft_bins).bias(false)));
  {
    torch::NoGradGuard ng;
    for (auto& p : parameters())
      if (p.dim() > 1) torch::nn::init::xavier_uniform_(p);
  }
  step_buf = register_buffer("step", torch::zeros({1}, torch::kLong));
  stop_threshold_buf = register_buffer("stop_threshold", torch::tensor(float(o.stop_threshold)));
}

void TacotronImpl::set_r(int64_t r) {
  if (r < 1 || r > DecoderImpl::kMaxR) throw UserError("tacotron: r must be in [1, 20], got " + std::to_string(r));
  decoder->r_buf.fill_(int32_t(r));
  opt.r = r;
}

void TacotronImpl::set_prenet_dropout(double p) {
  encoder->pre_net->p = p;
  decoder->prenet->p = p;
}

DecoderState TacotronImpl::initial_state(int64_t b, int64_t n, const torch::TensorOptions& to) const {
  DecoderState s;
  s.attn_hidden = torch::zeros({b, opt.decoder_dims}, to);
  s.rnn1_hidden = torch::zeros({b, opt.lstm_dims}, to);
  s.rnn2_hidden = torch::zeros({b, opt.lstm_dims}, to);
  s.rnn1_cell = torch::zeros({b, opt.lstm_dims}, to);
  s.rnn2_cell = torch::zeros({b, opt.lstm_dims}, to);
  s.context = torch::zeros({b, opt.encoder_dims + opt.speaker_embedding_size}, to);
  s.cumulative = torch::zeros({b, n}, to);
  return s;
}

TacotronOutput TacotronImpl::forward(const Tensor& chars, const Tensor& mels, const Tensor& speaker) {
  {
    torch::NoGradGuard ng;
    step_buf.add_(1);
  }
  auto to = encoder_proj->weight.options();
  int64_t batch = mels.size(0), steps = mels.size(2), r = decoder->r();
  TacotronOutput out;
  DecoderState s = initial_state(batch, chars.size(1), to);
  Tensor go = torch::zeros({batch, opt.n_mels}, to);
  Tensor mask = (chars != 0).to(torch::kFloat);
  out.encoder_out = encoder(chars, speaker);
  out.encoder_proj = encoder_proj(out.encoder_out);
  std::vector<Tensor> mel_out, attn, stops;
  for (int64_t t = 0; t < steps; t += r) {
    Tensor prenet_in = t > 0 ? mels.select(2, t - 1) : go;
    auto [m, scores, stop] = decoder(out.encoder_out, out.encoder_proj, prenet_in, s, mask);
    mel_out.push_back(m);
    attn.push_back(scores.unsqueeze(1));
    for (int64_t i = 0; i < r; ++i) stops.push_back(stop);
  }
  out.mel_outputs = torch::cat(mel_out, 2);
  out.postnet_outputs = post_proj(postnet(out.mel_outputs)).transpose(1, 2);
  out.attention = torch::cat(attn, 1);
  out.stop_tokens = torch::cat(stops, 1);
  return out;
}

TacotronOutput TacotronImpl::generate(const Tensor& chars, const Tensor& speaker, int64_t steps, bool allow_stop) {
  bool was_training = is_training();
  eval();
  auto to = encoder_proj->weight.options();
  int64_t batch = chars.size(0), r = decoder->r();
  TacotronOutput out;
  DecoderState s = initial_state(batch, chars.size(1), to);
  Tensor mask = (chars != 0).to(torch::kFloat);
  out.encoder_out = encoder(chars, speaker);
  out.encoder_proj = encoder_proj(out.encoder_out);
  std::vector<Tensor> mel_out, attn, stops;
  Tensor prenet_in = torch::zeros({batch, opt.n_mels}, to);
  for (int64_t t = 0; t < steps; t += r) {
    if (t > 0) prenet_in = mel_out.back().select(2, mel_out.back().size(2) - 1);
    auto [m, scores, stop] = decoder(out.encoder_out, out.encoder_proj, prenet_in, s, mask);
    mel_out.push_back(m);
    attn.push_back(scores.unsqueeze(1));
    stops.push_back(stop.unsqueeze(0));
    if (allow_stop && t > 10 && (stop > 0.5).all().item<bool>()) {
      out.stopped_early = true;
      break;
    }
  }
  out.mel_outputs = torch::cat(mel_out, 2);
  out.postnet_outputs = post_proj(postnet(out.mel_outputs)).transpose(1, 2);
  out.attention = torch::cat(attn, 1);
  out.stop_tokens = torch::cat(stops, 0);
  train(was_training);
  return out;
}

namespace {

// PyTorch's state_dict order: a module's own parameters, its own buffers, then each child in turn.
void collect_state(const torch::nn::Module& m, const std::string& prefix, ckpt::Value& sd) {
  for (const auto& p : m.named_parameters(false)) sd.set(prefix + p.key(), p.value().detach());
  for (const auto& b : m.named_buffers(false)) sd.set(prefix + b.key(), b.value().detach());
  for (const auto& c : m.named_children()) collect_state(*c.value(), prefix + c.key() + ".", sd);
}

}  // namespace

ckpt::Value TacotronImpl::state_dict_value() const {
  ckpt::Value sd = ckpt::Value::dict(true);
  collect_state(*this, "", sd);
  return sd;
}

TacotronLosses tacotron_losses(const TacotronOutput& out, const Tensor& mels, const Tensor& stop_t,
                               const Tensor& lengths) {
  TacotronLosses l;
  if (!lengths.defined()) {
    l.m1 = torch::mse_loss(out.mel_outputs, mels) + torch::l1_loss(out.mel_outputs, mels);
    l.m2 = torch::mse_loss(out.postnet_outputs, mels);
  } else {
    // Mask (B, 1, T): 1 on real frames; mean over real frames × mel bins.
    Tensor frame = torch::arange(mels.size(2), lengths.options()).unsqueeze(0);
    Tensor mask = (frame < lengths.unsqueeze(1)).to(mels.scalar_type()).unsqueeze(1);
    Tensor denom = mask.sum() * mels.size(1);
    Tensor d1 = (out.mel_outputs - mels) * mask, d2 = (out.postnet_outputs - mels) * mask;
    l.m1 = d1.pow(2).sum() / denom + d1.abs().sum() / denom;
    l.m2 = d2.pow(2).sum() / denom;
  }
  l.stop = torch::binary_cross_entropy(out.stop_tokens, stop_t);
  l.total = l.m1 + l.m2 + l.stop;
  return l;
}

Tensor guided_attention_loss(const Tensor& attention, const Tensor& chars, const Tensor& steps, double sigma) {
  auto fo = attention.options();
  const int64_t B = attention.size(0), S = attention.size(1), N = attention.size(2);
  Tensor n = torch::arange(N, fo).view({1, 1, N}), t = torch::arange(S, fo).view({1, S, 1});
  Tensor nl = chars.to(fo).view({B, 1, 1}).clamp_min(1), tl = steps.to(fo).view({B, 1, 1}).clamp_min(1);
  Tensor w = 1.0 - torch::exp(-(n / nl - t / tl).pow(2) / (2.0 * sigma * sigma));
  w = torch::where(n < nl, w, torch::ones_like(w));  // attention on padding characters is never right
  Tensor step_mask = (t < tl).to(attention.scalar_type());
  return (attention * w * step_mask).sum() / step_mask.expand({B, S, 1}).sum().clamp_min(1.0);
}

Tensor stop_targets(const std::vector<int64_t>& lengths, int64_t frames) {
  Tensor s = torch::ones({int64_t(lengths.size()), frames});
  for (size_t j = 0; j < lengths.size(); ++j)
    if (lengths[j] - 1 > 0) s[int64_t(j)].slice(0, 0, std::min(frames, lengths[j] - 1)).fill_(0);
  return s;
}

}  // namespace voxclone::tacotron

namespace voxclone::tacotron {

std::shared_ptr<TacotronImpl> load_tacotron(const std::string& path, const TacotronOptions& base, ckpt::Value* root_out) {
  ckpt::Value root = ckpt::load(path);
  const ckpt::Value* state = root.find("model_state");
  if (!state) state = &root;
  if (!state->is_dict()) throw UserError(path + ": not a Tacotron checkpoint (no model_state dict)");
  TacotronOptions o;
  try {
    o = infer_options(*state, base);
  } catch (const UserError& e) {
    throw UserError(path + ": " + e.what());
  }
  auto model = std::make_shared<TacotronImpl>(o);
  try {
    ckpt::load_into_module(*model, *state);
  } catch (const UserError& e) {
    throw UserError(path + ": " + e.what());
  }
  if (root_out) *root_out = root;
  return model;
}

}  // namespace voxclone::tacotron
