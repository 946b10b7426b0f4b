// Storages and tensor views for the unpickler: storage class names, storage nodes, bounds-checked views.
#include <ATen/ATen.h>

#include <unordered_map>

#include "checkpoint/pickle_reader.h"
#include "voxclone/error.h"

namespace voxclone::ckpt {

namespace {

const std::unordered_map<std::string, at::ScalarType>& storage_types() {
  static const std::unordered_map<std::string, at::ScalarType> m = {
      {"FloatStorage", at::kFloat},   {"HalfStorage", at::kHalf},   {"BFloat16Storage", at::kBFloat16},
      {"DoubleStorage", at::kDouble}, {"LongStorage", at::kLong},   {"IntStorage", at::kInt},
      {"ShortStorage", at::kShort},   {"CharStorage", at::kChar},   {"ByteStorage", at::kByte},
      {"BoolStorage", at::kBool},     {"UntypedStorage", at::kByte}};
  return m;
}

bool checked_add(int64_t a, int64_t b, int64_t& out) { return !__builtin_add_overflow(a, b, &out); }
bool checked_mul(int64_t a, int64_t b, int64_t& out) { return !__builtin_mul_overflow(a, b, &out); }

}  // namespace

bool storage_dtype(const std::string& cls, at::ScalarType& out) {
  auto it = storage_types().find(cls);
  if (it == storage_types().end()) return false;
  out = it->second;
  return true;
}

Value make_storage_node(const std::string& key, at::Tensor storage) {
  auto n = std::make_shared<Value::Node>();
  n->hidden = Hidden::Storage;
  n->s = key;
  n->t = std::move(storage);
  return ValueAccess::make(std::move(n));
}

at::Tensor make_view(const at::Tensor& storage, int64_t offset, const std::vector<int64_t>& sizes,
                     const std::vector<int64_t>& strides, const std::string& where) {
  if (sizes.size() != strides.size()) throw UserError(where + ": tensor sizes and strides differ in rank");
  if (offset < 0) throw UserError(where + ": negative storage offset");
  const int64_t n = storage.numel();
  int64_t numel = 1, last = offset;
  for (std::size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] < 0 || strides[d] < 0) throw UserError(where + ": negative tensor size or stride");
    if (!checked_mul(numel, sizes[d], numel)) throw UserError(where + ": tensor size overflows");
  }
  if (numel == 0) {
    if (offset > n) throw UserError(where + ": tensor offset past the end of its storage");
  } else {
    for (std::size_t d = 0; d < sizes.size(); ++d) {
      int64_t span;
      if (!checked_mul(sizes[d] - 1, strides[d], span) || !checked_add(last, span, last))
        throw UserError(where + ": tensor extent overflows");
    }
    if (last >= n)
      throw UserError(where + ": tensor view (offset " + std::to_string(offset) + ", last element " +
                      std::to_string(last) + ") lies outside its storage of " + std::to_string(n) +
                      " elements");
  }
  // `storage` may itself be a slice of a larger buffer (legacy storage views): offsets are relative to it.
  return storage.as_strided(sizes, strides, storage.storage_offset() + offset);
}

}  // namespace voxclone::ckpt
