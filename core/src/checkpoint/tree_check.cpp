// Validation of an unpickled object graph: acyclic, bounded depth and expanded size, no hidden nodes left.
#include <unordered_map>
#include <unordered_set>

#include "checkpoint/pickle_reader.h"
#include "voxclone/error.h"

namespace voxclone::ckpt {

namespace {

using Kind = Value::Kind;

// Checks the returned object: acyclic, bounded depth and expanded size, no hidden nodes.
struct TreeCheck {
  const std::string& where;
  const PickleLimits& limits;
  std::unordered_map<const Value::Node*, uint64_t> done;  // node -> expanded size
  std::unordered_set<const Value::Node*> on_path;
  std::unordered_map<const Value::Node*, std::size_t> height;

  uint64_t visit(const Value& v, std::size_t depth) {
    const Value::Node* n = ValueAccess::node(v);
    if (!n) return 1;
    if (n->hidden == Hidden::Global) throw UserError(where + ": the pickle returns a class object, not data");
    if (n->hidden == Hidden::Storage) throw UserError(where + ": the pickle returns a bare storage");
    if (n->kind != Kind::List && n->kind != Kind::Tuple && n->kind != Kind::Dict) return 1;
    auto it = done.find(n);
    if (it != done.end()) {
      if (depth + height[n] > limits.max_depth) throw UserError(where + ": nesting too deep");
      return it->second;
    }
    if (depth > limits.max_depth)
      throw UserError(where + ": nesting deeper than " + std::to_string(limits.max_depth) + " levels");
    if (!on_path.insert(n).second) throw UserError(where + ": the object graph has a cycle");
    uint64_t total = 1;
    std::size_t h = 0;
    auto child = [&](const Value& c) {
      total += visit(c, depth + 1);
      if (total > limits.max_expanded) throw UserError(where + ": object tree too large");
      const Value::Node* cn = ValueAccess::node(c);
      auto hit = cn ? height.find(cn) : height.end();
      h = std::max<std::size_t>(h, 1 + (hit == height.end() ? 0 : hit->second));
    };
    for (const auto& e : n->elems) child(e);
    for (const auto& [k, val] : n->items) {
      child(k);
      child(val);
    }
    on_path.erase(n);
    done[n] = total;
    height[n] = h;
    return total;
  }
};

}  // namespace

std::unordered_set<const Value::Node*> check_tree(const Value& root, const std::string& where,
                                                  const PickleLimits& limits) {
  TreeCheck check{where, limits, {}, {}, {}};
  check.visit(root, 0);
  std::unordered_set<const Value::Node*> reachable;
  for (const auto& [n, size] : check.done) reachable.insert(n);
  return reachable;
}

}  // namespace voxclone::ckpt
