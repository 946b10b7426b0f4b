// GE2E network parity with RTVC: checkpoint loading (zip and legacy), forward, similarity matrix, loss,
// embed_utterance with and without partials.
#include <torch/torch.h>

#include <catch2/catch.hpp>

#include "fixtures.h"
#include "ge2e_model.h"
#include "voxclone/audio.h"

using namespace voxclone::ge2e;

TEST_CASE("RTVC encoder.pt loads by name, the legacy file holds the same weights", "[ge2e][checkpoint]") {
  std::string zip = vctest::fixture_or_skip("rtvc/encoder/ge2e_rtvc.pt");
  std::string legacy = vctest::fixture_or_skip("rtvc/encoder/ge2e_rtvc_legacy.pt");
  int64_t step = 0, step_legacy = 0;
  SpeakerEncoderNet a = open_checkpoint(zip, &step);
  SpeakerEncoderNet b = open_checkpoint(legacy, &step_legacy);
  CHECK(step == 4);
  CHECK(step_legacy == 4);
  auto pa = a->named_parameters(), pb = b->named_parameters();
  REQUIRE(pa.size() == 16);
  std::vector<std::string> rtvc_order = {"similarity_weight", "similarity_bias", "lstm.weight_ih_l0"};
  for (size_t i = 0; i < rtvc_order.size(); ++i) CHECK(pa.pairs()[i].first == rtvc_order[i]);
  for (const auto& p : pa) CHECK(torch::equal(p.value(), pb[p.key()]));
  // A random network differs: the comparison above is not vacuous.
  SpeakerEncoderNet fresh(ModelOptions{});
  CHECK_FALSE(torch::equal(fresh->linear->weight, a->linear->weight));
}

TEST_CASE("forward, similarity matrix (exclusive centroids), loss and EER match RTVC", "[ge2e][loss]") {
  auto ref = vctest::load_pt_dict(vctest::fixture_or_skip("rtvc/encoder/ge2e_loss.pt"));
  SpeakerEncoderNet net = open_checkpoint(vctest::fixture_or_skip("rtvc/encoder/ge2e_rtvc.pt"));
  torch::NoGradGuard no_grad;
  at::Tensor mels = ref.at("mels");
  const int64_t S = mels.size(0), U = mels.size(1);
  at::Tensor embeds = net->forward(mels.reshape({S * U, mels.size(2), mels.size(3)})).reshape({S, U, -1});
  CHECK(vctest::max_abs_diff(embeds, ref.at("embeds")) < 1e-5);
  // From the reference embeddings, so each stage is checked on its own input.
  at::Tensor sim = net->similarity_matrix(ref.at("embeds"));
  CHECK(vctest::max_abs_diff(sim, ref.at("similarity_matrix")) < 3e-5);
  auto [loss, eer] = net->loss(ref.at("embeds"));
  CHECK(std::fabs(loss.item<double>() - ref.at("loss").item<double>()) < 1e-5);
  CHECK(std::fabs(eer - ref.at("eer").item<double>()) < 1e-6);
}

TEST_CASE("embed_utterance matches RTVC with partials, with zero padding, and without partials",
          "[ge2e][embed]") {
  auto ref = vctest::load_pt_dict(vctest::fixture_or_skip("rtvc/encoder/embed_utterance.pt"));
  auto audio = vctest::load_pt_dict(vctest::fixture_or_skip("rtvc/encoder/encoder_audio.pt"));
  SpeakerEncoderNet net = open_checkpoint(vctest::fixture_or_skip("rtvc/encoder/ge2e_rtvc.pt"));
  net->eval();
  at::Tensor wt = audio.at("wav_preprocessed").contiguous();
  std::vector<float> wav(wt.data_ptr<float>(), wt.data_ptr<float>() + wt.numel());

  Embedding e = embed_utterance(*net, wav);
  CHECK(vctest::max_abs_diff(e.embed, ref.at("embed")) < 1e-5);
  CHECK(vctest::max_abs_diff(e.partial_embeds, ref.at("partial_embeds")) < 1e-5);
  at::Tensor slices = ref.at("wave_slices");
  REQUIRE(int64_t(e.wave_slices.size()) == slices.size(0));
  for (size_t i = 0; i < e.wave_slices.size(); ++i) {
    CHECK(e.wave_slices[i].start == slices[int64_t(i)][0].item<int64_t>());
    CHECK(e.wave_slices[i].stop == slices[int64_t(i)][1].item<int64_t>());
  }

  at::Tensor st = ref.at("short_wav").contiguous();
  Embedding s =
      embed_utterance(*net, std::vector<float>(st.data_ptr<float>(), st.data_ptr<float>() + st.numel()));
  CHECK(vctest::max_abs_diff(s.embed, ref.at("short_embed")) < 1e-5);
  CHECK(vctest::max_abs_diff(s.partial_embeds, ref.at("short_partial_embeds")) < 1e-5);
  REQUIRE(s.wave_slices.size() == 1);
  CHECK(s.wave_slices[0].stop == ref.at("short_wave_slices")[0][1].item<int64_t>());

  Embedding whole = embed_utterance(*net, wav, false);
  CHECK(vctest::max_abs_diff(whole.embed, ref.at("embed_no_partials")) < 1e-5);

  // Batched: both utterances in one pass give the same embeddings as one at a time.
  auto both = embed_utterances(
      *net, {wav, std::vector<float>(st.data_ptr<float>(), st.data_ptr<float>() + st.numel())});
  CHECK(vctest::max_abs_diff(both[0].embed, ref.at("embed")) < 1e-5);
  CHECK(vctest::max_abs_diff(both[1].embed, ref.at("short_embed")) < 1e-5);
  at::Tensor voice = speaker_embedding(torch::stack({both[0].embed, both[1].embed}));
  CHECK(std::fabs(voice.norm().item<double>() - 1.0) < 1e-6);
}
