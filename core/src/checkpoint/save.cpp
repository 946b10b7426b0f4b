// Checkpoint writing: protocol-2 pickle of the value tree with torch 1.13's persistent storage ids, packed
// into torch's zip layout (archive/data.pkl, archive/data/N, archive/version) and written atomically.
#include <ATen/ATen.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include "checkpoint/value_node.h"
#include "checkpoint/zip_archive.h"
#include "voxclone/error.h"

namespace voxclone::ckpt {

namespace {

using Kind = Value::Kind;

const char* storage_class(at::ScalarType t) {
  switch (t) {
    case at::kFloat:
      return "FloatStorage";
    case at::kHalf:
      return "HalfStorage";
    case at::kBFloat16:
      return "BFloat16Storage";
    case at::kDouble:
      return "DoubleStorage";
    case at::kLong:
      return "LongStorage";
    case at::kInt:
      return "IntStorage";
    case at::kShort:
      return "ShortStorage";
    case at::kChar:
      return "CharStorage";
    case at::kByte:
      return "ByteStorage";
    case at::kBool:
      return "BoolStorage";
    default:
      return nullptr;
  }
}

class PickleWriter {
 public:
  struct Storage {
    std::string key;
    at::Tensor owner;  // keeps the bytes alive until they are written
    const void* data;
    std::size_t nbytes;
    at::ScalarType dtype;
  };

  std::string out;
  std::vector<Storage> storages;

  void write_root(const Value& v) {
    out += "\x80\x02";
    write(v, 0);
    out += '.';
  }

 private:
  std::unordered_map<const void*, std::size_t> storage_index_;
  std::unordered_set<const void*> on_path_;

  void op(char c) { out.push_back(c); }
  void u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
  void global(const char* module, const char* name) {
    out += 'c';
    out += module;
    out += '\n';
    out += name;
    out += '\n';
  }
  void str(const std::string& s) {
    if (s.size() >= 0xFFFFFFFFull) throw UserError("checkpoint writer: string too long");
    op('X');
    u32(static_cast<uint32_t>(s.size()));
    out += s;
  }
  void integer(int64_t v) {
    if (v >= 0 && v < 256) {
      op('K');
      out.push_back(static_cast<char>(v));
    } else if (v >= 0 && v < 65536) {
      op('M');
      out.push_back(static_cast<char>(v & 0xFF));
      out.push_back(static_cast<char>(v >> 8));
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
      op('J');
      u32(static_cast<uint32_t>(static_cast<int32_t>(v)));
    } else {
      // LONG1 with the shortest two's complement encoding.
      unsigned char b[8];
      for (int i = 0; i < 8; ++i)
        b[i] = static_cast<unsigned char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xFF);
      int n = 8;
      while (n > 1 && ((b[n - 1] == 0x00 && !(b[n - 2] & 0x80)) || (b[n - 1] == 0xFF && (b[n - 2] & 0x80))))
        --n;
      op('\x8a');
      out.push_back(static_cast<char>(n));
      out.append(reinterpret_cast<const char*>(b), static_cast<std::size_t>(n));
    }
  }
  void real(double d) {
    uint64_t bits;
    std::memcpy(&bits, &d, 8);
    op('G');
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
  }
  void ordered_dict_new() {
    global("collections", "OrderedDict");
    op(')');
    op('R');
  }
  void int_tuple(at::IntArrayRef v) {
    op('(');
    for (int64_t x : v) integer(x);
    op('t');
  }

  void tensor(at::Tensor t) {
    if (t.layout() != at::kStrided || t.is_quantized())
      throw UserError("checkpoint writer: only dense tensors can be saved");
    if (!t.device().is_cpu()) t = t.cpu();
    const char* cls = storage_class(t.scalar_type());
    if (!cls)
      throw UserError(std::string("checkpoint writer: unsupported dtype ") + c10::toString(t.scalar_type()));
    const auto& st = t.storage();
    const void* id = st.unsafeGetStorageImpl();
    std::size_t elsize = t.element_size();
    auto it = storage_index_.find(id);
    if (it == storage_index_.end()) {
      if (st.nbytes() % elsize)
        throw UserError("checkpoint writer: storage size is not a multiple of its dtype");
      it = storage_index_.emplace(id, storages.size()).first;
      storages.push_back({std::to_string(storages.size()), t, st.data(), st.nbytes(), t.scalar_type()});
    } else if (storages[it->second].dtype != t.scalar_type()) {
      throw UserError("checkpoint writer: two tensors view one storage with different dtypes");
    }
    const Storage& s = storages[it->second];
    global("torch._utils", "_rebuild_tensor_v2");
    op('(');
    op('(');  // persistent id ('storage', torch.XStorage, key, 'cpu', numel)
    str("storage");
    global("torch", cls);
    str(s.key);
    str("cpu");
    integer(static_cast<int64_t>(s.nbytes / elsize));
    op('t');
    op('Q');
    integer(t.storage_offset());
    int_tuple(t.sizes());
    int_tuple(t.strides());
    op(t.requires_grad() ? '\x88' : '\x89');
    ordered_dict_new();  // backward hooks
    op('t');
    op('R');
  }

  void write(const Value& v, int depth) {
    if (depth > 512) throw UserError("checkpoint writer: tree nested deeper than 512 levels");
    switch (v.kind()) {
      case Kind::None:
        op('N');
        return;
      case Kind::Bool:
        op(v.as_bool() ? '\x88' : '\x89');
        return;
      case Kind::Int:
        integer(v.as_int());
        return;
      case Kind::Float:
        real(v.as_float());
        return;
      case Kind::Str:
        str(v.as_str());
        return;
      case Kind::Tensor:
        tensor(v.as_tensor());
        return;
      default:
        break;
    }
    const void* id = ValueAccess::node(v);
    if (!on_path_.insert(id).second) throw UserError("checkpoint writer: the tree contains a cycle");
    if (v.kind() == Kind::Dict) {
      if (v.ordered())
        ordered_dict_new();
      else
        op('}');
      if (!v.items().empty()) {
        op('(');
        for (const auto& [k, val] : v.items()) {
          write(k, depth + 1);
          write(val, depth + 1);
        }
        op('u');
      }
    } else if (v.kind() == Kind::List) {
      op(']');
      if (!v.elements().empty()) {
        op('(');
        for (const auto& e : v.elements()) write(e, depth + 1);
        op('e');
      }
    } else {
      op('(');
      for (const auto& e : v.elements()) write(e, depth + 1);
      op('t');
    }
    on_path_.erase(id);
  }
};

void write_archive(const Value& root, const ZipWriter::Sink& sink) {
  PickleWriter pw;
  pw.write_root(root);
  ZipWriter zw(sink);
  zw.add("archive/data.pkl", pw.out.data(), pw.out.size());
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  zw.add("archive/byteorder", "big", 3);
#else
  zw.add("archive/byteorder", "little", 6);
#endif
  for (const auto& s : pw.storages) zw.add("archive/data/" + s.key, s.data, s.nbytes);
  zw.add("archive/version", "3\n", 2);
  zw.finish();
}

}  // namespace

std::vector<char> save_to_memory(const Value& root) {
  std::vector<char> buf;
  write_archive(root, [&](const void* p, std::size_t n) {
    buf.insert(buf.end(), static_cast<const char*>(p), static_cast<const char*>(p) + n);
  });
  return buf;
}

void save(const std::string& path, const Value& root) {
  namespace fs = std::filesystem;
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw UserError(path + ": cannot create " + tmp + ": " + std::strerror(errno));
  try {
    write_archive(root, [&](const void* p, std::size_t n) {
      if (std::fwrite(p, 1, n, f) != n) throw UserError(path + ": write failed: " + std::strerror(errno));
    });
    if (std::fflush(f) != 0 || ::fsync(fileno(f)) != 0)
      throw UserError(path + ": write failed: " + std::strerror(errno));
    std::fclose(f);
    f = nullptr;
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) throw UserError(path + ": cannot rename " + tmp + ": " + ec.message());
  } catch (...) {
    if (f) std::fclose(f);
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
}

}  // namespace voxclone::ckpt
