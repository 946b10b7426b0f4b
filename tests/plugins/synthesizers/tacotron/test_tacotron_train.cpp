// Tacotron training stage: a tiny model on the RTVC SV2TTS fixture learns (loss falls), writes RTVC-format
// checkpoints that Python's RTVC code loads, resumes, and evaluates (plots, wav).
#include <ATen/Parallel.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fixtures.h"
#include "tacotron_model.h"
#include "tacotron_options.h"
#include "voxclone/runtime.h"

using namespace voxclone;
namespace fs = std::filesystem;

namespace {

std::vector<double> logged_losses(const std::string& run_dir) {
  std::ifstream in(fs::path(run_dir) / "train_log.csv");
  std::vector<double> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string step, loss;
    std::getline(ss, step, ',');
    std::getline(ss, loss, ',');
    if (!loss.empty()) out.push_back(std::stod(loss));
  }
  return out;
}

Overrides tiny(const std::string& syn_dir, const std::string& run_dir, int64_t max_steps) {
  ConfigValue::Array model{ConfigValue("tts_embed_dims=32"), ConfigValue("tts_encoder_dims=32"),
                           ConfigValue("tts_decoder_dims=32"), ConfigValue("tts_postnet_dims=32"),
                           ConfigValue("tts_lstm_dims=64"), ConfigValue("tts_num_highways=1")};
  ConfigValue::Array schedule{ConfigValue(ConfigValue::Array{ConfigValue(2), ConfigValue(2e-3), ConfigValue(1000), ConfigValue(4)})};
  return {{"syn_dir", syn_dir},         {"run_dir", run_dir},      {"model_overrides", model},
          {"tts_schedule", schedule},   {"max_steps", max_steps},  {"save_every", int64_t(20)},
          {"tts_eval_interval", int64_t(30)}, {"log_every", int64_t(1)}, {"seed", int64_t(7)}};
}

}  // namespace

TEST_CASE("synthesizer_train: a tiny model's loss falls, RTVC-format checkpoint, resume, evaluation outputs") {
  std::string train_txt = vctest::fixture_or_skip("rtvc/synthesizer/sv2tts/SV2TTS/synthesizer/train.txt");
  std::string syn_dir = fs::path(train_txt).parent_path().string();
  std::string run_dir = vctest::scratch_dir("tacotron_train");
  auto& rt = Runtime::instance();
  rt.load_plugins({vctest::plugin_dir()});
  at::set_num_threads(1);

  Config r1 = rt.create<Stage>("synthesizer_train", "", tiny(syn_dir, run_dir, 30))->run();
  CHECK(r1.get_int("start_step") == 0);
  CHECK(r1.get_int("end_step") == 30);
  auto losses = logged_losses(run_dir);
  REQUIRE(losses.size() >= 30);
  double first = (losses[0] + losses[1] + losses[2]) / 3, last = (losses[27] + losses[28] + losses[29]) / 3;
  INFO("mean loss of steps 1-3: " << first << ", of steps 28-30: " << last);
  CHECK(last < 0.7 * first);

  CHECK(fs::exists(fs::path(run_dir) / "samples" / "step-30_sample_1_attention.png"));
  CHECK(fs::exists(fs::path(run_dir) / "samples" / "step-30_sample_1_mel.png"));
  CHECK(fs::exists(fs::path(run_dir) / "samples" / "step-30_sample_1_griffinlim.wav"));

  // Resume: the step continues from the checkpoint.
  Config r2 = rt.create<Stage>("synthesizer_train", "", tiny(syn_dir, run_dir, 33))->run();
  CHECK(r2.get_int("start_step") == 30);
  CHECK(r2.get_int("end_step") == 33);

  // Python: RTVC's Tacotron.load reads the checkpoint (model and Adam state) and reports the step.
  std::string py = vctest::python_with_torch_or_skip();
  std::string ref = vctest::fixture_or_skip("rtvc/synthesizer/tacotron_config.json");  // only to locate fixtures
  (void)ref;
  std::string script = run_dir + "/check.py";
  std::ofstream(script) << "import sys, torch\n"
                           "c = torch.load(sys.argv[1])\n"
                           "m, o = c['model_state'], c['optimizer_state']\n"
                           "assert type(m).__name__ == 'OrderedDict', type(m)\n"
                           "assert int(m['step'][0]) == 33, m['step']\n"
                           "assert m['decoder.r'].dtype == torch.int32 and int(m['decoder.r']) == 2\n"
                           "assert len(o['state']) == len(o['param_groups'][0]['params'])\n"
                           "n = sum(1 for k, v in m.items() if v.dtype == torch.float32 and 'running' not in k "
                           "and k != 'stop_threshold')\n"
                           "assert len(o['state']) == n, (len(o['state']), n)\n"
                           "print('ok', len(m), len(o['state']))\n";
  std::string out;
  int rc = vctest::run_command(py + " " + script + " " + run_dir + "/synthesizer.pt", &out);
  INFO(out);
  CHECK(rc == 0);
}

TEST_CASE(
    "model_overrides (RTVC's --hparams): a key of the stage's table sets it and a tacotron key is an "
    "override") {
  auto& rt = Runtime::instance();
  rt.load_plugins({vctest::plugin_dir()});
  auto stage_with = [&](std::vector<std::string> items) {
    ConfigValue::Array list;
    for (auto& i : items) list.emplace_back(i);
    return rt.resolve_config(Kind::Stage, "synthesizer_preprocess_audio", {{"model_overrides", list}});
  };
  Config stage = stage_with({"max_mel_frames=600", "fmax=8000", "text=mandarin", "trim_silence=false"});
  Overrides model = tacotron::apply_model_overrides(stage);
  CHECK(stage.get_int("max_mel_frames") == 600);
  CHECK_FALSE(stage.get_bool("trim_silence"));
  REQUIRE(model.size() == 2);
  CHECK(model[0].first == "fmax");
  CHECK(std::get<double>(model[0].second.v) == 8000.0);  // typed as [tacotron]'s key: an integer widens
  CHECK(model[1].first == "text");
  CHECK(std::get<std::string>(model[1].second.v) == "mandarin");
  CHECK(rt.resolve_config(Kind::Synthesizer, "tacotron", model).get_double("fmax") == 8000.0);

  stage = stage_with({"colour=red"});
  CHECK_THROWS_WITH(
      tacotron::apply_model_overrides(stage),
      Catch::Contains("'colour' is a key of neither [synthesizer_preprocess_audio] nor [tacotron]"));
  stage = stage_with({"max_mel_frames=lots"});
  CHECK_THROWS_WITH(tacotron::apply_model_overrides(stage), Catch::Contains("max_mel_frames"));
  stage = stage_with({"fmax"});
  CHECK_THROWS_WITH(tacotron::apply_model_overrides(stage), Catch::Contains("expected \"key=value\""));
}

TEST_CASE("guided attention loss: near zero on the diagonal, large off it, padding ignored") {
  using namespace voxclone::tacotron;
  const int64_t S = 20, N = 10;
  // Item 0: 20 real steps over 10 characters; item 1: 10 real steps over 5 characters, the rest padding.
  torch::Tensor chars = torch::tensor({N, int64_t(5)}), steps = torch::tensor({S, int64_t(10)});
  auto diagonal = [&](int64_t s_len, int64_t n_len) {
    torch::Tensor a = torch::zeros({S, N});
    for (int64_t t = 0; t < s_len; ++t) a[t][std::min(n_len - 1, t * n_len / s_len)] = 1.0;
    return a;
  };
  torch::Tensor aligned = torch::stack({diagonal(S, N), diagonal(10, 5)});
  torch::Tensor anti = aligned.flip({2});  // the same weights read backwards: far from the diagonal
  double on = guided_attention_loss(aligned, chars, steps).item<double>();
  double off = guided_attention_loss(torch::stack({anti[0], anti[0]}), chars, steps).item<double>();
  // The attention mass off the diagonal per decoder step: about 0 when aligned, near 1 when far from it.
  CHECK(on < 0.05);
  CHECK(off > 0.3);
  CHECK(off > 10 * on);
  // Padded decoder steps (t >= steps) do not count; attention on padded characters (n >= chars) is off.
  torch::Tensor padded = aligned.clone();
  padded[1].slice(0, 10).fill_(1.0);
  CHECK(guided_attention_loss(padded, chars, steps).item<double>() == Approx(on));
  torch::Tensor on_padding = aligned.clone();
  on_padding[1].slice(0, 0, 10).zero_();
  on_padding[1].slice(0, 0, 10).select(1, 9).fill_(1.0);  // item 1 has 5 characters: 9 is padding
  CHECK(guided_attention_loss(on_padding, chars, steps).item<double>() > on + 0.3);  // 10 of the 30 steps at 1
}
