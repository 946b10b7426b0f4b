// PyTorch checkpoints (torch.save, zip and legacy formats) read and written without Python or
// torch::pickle_load.
//
// Usage:
//   auto ckpt = voxclone::ckpt::load("encoder.pt");              // any torch.save file, storages on CPU
//   int64_t step = ckpt.at("step").as_int();
//   auto params = voxclone::ckpt::flatten_state_dict(ckpt.at("model_state"));   // name -> tensor, in order
//   voxclone::ckpt::load_into_module(model, ckpt.at("model_state"));          // throws listing every problem
//   voxclone::ckpt::save("out.pt", ckpt);                        // zip format, readable by Python's
//   torch.load
//
// Reading never executes anything: the pickle machine only knows the globals torch.save emits for tensors,
// state dicts and optimizer states; any other global, a malformed or truncated file, a tensor view outside
// its storage, absurd sizes or nesting raise voxclone::UserError naming the file and the problem.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace torch::nn {
class Module;
}

namespace voxclone::ckpt {

/// One node of a checkpoint: None, bool, int, float, str, tensor, list, tuple or dict (ordered; keys are
/// str or int). Copies share containers (like Python references); use the factory functions to build trees.
class Value {
 public:
  enum class Kind { None, Bool, Int, Float, Str, Tensor, List, Tuple, Dict };
  using Items = std::vector<std::pair<Value, Value>>;

  Value();  ///< None
  Value(bool b);
  Value(int v) : Value(static_cast<int64_t>(v)) {}
  Value(int64_t v);
  Value(double v);
  Value(const char* s) : Value(std::string(s)) {}
  Value(std::string s);
  Value(at::Tensor t);
  static Value list(std::vector<Value> items = {});
  static Value tuple(std::vector<Value> items = {});
  /// `ordered` = collections.OrderedDict (what state_dict() returns), else a plain dict. Same behaviour here;
  /// the writer keeps the distinction so Python gets back the type it saved.
  static Value dict(bool ordered = false);

  Kind kind() const;
  bool is_none() const { return kind() == Kind::None; }
  bool is_dict() const { return kind() == Kind::Dict; }
  bool is_tensor() const { return kind() == Kind::Tensor; }
  bool ordered() const;  ///< dict only: was/is a collections.OrderedDict

  // Accessors throw UserError when the kind differs (the message says what was expected and found).
  bool as_bool() const;
  int64_t as_int() const;
  double as_float() const;  ///< also accepts ints
  const std::string& as_str() const;
  const at::Tensor& as_tensor() const;
  const std::vector<Value>& elements() const;  ///< list or tuple
  const Items& items() const;                  ///< dict, in insertion order

  /// Dict lookup by string key: nullptr when absent (or when this is not a dict).
  const Value* find(const std::string& key) const;
  /// Dict lookup by string key; UserError when absent.
  const Value& at(const std::string& key) const;
  /// Dict insert or replace (keys: str or int); list append.
  void set(const Value& key, const Value& value);
  void append(const Value& value);

  static const char* kind_name(Kind k);

  struct Node;

 private:
  std::shared_ptr<Node> node_;
  friend struct ValueAccess;
};

/// Reads a torch.save file (zip format of torch ≥ 1.6, any archive folder name; or the legacy format).
/// Every storage lands on the CPU whatever its saved location (cuda:N included).
Value load(const std::string& path);
/// The same from memory; `name` is used in error messages.
Value load_from_memory(const void* data, std::size_t size, const std::string& name = "<memory>");

/// Writes `root` in torch's zip format (protocol 2 pickle, archive/data.pkl, archive/data/N, version 3)
/// atomically (temporary file + rename). Tensors sharing a storage are written once and stay views.
/// Supported: None, bool, int, float, str, tensor (float32/16, bfloat16, float64, int64/32/16/8, uint8,
/// bool), list, tuple, dict and OrderedDict. Non-CPU tensors are copied to the CPU first.
void save(const std::string& path, const Value& root);
/// The same into a byte buffer.
std::vector<char> save_to_memory(const Value& root);

/// (name, tensor) for every tensor under `v`, depth first in order; nested keys joined with '.', list and
/// tuple elements named by index. `prefix` is prepended (with a '.' when non-empty).
std::vector<std::pair<std::string, at::Tensor>> flatten_state_dict(const Value& v,
                                                                   const std::string& prefix = "");

/// What load_into_module found.
struct LoadReport {
  std::vector<std::string> missing;     ///< in the module, not in the state dict
  std::vector<std::string> unexpected;  ///< in the state dict, not in the module
  std::vector<std::string> mismatched;  ///< "name: checkpoint [a, b] vs module [c, d]" (shape or dtype)
  bool ok() const { return missing.empty() && unexpected.empty() && mismatched.empty(); }
  std::string to_string() const;
};

/// Copies `state_dict` (flattened) into the module's parameters and buffers by name, without autograd.
/// strict (default): any missing, unexpected or mismatched key throws one UserError listing all of them and
/// the module is left unchanged. Lenient: copies what matches and returns the report.
LoadReport load_into_module(torch::nn::Module& module, const Value& state_dict, bool strict = true);

/// Cheap sniff (first bytes only): a torch zip archive whose first entry is <folder>/data.pkl, or a legacy
/// torch.save file. False for unreadable files.
bool is_torch_checkpoint(const std::string& path);

/// The text `voxclone info` prints: format, recognised layout (RTVC encoder / synthesizer / vocoder,
/// MockingBird HiFi-GAN), step, then the tree with every key, shape and dtype.
std::string describe_checkpoint(const std::string& path);

}  // namespace voxclone::ckpt
