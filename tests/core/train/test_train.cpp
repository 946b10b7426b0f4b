// The shared training loop (cadence, resume, force_restart, interruption safety) and the PyTorch-format
// Adam state, checked against Python's torch.optim.Adam.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <filesystem>

#include "fixtures.h"
#include "voxclone/checkpoint.h"
#include "voxclone/error.h"
#include "voxclone/train.h"

namespace fs = std::filesystem;
using namespace voxclone;

namespace {

// Fits y = 3x + 1 with a 1→1 linear layer: small, deterministic, and its loss must fall.
class LineTask : public TrainTask {
 public:
  LineTask() : model_(torch::nn::Linear(1, 1)), opt_(model_->parameters(), torch::optim::AdamOptions(0.05)) {
    torch::manual_seed(7);
    for (auto& p : model_->parameters()) torch::nn::init::uniform_(p, -0.1, 0.1);
    x_ = torch::linspace(-1, 1, 64).reshape({64, 1});
    y_ = 3 * x_ + 1;
  }
  std::string checkpoint_name() const override { return "line.pt"; }
  int64_t resume(const std::string& path) override {
    auto c = ckpt::load(path);
    ckpt::load_into_module(*model_, c.at("model_state"));
    load_adam_state_dict(opt_, c.at("optimizer_state"));
    ++resumes;
    return c.at("step").as_int();
  }
  StepReport train_step(int64_t) override {
    opt_.zero_grad();
    auto loss = torch::mse_loss(model_->forward(x_), y_);
    loss.backward();
    StepReport r;
    r.metrics.emplace_back("grad_norm", clip_grad_norm(model_->parameters(), 10.0));
    opt_.step();
    r.loss = loss.item<double>();
    return r;
  }
  void save(const std::string& path, int64_t step) override {
    ckpt::Value root = ckpt::Value::dict();
    root.set("step", step);
    ckpt::Value sd = ckpt::Value::dict(true);
    for (const auto& kv : model_->named_parameters()) sd.set(kv.key(), kv.value().detach());
    root.set("model_state", sd);
    root.set("optimizer_state", adam_state_dict(opt_));
    ckpt::save(path, root);
    ++saves;
  }
  int resumes = 0, saves = 0;

 private:
  torch::nn::Linear model_;
  torch::optim::Adam opt_;
  at::Tensor x_, y_;
};

}  // namespace

TEST_CASE("the loop saves on cadence, keeps backups, and resumes where it stopped") {
  std::string dir = vctest::scratch_dir("train_resume");
  TrainOptions o;
  o.run_dir = dir;
  o.max_steps = 60;
  o.save_every = 20;
  o.backup_every = 25;
  o.log_every = 10;
  LineTask a;
  TrainResult r1 = train(a, o);
  CHECK(r1.start_step == 0);
  CHECK(r1.end_step == 60);
  CHECK(a.saves == 3 + 2);  // steps 20, 40, 60 + backups at 25, 50
  CHECK(fs::exists(dir + "/line.pt"));
  CHECK(fs::exists(dir + "/backups/line_000000025.pt"));
  CHECK(fs::exists(dir + "/train_log.csv"));
  REQUIRE(r1.losses.size() == 60);
  CHECK(r1.losses.back().second < r1.losses.front().second / 10);

  LineTask b;  // a fresh process would start like this
  o.max_steps = 90;
  TrainResult r2 = train(b, o);
  CHECK(b.resumes == 1);
  CHECK(r2.start_step == 60);
  CHECK(r2.end_step == 90);
  // The optimiser state came back too: the first resumed step continues the curve instead of jumping.
  CHECK(r2.losses.front().second <= r1.losses.back().second * 1.5);

  LineTask c;
  TrainResult r3 = train(c, o);  // already at max_steps
  CHECK(r3.start_step == 90);
  CHECK(r3.losses.empty());

  o.force_restart = true;
  LineTask d;
  TrainResult r4 = train(d, o);
  CHECK(d.resumes == 0);
  CHECK(r4.start_step == 0);
  int moved = 0;
  for (const auto& e : fs::directory_iterator(dir + "/backups"))
    moved += e.path().filename().string().rfind("line_before_restart_", 0) == 0;
  CHECK(moved == 1);
}

TEST_CASE("bad training options are user errors") {
  LineTask t;
  TrainOptions o;
  CHECK_THROWS_AS(train(t, o), UserError);
  o.run_dir = vctest::scratch_dir("train_bad");
  CHECK_THROWS_AS(train(t, o), UserError);  // max_steps 0
}

TEST_CASE("clip_grad_norm returns the total norm and scales as PyTorch does") {
  auto a = torch::zeros({2}, torch::requires_grad());
  auto b = torch::zeros({1}, torch::requires_grad());
  a.mutable_grad() = torch::tensor({3.0f, 0.0f});
  b.mutable_grad() = torch::tensor({4.0f});
  double n = clip_grad_norm({a, b}, 1.0);
  CHECK(n == Approx(5.0));
  // coef = 1 / (5 + 1e-6)
  CHECK(a.grad()[0].item<float>() == Approx(3.0 / (5.0 + 1e-6)).epsilon(1e-6));
  CHECK(b.grad()[0].item<float>() == Approx(4.0 / (5.0 + 1e-6)).epsilon(1e-6));
  CHECK(clip_grad_norm({a, b}, 10.0) == Approx(1.0).epsilon(1e-5));  // below max: unchanged
  CHECK(a.grad()[0].item<float>() == Approx(3.0 / (5.0 + 1e-6)).epsilon(1e-6));
}

TEST_CASE("an Adam state written here continues identically in Python's torch.optim.Adam") {
  std::string python = vctest::python_with_torch_or_skip();
  std::string dir = vctest::scratch_dir("train_adam_python");
  torch::manual_seed(3);
  torch::nn::Linear model(3, 2);
  torch::optim::Adam opt(model->parameters(), torch::optim::AdamOptions(0.01).betas({0.8, 0.95}).eps(1e-6));
  auto x = torch::randn({5, 3});
  for (int i = 0; i < 3; ++i) {  // populate the moments
    opt.zero_grad();
    model->forward(x).pow(2).sum().backward();
    opt.step();
  }
  ckpt::Value root = ckpt::Value::dict();
  ckpt::Value sd = ckpt::Value::dict(true);
  for (const auto& kv : model->named_parameters()) sd.set(kv.key(), kv.value().detach().clone());
  root.set("model_state", sd);
  root.set("optimizer_state", adam_state_dict(opt));
  ckpt::save(dir + "/model.pt", root);

  // One more step, here and in Python, with the same given gradient.
  auto gw = torch::randn({2, 3});
  auto gb = torch::randn({2});
  ckpt::Value grads = ckpt::Value::dict();
  grads.set("weight", gw);
  grads.set("bias", gb);
  ckpt::save(dir + "/grads.pt", grads);
  std::string out;
  int rc = vctest::run_command(python + " " + VOXCLONE_TRAIN_TEST_DIR + "/adam_step.py " + dir + "/model.pt " + dir +
                                   "/grads.pt " + dir + "/ref.pt",
                               &out);
  INFO(out);
  REQUIRE(rc == 0);

  // Reload into a fresh optimiser, as a resumed run does.
  torch::nn::Linear again(3, 2);
  torch::optim::Adam opt2(again->parameters(), torch::optim::AdamOptions(0.5));
  auto loaded = ckpt::load(dir + "/model.pt");
  ckpt::load_into_module(*again, loaded.at("model_state"));
  load_adam_state_dict(opt2, loaded.at("optimizer_state"));
  again->weight.mutable_grad() = gw.clone();
  again->bias.mutable_grad() = gb.clone();
  opt2.step();

  auto ref = vctest::load_pt_dict(dir + "/ref.pt");
  CHECK(vctest::max_abs_diff(again->weight.detach(), ref["weight"]) < 1e-7);
  CHECK(vctest::max_abs_diff(again->bias.detach(), ref["bias"]) < 1e-7);
  CHECK(ref["step_w"].item<float>() == 4.0f);
  CHECK(ref["lr"].item<double>() == Approx(0.01));
  auto resaved = adam_state_dict(opt2);
  const auto& st0 = resaved.at("state").items().front().second;
  CHECK(vctest::max_abs_diff(st0.at("exp_avg").as_tensor(), ref["exp_avg_w"]) < 1e-7);
  CHECK(vctest::max_abs_diff(st0.at("exp_avg_sq").as_tensor(), ref["exp_avg_sq_w"]) < 1e-7);
}
