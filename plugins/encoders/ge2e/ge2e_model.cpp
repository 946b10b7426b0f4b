// The GE2E speaker encoder network, loss and embedding inference (RTVC encoder/model.py, inference.py).
#include "ge2e_model.h"

#include <torch/nn/functional/loss.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "eer.h"
#include "voxclone/checkpoint.h"
#include "voxclone/dsp.h"
#include "voxclone/error.h"

namespace voxclone::ge2e {

SpeakerEncoderNetImpl::SpeakerEncoderNetImpl(const ModelOptions& o) : options_(o) {
  lstm = register_module(
      "lstm",
      torch::nn::LSTM(
          torch::nn::LSTMOptions(o.mel_channels, o.hidden_size)
              .num_layers(o.num_layers)
              .batch_first(true)
              .dropout(o.num_layers > 1 ? o.dropout : 0.0)));
  linear = register_module("linear", torch::nn::Linear(o.hidden_size, o.embedding_size));
  // RTVC's fixed initial values of the cosine similarity scale and bias.
  similarity_weight = register_parameter("similarity_weight", torch::tensor({10.0f}));
  similarity_bias = register_parameter("similarity_bias", torch::tensor({-5.0f}));
  if (o.log_mel_input) log_mel_input = register_buffer("log_mel_input", torch::tensor({1e-6f, 9.0f, 3.5f}));
}

torch::Tensor SpeakerEncoderNetImpl::forward(const torch::Tensor& power_mels) {
  torch::Tensor mels = power_mels;
  if (log_mel_input.defined())
    mels = (torch::log(power_mels + log_mel_input[0]) + log_mel_input[1]) / log_mel_input[2];
  torch::Tensor last;  // the last layer's final hidden state [batch, hidden]
  if (fast_inference && !is_training() && !torch::GradMode::is_enabled() && mels.size(1) > 0) {
    std::vector<LstmWeights> layers;
    auto p = lstm->named_parameters();
    for (int64_t l = 0; l < options_.num_layers; ++l) {
      const std::string n = std::to_string(l);
      layers.push_back({p["weight_ih_l" + n], p["weight_hh_l" + n], p["bias_ih_l" + n], p["bias_hh_l" + n]});
    }
    if (std::all_of(layers.begin(), layers.end(), fast_lstm_supports)) {
      fast_lstm_.prepare(layers);
      last = fast_lstm_.last_hidden(mels);
    }
  }
  if (!last.defined()) last = std::get<0>(std::get<1>(lstm->forward(mels)))[-1];
  if (options_.dropout > 0) last = torch::dropout(last, options_.dropout, is_training());
  torch::Tensor raw = torch::relu(linear->forward(last));
  return raw / (torch::norm(raw, 2, {1}, true) + 1e-5);
}

torch::Tensor SpeakerEncoderNetImpl::similarity_matrix(const torch::Tensor& embeds) {
  const int64_t speakers = embeds.size(0), utterances = embeds.size(1);
  if (utterances < 2) throw UserError("GE2E needs at least 2 utterances per speaker");
  torch::Tensor incl = torch::mean(embeds, {1}, true);
  incl = incl / (torch::norm(incl, 2, {2}, true) + 1e-5);  // [S, 1, D]
  torch::Tensor excl = (torch::sum(embeds, {1}, true) - embeds) / double(utterances - 1);
  excl = excl / (torch::norm(excl, 2, {2}, true) + 1e-5);  // [S, U, D]

  // Cosine similarity of normalised vectors = element-wise product summed over the last dimension
  // (the same reduction RTVC issues, so results agree to the last bits).
  torch::Tensor to_centroids =
      (embeds.unsqueeze(2) * incl.squeeze(1).unsqueeze(0).unsqueeze(0)).sum(3);                 // [S,U,S]
  torch::Tensor to_own = (embeds * excl).sum(2);                                                // [S,U]
  torch::Tensor eye = torch::eye(speakers, embeds.options().dtype(torch::kBool)).unsqueeze(1);  // [S,1,S]
  torch::Tensor own = to_own.unsqueeze(2).expand({speakers, utterances, speakers});
  torch::Tensor sim = torch::where(eye, own, to_centroids);
  return sim * similarity_weight + similarity_bias;
}

std::pair<torch::Tensor, double> SpeakerEncoderNetImpl::loss(const torch::Tensor& embeds) {
  const int64_t speakers = embeds.size(0), utterances = embeds.size(1);
  torch::Tensor sim = similarity_matrix(embeds).reshape({speakers * utterances, speakers});
  torch::Tensor target = torch::arange(speakers, torch::kLong).repeat_interleave(utterances);
  torch::Tensor loss = torch::nn::functional::cross_entropy(sim, target);

  torch::Tensor scores = sim.detach().to(torch::kFloat).contiguous().cpu();
  std::vector<float> flat(scores.data_ptr<float>(), scores.data_ptr<float>() + scores.numel());
  std::vector<bool> labels(flat.size());
  for (int64_t row = 0; row < speakers * utterances; ++row)
    labels[size_t(row * speakers + row / utterances)] = true;
  return {loss, equal_error_rate(labels, flat)};
}

double SpeakerEncoderNetImpl::gradient_ops(double max_norm) {
  torch::NoGradGuard no_grad;
  if (similarity_weight.grad().defined()) similarity_weight.mutable_grad().mul_(0.01);
  if (similarity_bias.grad().defined()) similarity_bias.mutable_grad().mul_(0.01);
  return torch::nn::utils::clip_grad_norm_(parameters(), max_norm, 2.0);
}

ModelOptions infer_options(const std::vector<std::pair<std::string, torch::Tensor>>& state) {
  ModelOptions o;
  auto find = [&](const std::string& name) -> const torch::Tensor* {
    for (const auto& [k, v] : state)
      if (k == name) return &v;
    return nullptr;
  };
  const torch::Tensor* ih0 = find("lstm.weight_ih_l0");
  const torch::Tensor* lin = find("linear.weight");
  if (ih0 == nullptr || lin == nullptr || ih0->dim() != 2 || lin->dim() != 2 || ih0->size(0) % 4 != 0)
    throw UserError("not a GE2E speaker encoder state dict (no lstm.weight_ih_l0 / linear.weight)");
  o.hidden_size = ih0->size(0) / 4;
  o.mel_channels = ih0->size(1);
  o.embedding_size = lin->size(0);
  o.num_layers = 0;
  while (find("lstm.weight_ih_l" + std::to_string(o.num_layers)) != nullptr) ++o.num_layers;
  o.log_mel_input = find("log_mel_input") != nullptr;
  return o;
}

namespace {

// The model_state of an RTVC checkpoint, or the root when it is a bare state dict.
const ckpt::Value& state_of(const ckpt::Value& root, const std::string& path) {
  const ckpt::Value* state = root.find("model_state");
  if (state == nullptr) {
    if (root.find("lstm.weight_ih_l0") == nullptr)
      throw UserError(
          path + ": not an RTVC encoder checkpoint (expected 'model_state' or a SpeakerEncoder state dict)");
    state = &root;
  }
  return *state;
}

int64_t step_of(const ckpt::Value& root) {
  const ckpt::Value* step = root.find("step");
  return step != nullptr && step->kind() == ckpt::Value::Kind::Int ? step->as_int() : 0;
}

void load_state(SpeakerEncoderNetImpl& net, const ckpt::Value& state, const std::string& path) {
  try {
    ckpt::load_into_module(net, state);
  } catch (const UserError& e) {
    throw UserError(path + ": " + e.what());
  }
  if (net.log_mel_input.defined()) {
    const torch::Tensor c = net.log_mel_input.to(torch::kDouble);
    const double epsilon = c[0].item<double>(), shift = c[1].item<double>(), scale = c[2].item<double>();
    if (!(epsilon > 0 && std::isfinite(epsilon) && std::isfinite(shift) && scale > 0 && std::isfinite(scale)))
      throw UserError(path + ": log_mel_input needs [epsilon > 0, finite shift, scale > 0]");
  }
}

}  // namespace

SpeakerEncoderNet open_checkpoint(const std::string& path, int64_t* step) {
  ckpt::Value root = ckpt::load(path);
  const ckpt::Value& state = state_of(root, path);
  ModelOptions o;
  try {
    o = infer_options(ckpt::flatten_state_dict(state));
  } catch (const UserError& e) {
    throw UserError(path + ": " + e.what());
  }
  SpeakerEncoderNet net(o);
  load_state(*net, state, path);
  if (step != nullptr) *step = step_of(root);
  return net;
}

int64_t load_checkpoint(SpeakerEncoderNetImpl& net, const std::string& path) {
  ckpt::Value root = ckpt::load(path);
  load_state(net, state_of(root, path), path);
  return step_of(root);
}

namespace {

// Partials of one utterance's mel as a [n, frames, channels] batch.
torch::Tensor cut_partials(const torch::Tensor& mel, const std::vector<Range>& slices) {
  std::vector<torch::Tensor> parts;
  parts.reserve(slices.size());
  for (const Range& r : slices) parts.push_back(mel.slice(0, r.start, r.stop));
  return torch::stack(parts);
}

torch::Tensor forward_chunks(SpeakerEncoderNetImpl& net, const torch::Tensor& batch, int64_t max_batch) {
  std::vector<torch::Tensor> outs;
  for (int64_t i = 0; i < batch.size(0); i += max_batch)
    outs.push_back(net.forward(
        batch.slice(0, i, std::min(batch.size(0), i + max_batch)).to(net.similarity_weight.device())));
  return outs.size() == 1 ? outs[0] : torch::cat(outs);
}

torch::Tensor normalised_mean(const torch::Tensor& rows) {
  torch::Tensor m = rows.mean(0);
  return m / m.norm(2);
}

}  // namespace

Embedding embed_utterance(SpeakerEncoderNetImpl& net, const std::vector<float>& wav, bool using_partials,
                          const PartialOptions& partials) {
  torch::NoGradGuard no_grad;
  Embedding e;
  if (!using_partials) {
    torch::Tensor mel = encoder_mel(wav, partials.sample_rate, int(net.options().mel_channels));
    e.embed = net.forward(mel.unsqueeze(0).to(net.similarity_weight.device()))[0].cpu();
    return e;
  }
  auto all = embed_utterances(net, {wav}, partials);
  return all[0];
}

std::vector<Embedding> embed_utterances(SpeakerEncoderNetImpl& net,
                                        const std::vector<std::vector<float>>& wavs,
                                        const PartialOptions& partials, int64_t max_batch) {
  torch::NoGradGuard no_grad;
  std::vector<Embedding> out(wavs.size());
  std::vector<torch::Tensor> batches;
  for (size_t i = 0; i < wavs.size(); ++i) {
    PartialSlices s = compute_partial_slices(int64_t(wavs[i].size()), partials);
    std::vector<float> padded = wavs[i];
    if (s.wav.back().stop >= int64_t(padded.size())) padded.resize(size_t(s.wav.back().stop), 0.0f);
    torch::Tensor mel = encoder_mel(padded, partials.sample_rate, int(net.options().mel_channels));
    batches.push_back(cut_partials(mel, s.mel));
    out[i].wave_slices = s.wav;
  }
  torch::Tensor embeds = forward_chunks(net, torch::cat(batches), std::max<int64_t>(1, max_batch)).cpu();
  int64_t at = 0;
  for (size_t i = 0; i < wavs.size(); ++i) {
    int64_t n = batches[i].size(0);
    out[i].partial_embeds = embeds.slice(0, at, at + n);
    out[i].embed = normalised_mean(out[i].partial_embeds);
    at += n;
  }
  return out;
}

torch::Tensor embed_frames(SpeakerEncoderNetImpl& net, const torch::Tensor& frames,
                           const PartialOptions& partials) {
  torch::NoGradGuard no_grad;
  const int64_t spf = int64_t(partials.sample_rate) * partials.step_ms / 1000;
  // A waveform of (F - 1) * spf samples has exactly F centred frames.
  PartialSlices s = compute_partial_slices(std::max<int64_t>(0, frames.size(0) - 1) * spf, partials);
  torch::Tensor mel = frames.to(torch::kFloat);
  if (s.mel.back().stop > mel.size(0))
    mel = torch::cat({mel, torch::zeros({s.mel.back().stop - mel.size(0), mel.size(1)})});
  return normalised_mean(net.forward(cut_partials(mel, s.mel).to(net.similarity_weight.device())).cpu());
}

torch::Tensor speaker_embedding(const torch::Tensor& utterance_embeds) {
  return normalised_mean(utterance_embeds.reshape({-1, utterance_embeds.size(-1)}));
}

}  // namespace voxclone::ge2e
