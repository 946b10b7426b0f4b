// Checkpoint loading: format sniffing, the zip layout (data.pkl + data/<key> storages) and the legacy layout
// (magic, protocol, sys_info, object, storage keys, raw storages), all storages landing on the CPU.
#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "checkpoint/pickle_reader.h"
#include "checkpoint/zip_archive.h"
#include "voxclone/error.h"

namespace voxclone::ckpt {

namespace {

using Kind = Value::Kind;

constexpr uint64_t kMaxPickleBytes = uint64_t{1} << 30;

void swap_bytes(void* data, int64_t numel, std::size_t elsize) {
  if (elsize <= 1) return;
  auto* p = static_cast<unsigned char*>(data);
  for (int64_t i = 0; i < numel; ++i, p += elsize) std::reverse(p, p + elsize);
}

// Fields of a persistent id ('storage', <StorageClass>, key, location, numel[, view_metadata]).
struct StorageRef {
  at::ScalarType dtype;
  std::string key;
  int64_t numel;
  Value view;  // legacy only
};

StorageRef parse_pid(const Value& pid, std::size_t arity, const std::string& where) {
  if (pid.kind() != Kind::Tuple || pid.elements().size() != arity)
    throw UserError(where + ": malformed persistent id (expected a " + std::to_string(arity) + "-tuple)");
  const auto& e = pid.elements();
  if (e[0].kind() != Kind::Str || e[0].as_str() != "storage")
    throw UserError(where + ": persistent id of an unknown kind");
  auto* cls = ValueAccess::node(e[1]);
  if (!cls || cls->hidden != Hidden::Global)
    throw UserError(where + ": persistent id without a storage class");
  StorageRef r;
  std::string cname = cls->s.substr(cls->s.rfind('.') + 1);
  if (!storage_dtype(cname, r.dtype)) throw UserError(where + ": '" + cls->s + "' is not a storage class");
  if (e[2].kind() != Kind::Str || e[3].kind() != Kind::Str || e[4].kind() != Kind::Int)
    throw UserError(where + ": malformed persistent id fields");
  r.key = e[2].as_str();
  r.numel = e[4].as_int();
  if (r.numel < 0) throw UserError(where + ": negative storage size");
  if (arity == 6) r.view = e[5];
  return r;  // the location (e[3]: "cpu", "cuda:0", ...) is ignored: everything loads on the CPU
}

uint64_t storage_bytes(const StorageRef& r, const std::string& where) {
  uint64_t n;
  if (__builtin_mul_overflow(static_cast<uint64_t>(r.numel), at::elementSize(r.dtype), &n))
    throw UserError(where + ": storage size overflows");
  return n;
}

Value load_zip(const ByteSource& src) {
  const std::string& where = src.name();
  auto entries = read_zip_directory(src);
  std::unordered_map<std::string, const ZipEntry*> by_name;
  const ZipEntry* pkl = nullptr;
  std::string prefix;
  for (const auto& e : entries) {
    by_name[e.name] = &e;
    auto slash = e.name.find('/');
    if (slash != std::string::npos && e.name.compare(slash + 1, std::string::npos, "data.pkl") == 0) {
      if (pkl) throw UserError(where + ": several data.pkl records in the archive");
      pkl = &e;
      prefix = e.name.substr(0, slash + 1);
    }
  }
  if (!pkl) throw UserError(where + ": ZIP archive without <folder>/data.pkl: not a torch.save file");
  auto record = [&](const std::string& name) -> const ZipEntry* {
    auto it = by_name.find(prefix + name);
    return it == by_name.end() ? nullptr : it->second;
  };
  bool big_endian = false;
  if (const ZipEntry* bo = record("byteorder")) {
    std::string s = read_zip_entry(src, *bo, 16);
    if (s == "big")
      big_endian = true;
    else if (s != "little")
      throw UserError(where + ": unknown byteorder '" + s + "'");
  }
  const ZipEntry* ver = record("version");
  if (!ver) ver = record(".data/version");
  if (ver) {
    std::string s = read_zip_entry(src, *ver, 32);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    if (s.empty() || s.size() > 3 || !std::all_of(s.begin(), s.end(), ::isdigit) || std::stoi(s) < 1 ||
        std::stoi(s) > 20)
      throw UserError(where + ": unsupported archive version '" + s + "'");
  }
  std::string pickle = read_zip_entry(src, *pkl, kMaxPickleBytes);

  std::unordered_map<std::string, Value> storages;
  uint64_t total_bytes = 0;  // real storages are disjoint records, so together they fit in the file
  PersistentLoad persistent_load = [&](const Value& pid) -> Value {
    StorageRef r = parse_pid(pid, 5, where);
    auto it = storages.find(r.key);
    if (it != storages.end()) {
      const at::Tensor& t = ValueAccess::node(it->second)->t;
      if (t.scalar_type() != r.dtype || t.numel() != r.numel)
        throw UserError(where + ": storage " + r.key + " used with different types or sizes");
      return it->second;
    }
    const ZipEntry* e = record("data/" + r.key);
    if (!e) throw UserError(where + ": storage record data/" + r.key + " missing");
    if (e->method != 0) throw UserError(where + ": storage record data/" + r.key + " is compressed");
    uint64_t nbytes = storage_bytes(r, where);
    if (e->size != nbytes || e->compressed_size != nbytes)
      throw UserError(where + ": storage data/" + r.key + " holds " + std::to_string(e->size) +
                      " bytes, its id says " + std::to_string(nbytes));
    total_bytes += nbytes;
    if (total_bytes > src.size())
      throw UserError(where + ": storages overlap (more bytes than the file holds)");
    at::Tensor t = at::empty({r.numel}, at::TensorOptions().dtype(r.dtype));
    src.read_at(e->data_offset, t.data_ptr(), static_cast<std::size_t>(nbytes));
    if (big_endian) swap_bytes(t.data_ptr(), r.numel, at::elementSize(r.dtype));
    Value node = make_storage_node(r.key, t);
    storages.emplace(r.key, node);
    return node;
  };
  Unpickler up(reinterpret_cast<const unsigned char*>(pickle.data()), pickle.size(), where + ": data.pkl",
               persistent_load);
  return up.load();
}

Value load_legacy(const ByteSource& src) {
  const std::string& where = src.name();
  std::vector<unsigned char> buf(static_cast<std::size_t>(src.size()));
  src.read_at(0, buf.data(), buf.size());
  std::size_t pos = 0;
  auto next = [&](const char* what, PersistentLoad pl, bool big_int) {
    Unpickler up(buf.data() + pos, buf.size() - pos, where + ": " + what, std::move(pl));
    Value v = up.load(big_int);
    pos += up.consumed();
    return v;
  };
  Value magic = next("magic number", nullptr, true);
  if (magic.kind() != Kind::Str || magic.as_str() != "0x1950a86a20f9469cfc6c")
    throw UserError(where + ": not a torch.save file (legacy magic number missing)");
  Value proto = next("protocol version", nullptr, false);
  if (proto.kind() != Kind::Int || proto.as_int() != 1001)
    throw UserError(where + ": unsupported legacy protocol version");
  Value sys_info = next("sys_info", nullptr, false);
  bool big_endian = false;
  if (const Value* le = sys_info.find("little_endian"))
    big_endian = le->kind() == Kind::Bool && !le->as_bool();

  struct Root {
    at::Tensor t;
    bool filled = false;
  };
  std::unordered_map<std::string, Root> roots;
  std::unordered_map<std::string, Value> views;
  const uint64_t file_size = buf.size();
  uint64_t total_bytes = 0;  // every storage's bytes follow in the file, so together they fit in it
  PersistentLoad persistent_load = [&](const Value& pid) -> Value {
    StorageRef r = parse_pid(pid, 6, where);
    auto it = roots.find(r.key);
    if (it == roots.end()) {
      uint64_t nbytes = storage_bytes(r, where);
      if (nbytes > file_size - total_bytes)
        throw UserError(where + ": storage " + r.key + " larger than the file");
      total_bytes += nbytes;
      it = roots.emplace(r.key, Root{at::empty({r.numel}, at::TensorOptions().dtype(r.dtype))}).first;
    } else if (it->second.t.scalar_type() != r.dtype || it->second.t.numel() != r.numel) {
      throw UserError(where + ": storage " + r.key + " used with different types or sizes");
    }
    if (r.view.is_none()) return make_storage_node(r.key, it->second.t);
    // (view_key, offset, size): an old-style storage slice of the root storage.
    const Value& v = r.view;
    if (v.kind() != Kind::Tuple || v.elements().size() != 3 || v.elements()[0].kind() != Kind::Str ||
        v.elements()[1].kind() != Kind::Int || v.elements()[2].kind() != Kind::Int)
      throw UserError(where + ": malformed storage view metadata");
    const std::string& vkey = v.elements()[0].as_str();
    int64_t off = v.elements()[1].as_int(), len = v.elements()[2].as_int();
    if (off < 0 || len < 0 || off > r.numel || len > r.numel - off)
      throw UserError(where + ": storage view " + vkey + " outside storage " + r.key);
    auto vit = views.find(vkey);
    if (vit != views.end()) return vit->second;
    Value node = make_storage_node(vkey, it->second.t.narrow(0, off, len));
    views.emplace(vkey, node);
    return node;
  };
  Value root = next("object", persistent_load, false);
  Value keys = next("storage keys", nullptr, false);
  if (keys.kind() != Kind::List) throw UserError(where + ": storage key list missing");
  for (const auto& k : keys.elements()) {
    if (k.kind() != Kind::Str) throw UserError(where + ": storage key is not a string");
    auto it = roots.find(k.as_str());
    if (it == roots.end()) throw UserError(where + ": storage " + k.as_str() + " listed but never used");
    if (it->second.filled) throw UserError(where + ": storage " + k.as_str() + " listed twice");
    at::Tensor& t = it->second.t;
    if (buf.size() - pos < 8) throw UserError(where + ": truncated before storage " + k.as_str());
    uint64_t n = 0;
    for (int i = 0; i < 8; ++i) n |= static_cast<uint64_t>(buf[pos + (big_endian ? 7 - i : i)]) << (8 * i);
    pos += 8;
    if (n != static_cast<uint64_t>(t.numel()))
      throw UserError(where + ": storage " + k.as_str() + " size " + std::to_string(n) +
                      " differs from its id");
    std::size_t nbytes = static_cast<std::size_t>(t.numel()) * at::elementSize(t.scalar_type());
    if (buf.size() - pos < nbytes) throw UserError(where + ": truncated in storage " + k.as_str());
    if (nbytes) std::memcpy(t.data_ptr(), buf.data() + pos, nbytes);
    if (big_endian) swap_bytes(t.data_ptr(), t.numel(), at::elementSize(t.scalar_type()));
    pos += nbytes;
    it->second.filled = true;
  }
  for (const auto& [key, r] : roots)
    if (!r.filled) throw UserError(where + ": storage " + key + " has no data");
  return root;
}

Value load_source(const ByteSource& src) {
  const std::string& where = src.name();
  if (src.size() == 0) throw UserError(where + ": empty file");
  unsigned char head[4] = {0, 0, 0, 0};
  src.read_at(0, head, std::min<uint64_t>(4, src.size()));
  try {
    if (head[0] == 'P' && head[1] == 'K') return load_zip(src);
    if (head[0] == 0x80) return load_legacy(src);
  } catch (const std::bad_alloc&) {
    throw UserError(where + ": checkpoint too large for memory");
  } catch (const c10::Error& e) {
    throw UserError(where + ": " + e.what_without_backtrace());
  }
  if (src.size() > 262 && [&] {
        char magic[5];
        src.read_at(257, magic, 5);
        return std::memcmp(magic, "ustar", 5) == 0;
      }())
    throw UserError(where + ": tar-based torch.save files (PyTorch < 0.4) are not supported");
  throw UserError(where +
                  ": not a PyTorch checkpoint (neither a torch zip archive nor a legacy torch.save file)");
}

}  // namespace

Value load(const std::string& path) {
  FileSource src(path);
  return load_source(src);
}

Value load_from_memory(const void* data, std::size_t size, const std::string& name) {
  MemorySource src(data, size, name);
  return load_source(src);
}

bool is_torch_checkpoint(const std::string& path) {
  try {
    FileSource src(path);
    unsigned char h[64] = {};
    std::size_t n = static_cast<std::size_t>(std::min<uint64_t>(sizeof h, src.size()));
    if (n < 4) return false;
    src.read_at(0, h, n);
    if (h[0] == 'P' && h[1] == 'K' && h[2] == 3 && h[3] == 4 && n >= 30) {
      std::size_t nlen = h[26] | (h[27] << 8);
      if (nlen > 512) return false;
      std::string name(nlen, '\0');
      src.read_at(30, name.data(), nlen);
      auto slash = name.find('/');
      return slash != std::string::npos && name.compare(slash + 1, std::string::npos, "data.pkl") == 0;
    }
    // Legacy: PROTO n, then LONG1 of 10 bytes holding the magic number 0x1950a86a20f9469cfc6c.
    static const unsigned char magic[] = {0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46,
                                          0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};
    if (h[0] == 0x80 && n >= 2 + sizeof magic) {
      std::size_t off = 2;
      if (h[off] == 0x95) off += 9;  // FRAME (protocol 4+)
      return n >= off + sizeof magic && std::memcmp(h + off, magic, sizeof magic) == 0;
    }
  } catch (const Error&) {
  }
  return false;
}

}  // namespace voxclone::ckpt
