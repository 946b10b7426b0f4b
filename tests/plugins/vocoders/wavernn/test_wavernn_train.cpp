// WaveRNN training against RTVC: one resumed Adam step, checkpoint format round trip, collate_vocoder on the
// SV2TTS fixture; and the plugin end to end (vocoder:wavernn through Runtime, trainer through the recipe).
#include <ATen/ATen.h>
#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fixtures.h"
#include "voxclone/checkpoint.h"
#include "voxclone/dsp.h"
#include "voxclone/npy.h"
#include "voxclone/runtime.h"
#include "wavernn_signal.h"
#include "wavernn_train.h"

using namespace voxclone;
using namespace voxclone::wavernn;
namespace fs = std::filesystem;

namespace {

std::string small_ckpt() { return vctest::fixture_or_skip("rtvc/vocoder/wavernn_small.pt"); }

WaveRnnOptions small_options() {
  return infer_options(ckpt::load(small_ckpt()).at("model_state"), WaveRnnOptions{});
}

std::string sv2tts_dir() {
  const std::string train = vctest::fixture_or_skip("rtvc/synthesizer/sv2tts/SV2TTS/synthesizer/train.txt");
  return fs::path(train).parent_path().string();
}

}  // namespace

TEST_CASE("one resumed training step matches RTVC's (loss, gradient, Adam update, BatchNorm stats)") {
  at::set_num_threads(1);
  auto f = vctest::load_pt_dict(vctest::fixture_or_skip("rtvc/vocoder/wavernn_train_step.pt"));
  WaveRnnTrainSettings s;
  s.lr = 1e-4;
  WaveRnnTrainTask task(small_options(), s, nullptr);
  CHECK(task.resume(small_ckpt()) == 2);
  const double loss = task.step_on(TrainBatch{f.at("x"), f.at("y"), f.at("mels")});
  CHECK(std::abs(loss - f.at("loss").item<double>()) < 1e-5);
  WaveRnn& m = task.model();
  CHECK(vctest::max_abs_diff(m->fc3->bias.grad(), f.at("grad_fc3_bias")) < 1e-6);
  CHECK(vctest::max_abs_diff(m->fc3->bias, f.at("after.fc3.bias")) < 1e-6);
  CHECK(vctest::max_abs_diff(m->I->bias, f.at("after.I.bias")) < 1e-6);
  CHECK(vctest::max_abs_diff(m->upsample->resnet->batch_norm->running_mean,
                             f.at("after.upsample.resnet.batch_norm.running_mean")) < 1e-6);
  CHECK(m->step.item<int64_t>() == f.at("after.step").item<int64_t>());
  // The update really moved the weights (a no-op step would fail the comparisons above only by 1e-4 lr).
  const ckpt::Value before = ckpt::load(small_ckpt());
  CHECK(vctest::max_abs_diff(before.at("model_state").at("fc3.bias").as_tensor(), f.at("after.fc3.bias")) >
        1e-6);
}

TEST_CASE("checkpoints are written in RTVC's format and resume exactly") {
  WaveRnnTrainSettings s;
  WaveRnnTrainTask task(small_options(), s, nullptr);
  task.resume(small_ckpt());
  const std::string path = vctest::scratch_dir("wavernn_ckpt") + "/vocoder.pt";
  task.save(path, 2);
  const ckpt::Value ours = ckpt::load(path), theirs = ckpt::load(small_ckpt());
  // Same keys in the same order (state_dict order), same tensors; optimizer state with RTVC's indices.
  std::vector<std::string> k1, k2;
  for (const auto& [k, v] : ours.at("model_state").items()) k1.push_back(k.as_str());
  for (const auto& [k, v] : theirs.at("model_state").items()) k2.push_back(k.as_str());
  CHECK(k1 == k2);
  CHECK(ours.at("model_state").ordered());
  for (const auto& [k, v] : theirs.at("model_state").items())
    CHECK(v.as_tensor().equal(ours.at("model_state").at(k.as_str()).as_tensor()));
  std::vector<int64_t> ids1, ids2, st1, st2;
  for (const auto& v : ours.at("optimizer_state").at("param_groups").elements()[0].at("params").elements())
    ids1.push_back(v.as_int());
  for (const auto& v : theirs.at("optimizer_state").at("param_groups").elements()[0].at("params").elements())
    ids2.push_back(v.as_int());
  CHECK(ids1 == ids2);
  for (const auto& [k, v] : ours.at("optimizer_state").at("state").items()) st1.push_back(k.as_int());
  for (const auto& [k, v] : theirs.at("optimizer_state").at("state").items()) st2.push_back(k.as_int());
  CHECK(st1 == st2);  // no state for "step" (index 0), like PyTorch
  for (const auto& [k, v] : theirs.at("optimizer_state").at("state").items())
    CHECK(v.at("exp_avg").as_tensor().equal(ours.at("optimizer_state")
                                                .at("state")
                                                .items()[size_t(k.as_int() - 1)]
                                                .second.at("exp_avg")
                                                .as_tensor()));
  WaveRnnTrainTask again(small_options(), s, nullptr);
  CHECK(again.resume(path) == 2);
}

TEST_CASE("the full-size model's state_dict() has the manifest's order") {
  std::ifstream in(vctest::fixture_or_skip("rtvc/vocoder/shape_manifest_wavernn_full.json"));
  const auto manifest = nlohmann::json::parse(in)["state_dict"];
  WaveRnn model(WaveRnnOptions{});
  std::vector<std::string> mine, theirs;
  const ckpt::Value sd = state_dict(*model);
  for (const auto& [k, v] : sd.items()) mine.push_back(k.as_str());
  for (const auto& e : manifest) theirs.push_back(e["key"]);
  CHECK(mine == theirs);
}

TEST_CASE("the SV2TTS vocoder dataset and collate_vocoder make RTVC's batches") {
  const std::string dir = sv2tts_dir();
  VocoderDataset data(dir + "/train.txt", dir + "/mels", dir + "/audio");
  CHECK(data.size() == 7);
  WaveRnnOptions o = small_options();
  auto [mel, quant] = data.load(0, o);
  CHECK(mel.size(0) == 80);
  CHECK(quant.numel() == mel.size(1) * o.hop_length);
  CHECK(mel.abs().max().item<double>() <= 1.0 + 1e-6);  // divided by mel_max_abs_value
  CHECK(quant.min().item<int64_t>() >= 0);
  CHECK(quant.max().item<int64_t>() <= 511);
  // Labels are mu-law of the pre-emphasised audio.
  const at::Tensor wav = read_npy(data.item(0).wav_path).to(at::kDouble);
  const at::Tensor expect = encode_mu_law(preemphasis(wav, 0.97).clamp(-1, 1).narrow(0, 0, 2000), 512);
  CHECK(quant.narrow(0, 0, 2000).to(at::kDouble).equal(expect));
  std::mt19937_64 rng(3);
  TrainBatch b = collate({data.load(0, o), data.load(1, o)}, o, 1000, rng);
  CHECK(b.x.sizes() == at::IntArrayRef({2, 1000}));
  CHECK(b.y.sizes() == at::IntArrayRef({2, 1000}));
  CHECK(b.mels.sizes() == at::IntArrayRef({2, 80, 1000 / 200 + 2 * o.pad}));
  // x is y shifted by one sample, as floats.
  CHECK(label_2_float(b.y.narrow(1, 0, 999).to(at::kFloat), 9).equal(b.x.narrow(1, 1, 999)));
}

TEST_CASE("vocoder:wavernn through the plugin loader: strict settings reproduce RTVC's generate()") {
  auto f = vctest::load_pt_dict(vctest::fixture_or_skip("rtvc/vocoder/generate.pt"));
  auto& rt = Runtime::instance();
  rt.load_plugins({vctest::plugin_dir()});
  at::set_num_threads(1);
  auto voc = rt.create<Vocoder>("wavernn", small_ckpt(),
                                {{"strict", true}, {"voc_target", 1000}, {"voc_overlap", 100}});
  CHECK(voc->sample_rate() == 16000);
  Mel mel;
  mel.data = f.at("mel")[0] * 4.0;  // the plugin divides synthesizer mels by 4 (infer_waveform normalize)
  VocodeOptions opt;
  opt.seed = 1242;
  Waveform w = voc->vocode(mel, opt);
  const at::Tensor ref = f.at("batched.wav");
  REQUIRE(int64_t(w.samples.size()) == ref.numel());
  CHECK(vctest::max_abs_diff(at::from_blob(w.samples.data(), {int64_t(w.samples.size())}, at::kFloat), ref) <
        1e-6);
  // The fast path makes the same length of audio; a mel with another hop is refused.
  auto fast = rt.create<Vocoder>("wavernn", small_ckpt(), {{"threads", 2}});
  CHECK(fast->vocode(mel, opt).samples.size() == w.samples.size());
  Mel other = mel;
  other.settings.hop_size = 256;
  CHECK_THROWS_WITH(fast->vocode(other, opt), Catch::Contains("hop"));
}

TEST_CASE("voxclone vocode and the vocoder_train recipe work end to end") {
  const std::string dir = vctest::scratch_dir("wavernn_e2e");
  const std::string sv2 = sv2tts_dir();
  const std::string bin = vctest::voxclone_binary();
  const std::string mel = sv2 + "/mels/mel-1002-128000-0001_00.npy";
  std::string out;
  REQUIRE(vctest::run_command(bin + " vocode --vocoder wavernn:" + small_ckpt() + " --mel " + mel +
                                  " --out " + dir + "/o.wav --seed 1",
                              &out) == 0);
  CHECK(fs::exists(dir + "/o.wav"));
  // A reduced model trained for 3 steps from the fixture's SV2TTS folder, then resumed to 4.
  const std::string datasets_root = fs::path(sv2).parent_path().parent_path().string();
  const std::string recipe = std::string(VOXCLONE_SOURCE_DIR) + "/recipes/vocoder_train.lua";
  const std::string common = bin + " run " + recipe + " run_id=tiny datasets_root=" + datasets_root +
                             " models_dir=" + dir +
                             "/models --ground_truth save_every=2 seed=1 holdout=1 "
                             "model=voc_rnn_dims=32,voc_fc_dims=32,voc_compute_dims=16,voc_res_out_dims=16,"
                             "voc_res_blocks=1,voc_batch_size=2,voc_gen_at_checkpoint=1";
  const int rc = vctest::run_command(common + " max_steps=3", &out);
  INFO(out);
  REQUIRE(rc == 0);
  CHECK(fs::exists(dir + "/models/tiny/vocoder.pt"));
  CHECK(fs::exists(dir + "/models/tiny/samples/2_steps_1_gen.wav"));
  CHECK(
      ckpt::load(dir + "/models/tiny/vocoder.pt").at("model_state").at("step").as_tensor().item<int64_t>() ==
      3);
  REQUIRE(vctest::run_command(common + " max_steps=4", &out) == 0);
  CHECK(out.find("steps 3 → 4") != std::string::npos);
  CHECK(
      ckpt::load(dir + "/models/tiny/vocoder.pt").at("model_state").at("step").as_tensor().item<int64_t>() ==
      4);
  // An unknown model setting is refused with exit code 2, and so is a vocoder without a training stage.
  CHECK(vctest::run_command(common + ",voc_bogus=1 max_steps=5", &out) == 2);
  CHECK(out.find("voc_bogus") != std::string::npos);
  CHECK(vctest::run_command(common + " max_steps=5 vocoder=nosuch", &out) == 2);
}
