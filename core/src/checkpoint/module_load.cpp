// load_into_module: copies a checkpoint's state dict into a torch::nn::Module's parameters and buffers by
// name.
#include <torch/nn/module.h>

#include <map>
#include <sstream>

#include "checkpoint/value_node.h"
#include "voxclone/error.h"

namespace voxclone::ckpt {

LoadReport load_into_module(torch::nn::Module& module, const Value& state_dict, bool strict) {
  std::map<std::string, at::Tensor> given;
  for (auto& [name, t] : flatten_state_dict(state_dict)) given[name] = t;

  std::vector<std::pair<std::string, at::Tensor>> targets;
  for (const auto& p : module.named_parameters(/*recurse=*/true)) targets.emplace_back(p.key(), p.value());
  for (const auto& b : module.named_buffers(/*recurse=*/true)) targets.emplace_back(b.key(), b.value());

  LoadReport report;
  std::vector<std::pair<at::Tensor, at::Tensor>> copies;  // (destination, source)
  std::map<std::string, bool> seen;
  for (auto& [name, dst] : targets) {
    seen[name] = true;
    auto it = given.find(name);
    if (it == given.end()) {
      report.missing.push_back(name);
      continue;
    }
    const at::Tensor& src = it->second;
    if (src.sizes() != dst.sizes() || src.scalar_type() != dst.scalar_type()) {
      report.mismatched.push_back(name + ": checkpoint " + tensor_summary(src) + " vs module " +
                                  tensor_summary(dst));
      continue;
    }
    copies.emplace_back(dst, src);
  }
  for (const auto& [name, t] : given)
    if (!seen.count(name)) report.unexpected.push_back(name);

  if (strict && !report.ok()) throw UserError("state dict does not match the model: " + report.to_string());
  at::NoGradGuard no_grad;
  for (auto& [dst, src] : copies) dst.copy_(src);
  return report;
}

}  // namespace voxclone::ckpt
