// Internal layout of ckpt::Value nodes, shared by the reader, writer and helpers of the checkpoint module.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "voxclone/checkpoint.h"

namespace voxclone::ckpt {

/// Objects that exist only while unpickling (classes named by GLOBAL, storages from persistent ids).
/// They must never reach a returned tree; the reader checks.
enum class Hidden { None, Global, Storage };

struct Value::Node {
  Kind kind = Kind::None;
  Hidden hidden = Hidden::None;
  bool b = false;
  int64_t i = 0;
  double f = 0.0;
  std::string s;  // Str; for Hidden::Global "module.name"; for Hidden::Storage its key
  at::Tensor t;   // Tensor; for Hidden::Storage the 1-D storage tensor
  std::vector<Value> elems;
  Items items;
  bool ordered = false;
  std::unordered_map<std::string, std::size_t> index;  // dict key -> position in items
};

/// Lets module code build and inspect nodes directly.
struct ValueAccess {
  static Value make(std::shared_ptr<Value::Node> n) {
    Value v;
    v.node_ = std::move(n);
    return v;
  }
  static Value::Node* node(const Value& v) { return v.node_.get(); }
  static const std::shared_ptr<Value::Node>& shared(const Value& v) { return v.node_; }
};

/// Dict key identity: "s<text>" for str, "i<number>" for int; UserError for other key kinds.
std::string dict_key_id(const Value& key);

/// "[2, 3] float32"-style summary of a tensor.
std::string tensor_summary(const at::Tensor& t);
/// Python-ish name of a dtype ("float32", "int64", ...).
std::string dtype_name(const at::Tensor& t);

}  // namespace voxclone::ckpt
