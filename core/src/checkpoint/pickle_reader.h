// The restricted unpickler: the subset of pickle protocols 2-5 that torch.save emits, with an allow-list of
// globals and bounds on every index, length and depth. Nothing is ever imported or executed.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

#include "checkpoint/value_node.h"

namespace voxclone::ckpt {

struct PickleLimits {
  std::size_t max_memo = 1u << 22;            // memo entries
  std::size_t max_depth = 200;                // nesting of the returned tree
  uint64_t max_expanded = uint64_t{1} << 24;  // nodes of the tree with shared subtrees counted each time
  std::size_t max_dims = 64;                  // tensor rank
};

/// Called for BINPERSID with the persistent id (a tuple); must return a storage node (make_storage_node).
using PersistentLoad = std::function<Value(const Value& pid)>;

/// Runs one pickle starting at data[0]; `consumed()` tells where it ended (legacy files hold several).
class Unpickler {
 public:
  Unpickler(const unsigned char* data, std::size_t size, std::string where, PersistentLoad persistent_load,
            PickleLimits limits = {});
  ~Unpickler();
  Unpickler(const Unpickler&) = delete;
  Unpickler& operator=(const Unpickler&) = delete;

  /// The object, validated (acyclic, depth and size bounded, no classes or bare storages left in it).
  /// Integers wider than 64 bits are refused unless `allow_big_int`, which returns them as "0x<hex>" strings
  /// (the legacy format's magic number is one).
  Value load(bool allow_big_int = false);
  std::size_t consumed() const { return pos_; }

 private:
  struct Impl;
  const unsigned char* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
  std::string where_;
  PersistentLoad persistent_load_;
  PickleLimits limits_;
  std::vector<std::shared_ptr<Value::Node>> arena_;  // every container made, to break cycles on the way out
};

/// A storage node for persistent_load: `storage` is a 1-D tensor of the storage's dtype and length.
Value make_storage_node(const std::string& key, at::Tensor storage);

/// Maps torch's storage class names ("FloatStorage", ...) to their dtype; false when unknown.
bool storage_dtype(const std::string& cls, at::ScalarType& out);

/// A view of `storage` (1-D) with the given offset, sizes and strides, after checking every element lies
/// inside it; UserError (with `where`) otherwise.
at::Tensor make_view(const at::Tensor& storage, int64_t offset, const std::vector<int64_t>& sizes,
                     const std::vector<int64_t>& strides, const std::string& where);

/// Checks an unpickled object (acyclic, depth and expanded size within `limits`, no class objects or bare
/// storages); UserError otherwise. Returns the containers reachable from `root`.
std::unordered_set<const Value::Node*> check_tree(const Value& root, const std::string& where,
                                                  const PickleLimits& limits);

}  // namespace voxclone::ckpt
