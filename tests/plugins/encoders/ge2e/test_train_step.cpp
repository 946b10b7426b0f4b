// One resumed GE2E training step against RTVC: loss, raw gradients, clipped norm, parameters and Adam
// moments after the update; and the checkpoint written back reads like RTVC's.
#include <torch/torch.h>

#include <catch2/catch.hpp>

#include "fixtures.h"
#include "ge2e_train.h"
#include "voxclone/checkpoint.h"

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
