// One resumed GE2E training step against RTVC: loss, raw gradients, clipped norm, parameters and Adam
// moments after the update; and the checkpoint written back reads like RTVC's.
#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <set>

#include "fixtures.h"
#include "ge2e_train.h"
#include "voxclone/checkpoint.h"
#include "voxclone/error.h"
#include "voxclone/npy.h"

using namespace voxclone::ge2e;

TEST_CASE("a step resumed from RTVC's checkpoint and optimizer state matches RTVC", "[ge2e][train]") {
  std::string ckpt = vctest::fixture_or_skip("rtvc/encoder/ge2e_rtvc.pt");
  auto mels = vctest::load_pt_dict(vctest::fixture_or_skip("rtvc/encoder/ge2e_loss.pt")).at("mels");
  auto ref = vctest::load_pt_dict(vctest::fixture_or_skip("rtvc/encoder/ge2e_train_step.pt"));
  TrainSettings s;
  s.speakers_per_batch = mels.size(0);
  s.utterances_per_speaker = mels.size(1);
  Ge2eTrainTask task({}, s);
  CHECK(task.resume(ckpt) == 3);  // RTVC stored step 4 = the next step to run

  std::map<std::string, torch::Tensor> raw;
  auto r = task.step_on(mels.reshape({-1, mels.size(2), mels.size(3)}), &raw);
  CHECK(std::fabs(r.loss - ref.at("loss").item<double>()) < 1e-5);
  CHECK(vctest::max_abs_diff(raw.at("linear.bias"), ref.at("grad_linear_bias_raw")) < 1e-5);
  CHECK(vctest::max_abs_diff(raw.at("similarity_weight"), ref.at("grad_similarity_weight_raw")) < 1e-5);
  double norm = r.metrics.at(1).second, want = ref.at("grad_total_norm").item<double>();
  CHECK(std::fabs(norm - want) / want < 1e-4);

  auto& net = task.net();
  CHECK(vctest::max_abs_diff(net.similarity_weight, ref.at("after.similarity_weight")) < 1e-6);
  CHECK(vctest::max_abs_diff(net.similarity_bias, ref.at("after.similarity_bias")) < 1e-6);
  CHECK(vctest::max_abs_diff(net.linear->bias, ref.at("after.linear.bias")) < 1e-6);
  CHECK(vctest::max_abs_diff(net.named_parameters()["lstm.bias_hh_l2"], ref.at("after.lstm.bias_hh_l2")) <
        1e-6);

  // Adam moments through the PyTorch-format state dict: linear.bias is parameter 15 in RTVC's order.
  voxclone::ckpt::Value state = voxclone::adam_state_dict(task.adam());
  const voxclone::ckpt::Value* p15 = nullptr;
  for (const auto& [k, v] : state.at("state").items())
    if (k.as_int() == 15) p15 = &v;
  REQUIRE(p15 != nullptr);
  CHECK(vctest::max_abs_diff(p15->at("exp_avg").as_tensor(), ref.at("after.adam.exp_avg.linear.bias")) <
        1e-6);
  CHECK(vctest::max_abs_diff(p15->at("exp_avg_sq").as_tensor(), ref.at("after.adam.exp_avg_sq.linear.bias")) <
        1e-9);

  // Saved in RTVC's layout: step + 1, model_state in RTVC's key order, optimizer_state.
  std::string out = vctest::scratch_dir("ge2e_save") + "/encoder.pt";
  task.save(out, 4);
  auto back = voxclone::ckpt::load(out);
  CHECK(back.at("step").as_int() == 5);
  CHECK(back.at("model_state").ordered());
  CHECK(back.at("model_state").items().front().first.as_str() == "similarity_weight");
  CHECK(back.at("optimizer_state").at("param_groups").elements().size() == 1);
  Ge2eTrainTask again({}, s);
  CHECK(again.resume(out) == 4);
  CHECK(torch::equal(again.net().linear->bias, net.linear->bias));
}

namespace {

bool contiguous(const std::vector<int64_t>& v) {
  return v.empty() || v.back() - v.front() + 1 == int64_t(v.size());
}

// Checks that each crop of `batch` (all ones before augmentation) has at most one mask: one contiguous span
// of at most `max_width` zeroed indices along `axis` (0: frames, 1: mel channels) across the whole other
// axis. Returns how many crops are masked.
int checked_masks(const torch::Tensor& batch, int64_t axis, size_t max_width) {
  int masked = 0;
  for (int64_t k = 0; k < batch.size(0); ++k) {
    torch::Tensor changed = batch[k].ne(1.0f);
    std::vector<int64_t> hit, other;
    for (int64_t i = 0; i < changed.size(axis); ++i)
      if (changed.select(axis, i).any().item<bool>()) hit.push_back(i);
    for (int64_t i = 0; i < changed.size(1 - axis); ++i)
      if (changed.select(1 - axis, i).any().item<bool>()) other.push_back(i);
    CHECK(contiguous(hit));
    CHECK(hit.size() <= max_width);
    if (hit.empty()) continue;
    ++masked;
    CHECK(int64_t(other.size()) == changed.size(1 - axis));
    CHECK(batch[k].slice(axis, hit.front(), hit.back() + 1).abs().max().item<float>() == 0.0f);
  }
  return masked;
}

}  // namespace

TEST_CASE("training-crop augmentation: band and time masks and gain, all off by default", "[ge2e][train]") {
  // Two speakers whose mels are all ones: whatever the crop, a cell that is not 1 was changed by
  // augmentation.
  const std::string dir = vctest::scratch_dir("ge2e_augment");
  std::vector<SpeakerFolder> speakers;
  for (const char* name : {"a", "b"}) {
    voxclone::write_npy(dir + "/" + name + ".npy", torch::ones({200, 40}));
    speakers.push_back({name, {dir + "/" + name + ".npy"}});
  }
  TrainSettings s;
  s.speakers_per_batch = 2;
  s.utterances_per_speaker = 20;
  s.partial_frames = 160;
  CHECK(torch::equal(Ge2eTrainTask(speakers, s).draw_batch(), torch::ones({40, 160, 40})));

  // Widths are drawn from 0..max: about 8 crops in 9 are masked.
  SECTION("band mask: whole mel channels zeroed, one contiguous band of at most 8") {
    s.freq_mask = 8;
    CHECK(checked_masks(Ge2eTrainTask(speakers, s).draw_batch(), 1, 8) > 20);
  }
  SECTION("time mask: whole frames zeroed, one contiguous span of at most 20") {
    s.time_mask = 20;
    CHECK(checked_masks(Ge2eTrainTask(speakers, s).draw_batch(), 0, 20) > 20);
  }
  SECTION("gain: each crop scaled by one factor within ±6 dB of power, factors differ between crops") {
    s.gain_db = 6;
    torch::Tensor batch = Ge2eTrainTask(speakers, s).draw_batch();
    std::set<float> factors;
    for (int64_t k = 0; k < batch.size(0); ++k) {
      const float f = batch[k][0][0].item<float>();
      CHECK(torch::equal(batch[k], torch::full({160, 40}, f)));
      CHECK(f >= std::pow(10.0f, -0.6f) * 0.9999f);
      CHECK(f <= std::pow(10.0f, 0.6f) * 1.0001f);
      factors.insert(f);
    }
    CHECK(factors.size() == 40);
  }
  SECTION("weight decay reaches Adam") {
    s.weight_decay = 1e-4;
    Ge2eTrainTask task(speakers, s);
    auto& o = static_cast<torch::optim::AdamOptions&>(task.adam().param_groups().at(0).options());
    CHECK(o.weight_decay() == 1e-4);
  }
}

TEST_CASE("dropout acts in training only and adds no weights", "[ge2e][train]") {
  ModelOptions plain{40, 32, 16, 2};
  ModelOptions dropped = plain;
  dropped.dropout = 0.3;
  torch::manual_seed(5);
  SpeakerEncoderNet a(dropped);
  torch::manual_seed(5);
  SpeakerEncoderNet b(plain);
  REQUIRE(a->named_parameters().keys() == b->named_parameters().keys());
  for (const auto& p : a->named_parameters()) CHECK(torch::equal(p.value(), b->named_parameters()[p.key()]));
  torch::Tensor x = torch::rand({6, 50, 40});
  torch::NoGradGuard no_grad;
  a->eval();
  b->eval();
  CHECK(torch::allclose(a->forward(x), b->forward(x)));
  a->train();
  b->train();
  CHECK(!torch::allclose(a->forward(x), a->forward(x)));
  CHECK(torch::allclose(b->forward(x), b->forward(x)));
}

TEST_CASE("log_mel_input: the network reads a scaled ln(mel) and its checkpoints say so", "[ge2e][train]") {
  TrainSettings s;
  s.model = ModelOptions{40, 32, 16, 2};
  s.model.log_mel_input = true;
  Ge2eTrainTask task({}, s);
  SpeakerEncoderNet plain(ModelOptions{40, 32, 16, 2});
  for (const auto& p : task.net().named_parameters()) {
    torch::NoGradGuard no_grad;
    plain->named_parameters()[p.key()].copy_(p.value());
  }
  task.net().eval();
  plain->eval();
  torch::NoGradGuard no_grad;
  torch::Tensor power = torch::rand({4, 50, 40}).pow(4) * 0.5;
  torch::Tensor got = task.net().forward(power);
  CHECK(torch::allclose(got, plain->forward((torch::log(power + 1e-6) + 9.0) / 3.5), 1e-5, 1e-6));
  CHECK_FALSE(torch::allclose(got, plain->forward(power), 1e-3, 1e-3));

  // The file holds the constants; opening it restores the option; a power-mel network refuses it.
  std::string out = vctest::scratch_dir("ge2e_log_mel") + "/encoder.pt";
  task.save(out, 2);
  auto back = voxclone::ckpt::load(out);
  torch::Tensor constants = back.at("model_state").at("log_mel_input").as_tensor();
  CHECK(torch::allclose(constants, torch::tensor({1e-6f, 9.0f, 3.5f})));
  SpeakerEncoderNet reopened = open_checkpoint(out);
  CHECK(reopened->options().log_mel_input);
  reopened->eval();
  CHECK(torch::allclose(reopened->forward(power), got, 1e-6, 1e-7));
  CHECK_THROWS_AS(load_checkpoint(*plain, out), voxclone::UserError);
  // A file whose constants cannot be used (epsilon 0: ln 0 on silence; scale 0) is refused.
  for (int i : {0, 2}) {
    task.net().log_mel_input[i].fill_(0.0f);
    task.save(out, 2);
    CHECK_THROWS_AS(open_checkpoint(out), voxclone::UserError);
    task.net().log_mel_input.copy_(constants);
  }
}

TEST_CASE("speaker warping moves mel content along the Slaney scale", "[ge2e][train]") {
  // Expected weights computed outside the code under test with librosa's Slaney formulas: above 1 kHz a
  // factor of 1.1 moves content up by ln(1.1) / (ln(6.4) / 27) / (mel(8 kHz) / 41) = 1.2562 bands.
  CHECK(torch::allclose(mel_warp_matrix(40, 1.0), torch::eye(40), 0, 1e-5));
  CHECK(torch::allclose(mel_warp_matrix(40, 1.1).sum(1), torch::ones(40)));
  torch::Tensor impulse = torch::zeros({1, 40});
  impulse[0][20] = 1;
  torch::Tensor up = impulse.matmul(mel_warp_matrix(40, 1.1).t())[0];
  CHECK(up[21].item<float>() == Approx(0.74379).margin(1e-4));
  CHECK(up[22].item<float>() == Approx(0.25621).margin(1e-4));
  CHECK(up.sum().item<float>() == Approx(1.0).margin(1e-4));
  torch::Tensor down = impulse.matmul(mel_warp_matrix(40, 0.9).t())[0];
  CHECK(down[19].item<float>() == Approx(0.61132).margin(1e-4));
  CHECK(down[18].item<float>() == Approx(0.38868).margin(1e-4));

  // Training draws warped copies as extra speakers: with one real speaker, a batch of 3 holds the speaker
  // and both copies. Every frame of its mel is the same ramp over the bands, so each voice has one frame.
  const std::string dir = vctest::scratch_dir("ge2e_warp");
  const torch::Tensor ramp = torch::arange(40, torch::kFloat);
  voxclone::write_npy(dir + "/a.npy", ramp.repeat({200, 1}));
  TrainSettings s;
  s.speakers_per_batch = 3;
  s.utterances_per_speaker = 2;
  s.warp_speakers = 0.1;
  torch::Tensor batch = Ge2eTrainTask({{"a", {dir + "/a.npy"}}}, s).draw_batch();
  std::set<std::vector<float>> firsts;
  for (int64_t k = 0; k < batch.size(0); k += 2) {
    CHECK(torch::equal(batch[k], batch[k + 1]));
    torch::Tensor row = batch[k][0].contiguous();
    firsts.insert(std::vector<float>(row.data_ptr<float>(), row.data_ptr<float>() + 40));
  }
  CHECK(firsts.size() == 3);
  CHECK(firsts.count(std::vector<float>(ramp.data_ptr<float>(), ramp.data_ptr<float>() + 40)) == 1);
}
