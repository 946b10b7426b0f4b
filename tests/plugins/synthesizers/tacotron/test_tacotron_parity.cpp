// Tacotron against RTVC's and MockingBird's references: checkpoint loading, teacher forcing, generate(), stop rule.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

#include "fixtures.h"
#include "tacotron_model.h"
#include "voxclone/runtime.h"

using namespace voxclone;
using namespace voxclone::tacotron;

namespace {

std::shared_ptr<TacotronImpl> load_for_parity(const std::string& path) {
  auto m = load_tacotron(path, TacotronOptions{});
  m->set_prenet_dropout(0.0);  // the references were made with PreNet.p = 0
  m->eval();
  return m;
}

#define CHECK_CLOSE(a, b, tol)                                   \
  do {                                                           \
    REQUIRE((a).sizes() == (b).sizes());                         \
    double d_ = vctest::max_abs_diff((a), (b));                  \
    INFO(#a << " vs " << #b << ": max abs diff " << d_);         \
    CHECK(d_ <= (tol));                                          \
  } while (0)

}  // namespace

TEST_CASE("RTVC small checkpoint: hyper-parameters inferred from shapes equal the constructor arguments") {
  std::string ckpt = vctest::fixture_or_skip("rtvc/synthesizer/tacotron_small.pt");
  std::ifstream in(vctest::fixture_or_skip("rtvc/synthesizer/tacotron_config.json"));
  auto j = nlohmann::json::parse(in);
  auto m = load_tacotron(ckpt, TacotronOptions{});
  const auto& c = j["constructor"];
  CHECK(m->opt.embed_dims == c["embed_dims"].get<int64_t>());
  CHECK(m->opt.encoder_dims == c["encoder_dims"].get<int64_t>());
  CHECK(m->opt.decoder_dims == c["decoder_dims"].get<int64_t>());
  CHECK(m->opt.postnet_dims == c["postnet_dims"].get<int64_t>());
  CHECK(m->opt.encoder_K == c["encoder_K"].get<int64_t>());
  CHECK(m->opt.postnet_K == c["postnet_K"].get<int64_t>());
  CHECK(m->opt.lstm_dims == c["lstm_dims"].get<int64_t>());
  CHECK(m->opt.num_highways == c["num_highways"].get<int64_t>());
  CHECK(m->opt.num_chars == c["num_chars"].get<int64_t>());
  CHECK(m->opt.n_mels == c["n_mels"].get<int64_t>());
  CHECK(m->opt.fft_bins == c["fft_bins"].get<int64_t>());
  CHECK(m->opt.speaker_embedding_size == c["speaker_embedding_size"].get<int64_t>());
  CHECK(m->opt.stop_threshold == Approx(c["stop_threshold"].get<double>()));
  CHECK(m->r() == j["r"].get<int64_t>());
  CHECK(m->step() == j["step_buffer_in_checkpoint"].get<int64_t>());
}

TEST_CASE("full-size default model has RTVC's state dict: every key, shape and dtype, in order") {
  std::ifstream in(vctest::fixture_or_skip("rtvc/synthesizer/shape_manifest_tacotron_full.json"));
  auto j = nlohmann::json::parse(in);
  TacotronImpl m(TacotronOptions{});
  auto flat = ckpt::flatten_state_dict(m.state_dict_value());
  REQUIRE(flat.size() == j["state_dict"].size());
  int64_t trainable = 0;
  for (const auto& p : m.parameters()) trainable += p.numel();
  CHECK(trainable == j["n_trainable_params"].get<int64_t>());
  for (size_t i = 0; i < flat.size(); ++i) {
    const auto& e = j["state_dict"][i];
    INFO("entry " << i << ": " << e["key"].get<std::string>());
    CHECK(flat[i].first == e["key"].get<std::string>());
    CHECK(flat[i].second.sizes().vec() == e["shape"].get<std::vector<int64_t>>());
    std::string dt = e["dtype"];
    auto want = dt == "float32" ? torch::kFloat : dt == "int64" ? torch::kLong : torch::kInt;
    CHECK(flat[i].second.scalar_type() == want);
  }
}

TEST_CASE("RTVC teacher-forced forward matches tf.* references") {
  auto m = load_for_parity(vctest::fixture_or_skip("rtvc/synthesizer/tacotron_small.pt"));
  auto io = vctest::load_pt_dict(vctest::fixture_or_skip("rtvc/synthesizer/tacotron_io.pt"));
  torch::NoGradGuard ng;
  int64_t step_before = m->step();
  TacotronOutput out = m->forward(io.at("tf.chars"), io.at("tf.mels"), io.at("tf.embeds"));
  CHECK(m->step() == step_before + 1);  // forward() counts steps, as RTVC's does
  CHECK_CLOSE(out.encoder_out, io.at("tf.encoder_out"), 1e-5);
  CHECK_CLOSE(out.encoder_proj, io.at("tf.encoder_proj"), 1e-5);
  CHECK_CLOSE(out.mel_outputs, io.at("tf.mel_outputs"), 1e-5);
  CHECK_CLOSE(out.postnet_outputs, io.at("tf.postnet_outputs"), 1e-5);
  CHECK_CLOSE(out.attention, io.at("tf.attention"), 1e-6);
  CHECK_CLOSE(out.stop_tokens, io.at("tf.stop_tokens"), 1e-5);

  // Stop targets from the real lengths (README: 40 and 27 frames) and RTVC's unmasked losses.
  auto targets = stop_targets({40, 27}, io.at("tf.mels").size(2));
  CHECK(vctest::max_abs_diff(targets, io.at("tf.stop_targets")) == 0.0);
  TacotronLosses l = tacotron_losses(out, io.at("tf.mels"), io.at("tf.stop_targets"));
  CHECK_CLOSE(l.m1, io.at("tf.loss_m1"), 1e-5);
  CHECK_CLOSE(l.m2, io.at("tf.loss_m2"), 1e-5);
  CHECK_CLOSE(l.stop, io.at("tf.loss_stop"), 1e-5);
}

TEST_CASE("RTVC generate() matches gen.* and the stop rule matches stop.*") {
  std::string path = vctest::fixture_or_skip("rtvc/synthesizer/tacotron_small.pt");
  auto io = vctest::load_pt_dict(vctest::fixture_or_skip("rtvc/synthesizer/tacotron_io.pt"));
  auto m = load_for_parity(path);
  torch::NoGradGuard ng;
  // Both decoder paths: LibTorch's LSTMCell and the packed FastLstmCell that generation uses by default.
  const bool fast = GENERATE(true, false);
  INFO("fast_inference " << fast);
  m->decoder->fast_inference = fast;
  TacotronOutput g = m->generate(io.at("gen.chars"), io.at("gen.embeds"), 40);
  CHECK_FALSE(g.stopped_early);
  CHECK_CLOSE(g.mel_outputs, io.at("gen.mel_outputs"), 1e-5);
  CHECK_CLOSE(g.postnet_outputs, io.at("gen.postnet_outputs"), 1e-5);
  CHECK_CLOSE(g.attention, io.at("gen.attention"), 1e-6);
  CHECK_CLOSE(g.stop_tokens, io.at("gen.stop_tokens"), 1e-5);

  m->decoder->stop_proj->bias.fill_(20.0);
  TacotronOutput s = m->generate(io.at("gen.chars"), io.at("gen.embeds"), 200);
  CHECK(s.stopped_early);
  CHECK_CLOSE(s.mel_outputs, io.at("stop.mel_outputs"), 1e-5);
  CHECK_CLOSE(s.postnet_outputs, io.at("stop.postnet_outputs"), 1e-5);
}

TEST_CASE("MockingBird checkpoint loads (real format and plain state dict) with the same tensors") {
  std::string real = vctest::fixture_or_skip("mockingbird/synthesizer/tacotron_small_step2.pt");
  std::string plain = vctest::fixture_or_skip("mockingbird/synthesizer/tacotron_small_step2_model_state_plain.pt");
  auto a = load_tacotron(real, TacotronOptions{});
  auto b = load_tacotron(plain, TacotronOptions{});
  std::ifstream in(vctest::fixture_or_skip("mockingbird/synthesizer/hparams_small.json"));
  auto hp = nlohmann::json::parse(in);
  CHECK(a->opt.embed_dims == hp["tts_embed_dims"].get<int64_t>());
  CHECK(a->opt.lstm_dims == hp["tts_lstm_dims"].get<int64_t>());
  CHECK(a->opt.postnet_dims == hp["tts_postnet_dims"].get<int64_t>());
  std::ifstream sin(vctest::fixture_or_skip("mockingbird/synthesizer/symbols.json"));
  auto symbols = nlohmann::json::parse(sin);
  CHECK(a->opt.num_chars == symbols["num_symbols"].get<int64_t>());
  CHECK(a->step() == 2);
  auto pa = a->named_parameters(), pb = b->named_parameters();
  REQUIRE(pa.size() == pb.size());
  for (const auto& item : pa) CHECK(torch::equal(item.value(), pb[item.key()]));
}

TEST_CASE("MockingBird teacher forcing and generate() match tacotron_io.pt") {
  auto m = load_for_parity(vctest::fixture_or_skip("mockingbird/synthesizer/tacotron_small_step2_model_state_plain.pt"));
  auto io = vctest::load_pt_dict(vctest::fixture_or_skip("mockingbird/synthesizer/tacotron_io.pt"));
  torch::NoGradGuard ng;
  TacotronOutput tf = m->forward(io.at("texts"), io.at("mels"), io.at("embeds"));
  CHECK_CLOSE(tf.encoder_out, io.at("tf_act_encoder_out"), 1e-4);
  CHECK_CLOSE(tf.encoder_proj, io.at("tf_act_encoder_proj_out"), 1e-4);
  CHECK_CLOSE(tf.mel_outputs, io.at("tf_mel_outputs"), 1e-4);
  CHECK_CLOSE(tf.postnet_outputs, io.at("tf_linear"), 1e-4);
  CHECK_CLOSE(tf.attention, io.at("tf_attention"), 1e-5);
  CHECK_CLOSE(tf.stop_tokens, io.at("tf_stop"), 1e-5);

  TacotronOutput g = m->generate(io.at("texts"), io.at("embeds"), 40);
  CHECK_CLOSE(g.mel_outputs, io.at("gen_mel_outputs"), 1e-3);
  CHECK_CLOSE(g.postnet_outputs, io.at("gen_linear"), 1e-3);
  CHECK_CLOSE(g.attention, io.at("gen_attention"), 1e-3);
  // gen_stop_per_iteration is [B, iterations]; ours is [iterations, B, 1].
  CHECK_CLOSE(g.stop_tokens.squeeze(-1).t(), io.at("gen_stop_per_iteration"), 1e-3);
}

TEST_CASE("synthesizer:tacotron with text:mandarin reproduces MockingBird's synthesize_spectrograms") {
  std::string ckpt = vctest::fixture_or_skip("mockingbird/synthesizer/tacotron_small_step2_model_state_plain.pt");
  auto io = vctest::load_pt_dict(vctest::fixture_or_skip("mockingbird/synthesizer/tacotron_io.pt"));
  auto& rt = Runtime::instance();
  rt.load_plugins({vctest::plugin_dir()});
  auto syn = rt.create<Synthesizer>("tacotron", ckpt, {{"text", "mandarin"}, {"tts_inference_prenet_dropout", 0.0}});
  SynthesisOptions opt;
  auto res = syn->synthesize({"你好，世界！"}, io.at("synthesize_embed"), opt);
  REQUIRE(res.size() == 1);
  CHECK_CLOSE(res[0].mel.data, io.at("synthesize_spectrogram"), 1e-3);
  CHECK(res[0].alignment.size(1) == io.at("synthesize_chars").size(1));
}

TEST_CASE("MockingBird train-mode forward (dropout, zoneout, batch statistics) reproduces the seeded reference") {
  // Same RNG-consuming ops in the same order as RTVC's code: encoder pre-net dropout ×2, then per decoder
  // step pre-net dropout ×2, zoneout rnn1, zoneout rnn2.
  auto m = load_tacotron(vctest::fixture_or_skip("mockingbird/synthesizer/tacotron_small_step2_model_state_plain.pt"),
                         TacotronOptions{});
  auto io = vctest::load_pt_dict(vctest::fixture_or_skip("mockingbird/synthesizer/tacotron_io.pt"));
  m->train();
  torch::manual_seed(1234);
  TacotronOutput out = m->forward(io.at("texts"), io.at("mels"), io.at("embeds"));
  CHECK_CLOSE(out.mel_outputs, io.at("trainmode_seeded_mel_outputs"), 1e-4);
  CHECK_CLOSE(out.postnet_outputs, io.at("trainmode_seeded_linear"), 1e-4);
  CHECK_CLOSE(out.attention, io.at("trainmode_seeded_attention"), 1e-5);
  CHECK_CLOSE(out.stop_tokens, io.at("trainmode_seeded_stop"), 1e-5);
  TacotronLosses l = tacotron_losses(out, io.at("mels"), io.at("trainmode_stop_target"));
  CHECK_CLOSE(l.m1.reshape({1}), io.at("trainmode_m1_loss"), 1e-4);
  CHECK_CLOSE(l.m2.reshape({1}), io.at("trainmode_m2_loss"), 1e-4);
  CHECK_CLOSE(l.stop.reshape({1}), io.at("trainmode_stop_loss"), 1e-5);
}
