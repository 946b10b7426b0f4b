// PyTorch-format optimiser state for Adam/AdamW, and clip_grad_norm_ as PyTorch 1.13 computes it.
#include <ATen/ATen.h>
#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>

#include <cmath>

#include "voxclone/error.h"
#include "voxclone/train.h"

namespace voxclone {

namespace {

struct AdamLike {
  double lr, beta1, beta2, eps, weight_decay;
  bool amsgrad;
};

AdamLike options_of(torch::optim::OptimizerOptions& o) {
  if (auto* a = dynamic_cast<torch::optim::AdamOptions*>(&o))
    return {a->lr(), std::get<0>(a->betas()), std::get<1>(a->betas()), a->eps(), a->weight_decay(), a->amsgrad()};
  if (auto* w = dynamic_cast<torch::optim::AdamWOptions*>(&o))
    return {w->lr(), std::get<0>(w->betas()), std::get<1>(w->betas()), w->eps(), w->weight_decay(), w->amsgrad()};
  throw InternalError("adam_state_dict: the optimizer is neither Adam nor AdamW");
}

// As torch.optim.Optimizer.load_state_dict: the saved group hyper-parameters replace the constructor's.
void set_options(torch::optim::OptimizerOptions& o, const ckpt::Value& g, double lr) {
  const auto& betas = g.at("betas").elements();
  if (betas.size() != 2) throw UserError("optimizer state: 'betas' must hold two numbers");
  std::tuple<double, double> b{betas[0].as_float(), betas[1].as_float()};
  double eps = g.at("eps").as_float(), wd = g.at("weight_decay").as_float();
  bool amsgrad = g.find("amsgrad") ? g.at("amsgrad").as_bool() : false;
  if (auto* a = dynamic_cast<torch::optim::AdamOptions*>(&o)) a->lr(lr).betas(b).eps(eps).weight_decay(wd).amsgrad(amsgrad);
  if (auto* w = dynamic_cast<torch::optim::AdamWOptions*>(&o)) w->lr(lr).betas(b).eps(eps).weight_decay(wd).amsgrad(amsgrad);
}

std::string key_of(const at::Tensor& p) { return c10::guts::to_string(p.unsafeGetTensorImpl()); }

// Reads/writes the per-parameter state whatever the optimiser class (the two state classes share fields).
struct ParamState {
  int64_t step = 0;
  at::Tensor exp_avg, exp_avg_sq, max_exp_avg_sq;
};

bool get_state(torch::optim::Optimizer& opt, const at::Tensor& p, ParamState& out) {
  auto it = opt.state().find(key_of(p));
  if (it == opt.state().end()) return false;
  if (auto* a = dynamic_cast<torch::optim::AdamParamState*>(it->second.get())) {
    out = {a->step(), a->exp_avg(), a->exp_avg_sq(), a->max_exp_avg_sq()};
    return true;
  }
  if (auto* w = dynamic_cast<torch::optim::AdamWParamState*>(it->second.get())) {
    out = {w->step(), w->exp_avg(), w->exp_avg_sq(), w->max_exp_avg_sq()};
    return true;
  }
  return false;
}

void put_state(torch::optim::Optimizer& opt, const at::Tensor& p, const ParamState& s, bool adamw) {
  if (adamw) {
    auto st = std::make_unique<torch::optim::AdamWParamState>();
    st->step(s.step);
    st->exp_avg(s.exp_avg);
    st->exp_avg_sq(s.exp_avg_sq);
    if (s.max_exp_avg_sq.defined()) st->max_exp_avg_sq(s.max_exp_avg_sq);
    opt.state()[key_of(p)] = std::move(st);
  } else {
    auto st = std::make_unique<torch::optim::AdamParamState>();
    st->step(s.step);
    st->exp_avg(s.exp_avg);
    st->exp_avg_sq(s.exp_avg_sq);
    if (s.max_exp_avg_sq.defined()) st->max_exp_avg_sq(s.max_exp_avg_sq);
    opt.state()[key_of(p)] = std::move(st);
  }
}

}  // namespace

ckpt::Value adam_state_dict(torch::optim::Optimizer& opt) {
  ckpt::Value state = ckpt::Value::dict();
  ckpt::Value groups = ckpt::Value::list();
  int64_t index = 0;
  for (auto& group : opt.param_groups()) {
    AdamLike o = options_of(group.options());
    ckpt::Value g = ckpt::Value::dict();
    g.set("lr", o.lr);
    g.set("betas", ckpt::Value::tuple({o.beta1, o.beta2}));
    g.set("eps", o.eps);
    g.set("weight_decay", o.weight_decay);
    g.set("amsgrad", o.amsgrad);
    g.set("maximize", false);
    g.set("foreach", ckpt::Value());
    g.set("capturable", false);
    g.set("differentiable", false);
    g.set("fused", false);
    ckpt::Value ids = ckpt::Value::list();
    for (const auto& p : group.params()) {
      ParamState s;
      if (get_state(opt, p, s)) {
        ckpt::Value ps = ckpt::Value::dict();
        // PyTorch >= 1.12 keeps the step as a 0-dim float tensor.
        ps.set("step", at::scalar_tensor(double(s.step), at::kFloat));
        ps.set("exp_avg", s.exp_avg.detach().cpu());
        ps.set("exp_avg_sq", s.exp_avg_sq.detach().cpu());
        if (o.amsgrad && s.max_exp_avg_sq.defined()) ps.set("max_exp_avg_sq", s.max_exp_avg_sq.detach().cpu());
        state.set(ckpt::Value(index), ps);
      }
      ids.append(ckpt::Value(index));
      ++index;
    }
    g.set("params", ids);
    groups.append(g);
  }
  ckpt::Value out = ckpt::Value::dict();
  out.set("state", state);
  out.set("param_groups", groups);
  return out;
}

void load_adam_state_dict(torch::optim::Optimizer& opt, const ckpt::Value& sd, double reset_lr) {
  const auto& groups = sd.at("param_groups").elements();
  if (groups.size() != opt.param_groups().size())
    throw UserError("optimizer state has " + std::to_string(groups.size()) + " parameter groups, the model " +
                    std::to_string(opt.param_groups().size()));
  // Index → saved per-parameter state.
  std::map<int64_t, const ckpt::Value*> saved;
  for (const auto& [k, v] : sd.at("state").items()) saved[k.as_int()] = &v;
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    auto& group = opt.param_groups()[gi];
    const auto& ids = groups[gi].at("params").elements();
    if (ids.size() != group.params().size())
      throw UserError("optimizer state group " + std::to_string(gi) + " has " + std::to_string(ids.size()) +
                      " parameters, the model " + std::to_string(group.params().size()));
    const bool adamw = dynamic_cast<torch::optim::AdamWOptions*>(&group.options()) != nullptr;
    double lr = reset_lr > 0 ? reset_lr : groups[gi].at("lr").as_float();
    set_options(group.options(), groups[gi], lr);
    for (size_t i = 0; i < ids.size(); ++i) {
      const at::Tensor& p = group.params()[i];
      auto it = saved.find(ids[i].as_int());
      if (it == saved.end()) continue;  // never stepped
      const ckpt::Value& ps = *it->second;
      ParamState s;
      const ckpt::Value& step = ps.at("step");
      s.step = step.is_tensor() ? int64_t(std::llround(step.as_tensor().item<double>())) : step.as_int();
      s.exp_avg = ps.at("exp_avg").as_tensor().to(p.options()).clone();
      s.exp_avg_sq = ps.at("exp_avg_sq").as_tensor().to(p.options()).clone();
      if (const auto* m = ps.find("max_exp_avg_sq")) s.max_exp_avg_sq = m->as_tensor().to(p.options()).clone();
      if (!s.exp_avg.sizes().equals(p.sizes()) || !s.exp_avg_sq.sizes().equals(p.sizes()))
        throw UserError("optimizer state of parameter " + std::to_string(ids[i].as_int()) +
                        " has the wrong shape for the model");
      put_state(opt, p, s, adamw);
    }
  }
}

double clip_grad_norm(const std::vector<at::Tensor>& parameters, double max_norm) {
  std::vector<at::Tensor> grads;
  for (const auto& p : parameters)
    if (p.grad().defined()) grads.push_back(p.grad());
  if (grads.empty()) return 0.0;
  std::vector<at::Tensor> norms;
  norms.reserve(grads.size());
  for (const auto& g : grads) norms.push_back(at::linalg_vector_norm(g.detach(), 2));
  at::Tensor total = at::linalg_vector_norm(at::stack(norms), 2);
  at::Tensor coef = at::clamp_max(max_norm / (total + 1e-6), 1.0);
  for (auto& g : grads) g.detach().mul_(coef.to(g.device()));
  return total.item<double>();
}

}  // namespace voxclone
