// ckpt::Value: the checkpoint tree (constructors, typed accessors, dict/list editing) and flatten_state_dict.
#include <c10/core/ScalarType.h>

#include <sstream>

#include "checkpoint/value_node.h"
#include "voxclone/error.h"
#include "voxclone/dtype.h"

namespace voxclone::ckpt {

namespace {

std::shared_ptr<Value::Node> new_node(Value::Kind k) {
  auto n = std::make_shared<Value::Node>();
  n->kind = k;
  return n;
}

[[noreturn]] void wrong_kind(const char* wanted, Value::Kind got) {
  throw UserError(std::string("checkpoint value: expected ") + wanted + ", found " + Value::kind_name(got));
}

}  // namespace

Value::Value() = default;
Value::Value(bool b) : node_(new_node(Kind::Bool)) { node_->b = b; }
Value::Value(int64_t v) : node_(new_node(Kind::Int)) { node_->i = v; }
Value::Value(double v) : node_(new_node(Kind::Float)) { node_->f = v; }
Value::Value(std::string s) : node_(new_node(Kind::Str)) { node_->s = std::move(s); }
Value::Value(at::Tensor t) : node_(new_node(Kind::Tensor)) {
  if (!t.defined()) throw UserError("checkpoint value: undefined tensor");
  node_->t = std::move(t);
}

Value Value::list(std::vector<Value> items) {
  auto n = new_node(Kind::List);
  n->elems = std::move(items);
  return ValueAccess::make(std::move(n));
}

Value Value::tuple(std::vector<Value> items) {
  auto n = new_node(Kind::Tuple);
  n->elems = std::move(items);
  return ValueAccess::make(std::move(n));
}

Value Value::dict(bool ordered) {
  auto n = new_node(Kind::Dict);
  n->ordered = ordered;
  return ValueAccess::make(std::move(n));
}

Value::Kind Value::kind() const { return node_ ? node_->kind : Kind::None; }
bool Value::ordered() const { return kind() == Kind::Dict && node_->ordered; }

bool Value::as_bool() const {
  if (kind() != Kind::Bool) wrong_kind("bool", kind());
  return node_->b;
}
int64_t Value::as_int() const {
  if (kind() != Kind::Int) wrong_kind("int", kind());
  return node_->i;
}
double Value::as_float() const {
  if (kind() == Kind::Int) return static_cast<double>(node_->i);
  if (kind() != Kind::Float) wrong_kind("float", kind());
  return node_->f;
}
const std::string& Value::as_str() const {
  if (kind() != Kind::Str) wrong_kind("str", kind());
  return node_->s;
}
const at::Tensor& Value::as_tensor() const {
  if (kind() != Kind::Tensor) wrong_kind("tensor", kind());
  return node_->t;
}
const std::vector<Value>& Value::elements() const {
  if (kind() != Kind::List && kind() != Kind::Tuple) wrong_kind("list or tuple", kind());
  return node_->elems;
}
const Value::Items& Value::items() const {
  if (kind() != Kind::Dict) wrong_kind("dict", kind());
  return node_->items;
}

const Value* Value::find(const std::string& key) const {
  if (kind() != Kind::Dict) return nullptr;
  auto it = node_->index.find("s" + key);
  return it == node_->index.end() ? nullptr : &node_->items[it->second].second;
}

const Value& Value::at(const std::string& key) const {
  if (kind() != Kind::Dict) wrong_kind("dict", kind());
  if (const Value* v = find(key)) return *v;
  throw UserError("checkpoint: key '" + key + "' not found");
}

std::string dict_key_id(const Value& key) {
  switch (key.kind()) {
    case Value::Kind::Str:
      return "s" + key.as_str();
    case Value::Kind::Int:
      return "i" + std::to_string(key.as_int());
    default:
      throw UserError(std::string("checkpoint: dict keys must be str or int, found ") +
                      Value::kind_name(key.kind()));
  }
}

void Value::set(const Value& key, const Value& value) {
  if (kind() != Kind::Dict) wrong_kind("dict", kind());
  std::string id = dict_key_id(key);
  auto it = node_->index.find(id);
  if (it != node_->index.end()) {
    node_->items[it->second].second = value;
    return;
  }
  node_->index.emplace(std::move(id), node_->items.size());
  node_->items.emplace_back(key, value);
}

void Value::append(const Value& value) {
  if (kind() != Kind::List) wrong_kind("list", kind());
  node_->elems.push_back(value);
}

const char* Value::kind_name(Kind k) {
  switch (k) {
    case Kind::None:
      return "None";
    case Kind::Bool:
      return "bool";
    case Kind::Int:
      return "int";
    case Kind::Float:
      return "float";
    case Kind::Str:
      return "str";
    case Kind::Tensor:
      return "tensor";
    case Kind::List:
      return "list";
    case Kind::Tuple:
      return "tuple";
    case Kind::Dict:
      return "dict";
  }
  return "?";
}

std::string dtype_name(const at::Tensor& t) { return voxclone::dtype_name(t.scalar_type()); }

std::string tensor_summary(const at::Tensor& t) {
  std::ostringstream os;
  os << "[";
  for (int64_t d = 0; d < t.dim(); ++d) os << (d ? ", " : "") << t.size(d);
  os << "] " << dtype_name(t);
  return os.str();
}

namespace {

// Trees handed to these helpers come from the reader (depth-checked, acyclic) or from callers; the depth
// bound keeps a hand-built cycle from overflowing the stack.
void flatten_into(const Value& v, const std::string& name, int depth,
                  std::vector<std::pair<std::string, at::Tensor>>& out) {
  if (depth > 512) throw UserError("checkpoint: tree nested deeper than 512 levels (or cyclic)");
  auto join = [&](const std::string& k) { return name.empty() ? k : name + "." + k; };
  switch (v.kind()) {
    case Value::Kind::Tensor:
      out.emplace_back(name, v.as_tensor());
      break;
    case Value::Kind::Dict:
      for (const auto& [k, sub] : v.items())
        flatten_into(sub, join(k.kind() == Value::Kind::Str ? k.as_str() : std::to_string(k.as_int())),
                     depth + 1, out);
      break;
    case Value::Kind::List:
    case Value::Kind::Tuple: {
      const auto& e = v.elements();
      for (std::size_t i = 0; i < e.size(); ++i) flatten_into(e[i], join(std::to_string(i)), depth + 1, out);
      break;
    }
    default:
      break;
  }
}

}  // namespace

std::vector<std::pair<std::string, at::Tensor>> flatten_state_dict(const Value& v,
                                                                   const std::string& prefix) {
  std::vector<std::pair<std::string, at::Tensor>> out;
  flatten_into(v, prefix, 0, out);
  return out;
}

std::string LoadReport::to_string() const {
  std::ostringstream os;
  auto list = [&](const char* what, const std::vector<std::string>& v) {
    if (v.empty()) return;
    if (os.tellp() > 0) os << "; ";
    os << what << " (" << v.size() << "): ";
    for (std::size_t i = 0; i < v.size(); ++i) os << (i ? ", " : "") << v[i];
  };
  list("missing", missing);
  list("unexpected", unexpected);
  list("mismatched", mismatched);
  return os.str();
}

}  // namespace voxclone::ckpt
