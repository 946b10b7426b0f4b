// Restricted unpickler for torch.save data: the opcode loop, allow-listed globals and tensor rebuilding.
#include "checkpoint/pickle_reader.h"

#include <ATen/ATen.h>

#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "voxclone/error.h"

namespace voxclone::ckpt {

namespace {

using Node = Value::Node;
using Kind = Value::Kind;

// What an allow-listed GLOBAL resolves to.
enum class Callable {
  OrderedDict,
  RebuildTensorV2,
  RebuildTensor,
  RebuildParameter,
  RebuildParameterState,
  Storage,
  Size,
  Device,
  Set
};

struct GlobalInfo {
  Callable c;
  at::ScalarType dtype = at::kByte;
};

const std::unordered_map<std::string, std::string>& dtype_objects() {
  static const std::unordered_map<std::string, std::string> m = {
      {"float32", "float32"},   {"float", "float32"},   {"float16", "float16"}, {"half", "float16"},
      {"bfloat16", "bfloat16"}, {"float64", "float64"}, {"double", "float64"},  {"int64", "int64"},
      {"long", "int64"},        {"int32", "int32"},     {"int", "int32"},       {"int16", "int16"},
      {"short", "int16"},       {"int8", "int8"},       {"uint8", "uint8"},     {"bool", "bool"}};
  return m;
}

}  // namespace

struct Unpickler::Impl {
  Unpickler& u;
  bool allow_big_int;
  std::vector<Value> stack;
  std::vector<std::size_t> marks;
  std::unordered_map<uint64_t, Value> memo;

  [[noreturn]] void fail(const std::string& what) const {
    throw UserError(u.where_ + ": " + what + " (pickle byte " + std::to_string(u.pos_) + ")");
  }

  const unsigned char* take(std::size_t n) {
    if (u.size_ - u.pos_ < n) fail("truncated pickle");
    const unsigned char* p = u.data_ + u.pos_;
    u.pos_ += n;
    return p;
  }
  uint64_t le(std::size_t n) {
    const unsigned char* p = take(n);
    uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
    return v;
  }
  std::string line() {
    const void* nl = std::memchr(u.data_ + u.pos_, '\n', u.size_ - u.pos_);
    if (!nl) fail("unterminated text argument");
    std::size_t n = static_cast<std::size_t>(static_cast<const unsigned char*>(nl) - (u.data_ + u.pos_));
    if (n > 1024) fail("text argument too long");
    std::string s(reinterpret_cast<const char*>(u.data_ + u.pos_), n);
    u.pos_ += n + 1;
    return s;
  }

  std::shared_ptr<Node> container(Kind k) {
    auto n = std::make_shared<Node>();
    n->kind = k;
    u.arena_.push_back(n);
    return n;
  }

  Value pop() {
    if (stack.empty() || (!marks.empty() && stack.size() <= marks.back())) fail("stack underflow");
    Value v = std::move(stack.back());
    stack.pop_back();
    return v;
  }
  Value& top() {
    if (stack.empty() || (!marks.empty() && stack.size() <= marks.back())) fail("stack underflow");
    return stack.back();
  }
  std::vector<Value> pop_mark() {
    if (marks.empty()) fail("no MARK on the stack");
    std::size_t m = marks.back();
    marks.pop_back();
    std::vector<Value> out(std::make_move_iterator(stack.begin() + static_cast<std::ptrdiff_t>(m)),
                           std::make_move_iterator(stack.end()));
    stack.resize(m);
    return out;
  }
  void push(Value v) { stack.push_back(std::move(v)); }

  Value make_tuple(std::vector<Value> e) {
    auto n = container(Kind::Tuple);
    n->elems = std::move(e);
    return ValueAccess::make(std::move(n));
  }

  void memo_put(uint64_t idx) {
    if (stack.empty()) fail("memo store with an empty stack");
    if (memo.size() >= u.limits_.max_memo && !memo.count(idx)) fail("too many memo entries");
    memo[idx] = stack.back();
  }
  void memo_get(uint64_t idx) {
    auto it = memo.find(idx);
    if (it == memo.end()) fail("memo reference " + std::to_string(idx) + " was never stored");
    push(it->second);
  }

  Value int_from_le(const unsigned char* p, std::size_t n) {
    if (n == 0) return Value(int64_t{0});
    // Python longs: two's complement, little-endian, minimal length.
    std::size_t sig = n;
    bool neg = (p[n - 1] & 0x80) != 0;
    while (sig > 1 && p[sig - 1] == (neg ? 0xFF : 0x00) && (((p[sig - 2] & 0x80) != 0) == neg)) --sig;
    if (sig > 8) {
      if (!allow_big_int) fail("integer wider than 64 bits");
      static const char* hex = "0123456789abcdef";
      std::string s = "0x";
      for (std::size_t i = n; i-- > 0;) {
        s.push_back(hex[p[i] >> 4]);
        s.push_back(hex[p[i] & 15]);
      }
      return Value(s);
    }
    uint64_t v = 0;
    for (std::size_t i = 0; i < 8; ++i) {
      unsigned char b = i < sig ? p[i] : (neg ? 0xFF : 0x00);
      v |= static_cast<uint64_t>(b) << (8 * i);
    }
    return Value(static_cast<int64_t>(v));
  }

  Value resolve_global(const std::string& module, const std::string& name) {
    auto g = [&](Callable c, at::ScalarType dt = at::kByte) {
      auto n = std::make_shared<Node>();
      n->hidden = Hidden::Global;
      n->s = module + "." + name;
      n->i = static_cast<int64_t>(c);
      n->f = static_cast<double>(static_cast<int>(dt));
      return ValueAccess::make(std::move(n));
    };
    if (module == "collections" && name == "OrderedDict") return g(Callable::OrderedDict);
    if (module == "torch._utils") {
      if (name == "_rebuild_tensor_v2") return g(Callable::RebuildTensorV2);
      if (name == "_rebuild_tensor") return g(Callable::RebuildTensor);
      if (name == "_rebuild_parameter") return g(Callable::RebuildParameter);
      if (name == "_rebuild_parameter_with_state") return g(Callable::RebuildParameterState);
    }
    if (module == "torch" || module == "torch.storage") {
      at::ScalarType dt;
      if (storage_dtype(name, dt)) return g(Callable::Storage, dt);
    }
    if (module == "torch") {
      if (name == "Size") return g(Callable::Size);
      if (name == "device") return g(Callable::Device);
      auto it = dtype_objects().find(name);
      if (it != dtype_objects().end()) return Value("torch." + it->second);
    }
    if ((module == "builtins" || module == "__builtin__") && (name == "set" || name == "frozenset"))
      return g(Callable::Set);
    fail("refusing to load global '" + module + "." + name +
         "' (not a tensor, state-dict or optimizer type)");
  }

  static Callable callable_of(const Value& v) { return static_cast<Callable>(ValueAccess::node(v)->i); }
  static bool is_hidden(const Value& v, Hidden h) {
    auto* n = ValueAccess::node(v);
    return n && n->hidden == h;
  }

  std::vector<int64_t> int_tuple(const Value& v, const char* what) {
    if (v.kind() != Kind::Tuple && v.kind() != Kind::List) fail(std::string(what) + " must be a tuple");
    const auto& e = v.elements();
    if (e.size() > u.limits_.max_dims) fail(std::string(what) + " has too many dimensions");
    std::vector<int64_t> out;
    for (const auto& x : e) {
      if (x.kind() != Kind::Int) fail(std::string(what) + " must hold ints");
      out.push_back(x.as_int());
    }
    return out;
  }

  Value rebuild_tensor(const std::vector<Value>& a) {
    if (a.size() < 4) fail("_rebuild_tensor: too few arguments");
    if (!is_hidden(a[0], Hidden::Storage)) fail("_rebuild_tensor: first argument is not a storage");
    if (a[1].kind() != Kind::Int) fail("_rebuild_tensor: offset must be an int");
    auto sizes = int_tuple(a[2], "tensor size");
    auto strides = int_tuple(a[3], "tensor stride");
    const at::Tensor& storage = ValueAccess::node(a[0])->t;
    return Value(make_view(storage, a[1].as_int(), sizes, strides,
                           u.where_ + ": storage " + ValueAccess::node(a[0])->s));
  }

  Value reduce(const Value& fn, const Value& args) {
    if (!is_hidden(fn, Hidden::Global)) fail("REDUCE on something that is not an allowed callable");
    if (args.kind() != Kind::Tuple) fail("REDUCE arguments are not a tuple");
    const auto& a = args.elements();
    switch (callable_of(fn)) {
      case Callable::OrderedDict: {
        auto n = container(Kind::Dict);
        n->ordered = true;
        Value d = ValueAccess::make(n);
        if (a.size() > 1) fail("OrderedDict: too many arguments");
        if (a.size() == 1) {
          if (a[0].kind() != Kind::List) fail("OrderedDict: argument must be a list of pairs");
          for (const auto& kv : a[0].elements()) {
            if (kv.kind() != Kind::Tuple && kv.kind() != Kind::List) fail("OrderedDict: item is not a pair");
            if (kv.elements().size() != 2) fail("OrderedDict: item is not a pair");
            d.set(kv.elements()[0], kv.elements()[1]);
          }
        }
        return d;
      }
      case Callable::RebuildTensorV2:
        if (a.size() != 6 && a.size() != 7) fail("_rebuild_tensor_v2: expected 6 or 7 arguments");
        if (a[4].kind() != Kind::Bool) fail("_rebuild_tensor_v2: requires_grad must be a bool");
        return rebuild_tensor(a);
      case Callable::RebuildTensor:
        if (a.size() != 4) fail("_rebuild_tensor: expected 4 arguments");
        return rebuild_tensor(a);
      case Callable::RebuildParameter:
      case Callable::RebuildParameterState:
        if (a.size() < 3 || a.size() > 4) fail("_rebuild_parameter: expected 3 or 4 arguments");
        if (a[0].kind() != Kind::Tensor) fail("_rebuild_parameter: data is not a tensor");
        return a[0];
      case Callable::Size: {
        if (a.size() > 1) fail("torch.Size: too many arguments");
        std::vector<Value> dims;
        if (a.size() == 1) {
          for (int64_t d : int_tuple(a[0], "torch.Size")) dims.emplace_back(d);
        }
        return make_tuple(std::move(dims));
      }
      case Callable::Device: {
        if (a.empty() || a.size() > 2 || a[0].kind() != Kind::Str) fail("torch.device: bad arguments");
        std::string s = a[0].as_str();
        if (a.size() == 2) {
          if (a[1].kind() != Kind::Int) fail("torch.device: index must be an int");
          s += ":" + std::to_string(a[1].as_int());
        }
        return Value(s);
      }
      case Callable::Set: {
        auto n = container(Kind::List);
        if (a.size() > 1) fail("set: too many arguments");
        if (a.size() == 1) {
          if (a[0].kind() != Kind::List && a[0].kind() != Kind::Tuple) fail("set: argument must be a list");
          n->elems = a[0].elements();
        }
        return ValueAccess::make(n);
      }
      case Callable::Storage:
        fail("constructing a storage directly is not supported");
    }
    fail("unknown callable");
  }

  void set_items(Value& d, std::vector<Value>& kv) {
    if (d.kind() != Kind::Dict) fail("SETITEM on something that is not a dict");
    if (kv.size() % 2) fail("SETITEMS with an odd number of items");
    for (std::size_t i = 0; i < kv.size(); i += 2) {
      if (kv[i].kind() != Kind::Str && kv[i].kind() != Kind::Int)
        fail(std::string("dict key of type ") + Value::kind_name(kv[i].kind()) +
             " (only str and int are supported)");
      d.set(kv[i], kv[i + 1]);
    }
  }

  void append_items(Value& l, std::vector<Value>& items) {
    if (l.kind() != Kind::List) fail("APPEND on something that is not a list");
    auto* n = ValueAccess::node(l);
    for (auto& v : items) n->elems.push_back(std::move(v));
  }

  Value run() {
    while (true) {
      const unsigned char op = *take(1);
      switch (op) {
        case 0x80: {  // PROTO
          unsigned p = *take(1);
          if (p < 2 || p > 5) fail("unsupported pickle protocol " + std::to_string(p));
          break;
        }
        case 0x95:
          take(8);
          break;     // FRAME: framing is only a read-ahead hint
        case '.': {  // STOP
          if (stack.size() != 1 || !marks.empty()) fail("pickle ended with a malformed stack");
          return pop();
        }
        case '(':
          marks.push_back(stack.size());
          break;
        case '0':
          pop();
          break;
        case '1':
          pop_mark();
          break;
        case '2':
          push(top());
          break;
        case 'N':
          push(Value());
          break;
        case 0x88:
          push(Value(true));
          break;
        case 0x89:
          push(Value(false));
          break;
        case 'J':
          push(Value(static_cast<int64_t>(static_cast<int32_t>(le(4)))));
          break;
        case 'K':
          push(Value(static_cast<int64_t>(le(1))));
          break;
        case 'M':
          push(Value(static_cast<int64_t>(le(2))));
          break;
        case 0x8a: {  // LONG1
          std::size_t n = le(1);
          push(int_from_le(take(n), n));
          break;
        }
        case 0x8b: {  // LONG4
          uint64_t n = le(4);
          if (n > 64) fail("integer wider than 64 bits");
          push(int_from_le(take(n), n));
          break;
        }
        case 'G': {
          const unsigned char* p = take(8);
          uint64_t bits = 0;
          for (int i = 0; i < 8; ++i) bits = (bits << 8) | p[i];  // big-endian
          double d;
          std::memcpy(&d, &bits, 8);
          push(Value(d));
          break;
        }
        case 'X':
        case 'T':
        case 'B': {  // BINUNICODE, BINSTRING, BINBYTES
          uint64_t n = le(4);
          if (op == 'T' && n > 0x7FFFFFFF) fail("negative string length");
          push(Value(std::string(reinterpret_cast<const char*>(take(n)), n)));
          break;
        }
        case 0x8c:
        case 'U':
        case 'C': {  // SHORT_BINUNICODE, SHORT_BINSTRING, SHORT_BINBYTES
          std::size_t n = le(1);
          push(Value(std::string(reinterpret_cast<const char*>(take(n)), n)));
          break;
        }
        case 0x8d:
        case 0x8e: {  // BINUNICODE8, BINBYTES8
          uint64_t n = le(8);
          if (n > u.size_) fail("string longer than the pickle");
          push(Value(std::string(reinterpret_cast<const char*>(take(n)), n)));
          break;
        }
        case ']':
          push(ValueAccess::make(container(Kind::List)));
          break;
        case ')':
          push(make_tuple({}));
          break;
        case '}':
          push(ValueAccess::make(container(Kind::Dict)));
          break;
        case 0x8f:
          push(ValueAccess::make(container(Kind::List)));
          break;  // EMPTY_SET: sets load as lists
        case 'l': {
          auto n = container(Kind::List);
          n->elems = pop_mark();
          push(ValueAccess::make(n));
          break;
        }
        case 't':
          push(make_tuple(pop_mark()));
          break;
        case 0x85: {
          auto a = pop();
          push(make_tuple({a}));
          break;
        }
        case 0x86: {
          auto b = pop();
          auto a = pop();
          push(make_tuple({a, b}));
          break;
        }
        case 0x87: {
          auto c = pop();
          auto b = pop();
          auto a = pop();
          push(make_tuple({a, b, c}));
          break;
        }
        case 'd': {
          auto kv = pop_mark();
          Value d = ValueAccess::make(container(Kind::Dict));
          set_items(d, kv);
          push(d);
          break;
        }
        case 'a': {
          std::vector<Value> v{pop()};
          append_items(top(), v);
          break;
        }
        case 'e':
        case 0x90: {
          auto v = pop_mark();
          append_items(top(), v);
          break;
        }             // APPENDS, ADDITEMS
        case 0x91: {  // FROZENSET
          auto n = container(Kind::List);
          n->elems = pop_mark();
          push(ValueAccess::make(n));
          break;
        }
        case 's': {
          auto v = pop();
          auto k = pop();
          std::vector<Value> kv{k, v};
          set_items(top(), kv);
          break;
        }
        case 'u': {
          auto kv = pop_mark();
          set_items(top(), kv);
          break;
        }
        case 'c': {
          std::string module = line();
          std::string name = line();
          push(resolve_global(module, name));
          break;
        }
        case 0x93: {  // STACK_GLOBAL
          Value name = pop();
          Value module = pop();
          if (module.kind() != Kind::Str || name.kind() != Kind::Str) fail("STACK_GLOBAL needs two strings");
          push(resolve_global(module.as_str(), name.as_str()));
          break;
        }
        case 'R': {
          Value args = pop();
          Value fn = pop();
          push(reduce(fn, args));
          break;
        }
        case 'b': {  // BUILD: state of an OrderedDict (its _metadata) or a parameter; not needed here
          Value state = pop();
          Value& target = top();
          if (target.kind() != Kind::Dict && target.kind() != Kind::Tensor)
            fail(std::string("BUILD on a ") + Value::kind_name(target.kind()));
          break;
        }
        case 'Q': {  // BINPERSID
          Value pid = pop();
          if (!u.persistent_load_) fail("persistent id outside a checkpoint");
          Value s = u.persistent_load_(pid);
          push(s);
          break;
        }
        case 'q':
          memo_put(le(1));
          break;
        case 'r':
          memo_put(le(4));
          break;
        case 0x94:
          memo_put(memo.size());
          break;  // MEMOIZE
        case 'h':
          memo_get(le(1));
          break;
        case 'j':
          memo_get(le(4));
          break;
        default: {
          static const char* hex = "0123456789abcdef";
          std::string code = std::string("0x") + hex[op >> 4] + hex[op & 15];
          fail("unsupported pickle opcode " + code);
        }
      }
    }
  }
};

Unpickler::Unpickler(const unsigned char* data, std::size_t size, std::string where,
                     PersistentLoad persistent_load, PickleLimits limits)
    : data_(data),
      size_(size),
      where_(std::move(where)),
      persistent_load_(std::move(persistent_load)),
      limits_(limits) {}

Unpickler::~Unpickler() = default;

Value Unpickler::load(bool allow_big_int) {
  Impl impl{*this, allow_big_int, {}, {}, {}};
  Value result;
  try {
    result = impl.run();
    auto reachable = check_tree(result, where_, limits_);
    // Containers not reachable from the result are dropped; cut their links first (cycles, deep chains).
    for (auto& n : arena_) {
      if (!reachable.count(n.get())) {
        n->elems.clear();
        n->items.clear();
        n->index.clear();
      }
    }
  } catch (...) {
    impl.stack.clear();
    impl.memo.clear();
    for (auto& n : arena_) {
      n->elems.clear();
      n->items.clear();
      n->index.clear();
    }
    arena_.clear();
    throw;
  }
  arena_.clear();
  return result;
}

}  // namespace voxclone::ckpt
