// read_npy / write_npy: .npy files (RTVC's mels, audio and embeddings) to and from CPU tensors.
#include "voxclone/npy.h"

#include <ATen/ATen.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "npy/npy_header.h"
#include "voxclone/error.h"

namespace voxclone {
namespace {

namespace fs = std::filesystem;

at::ScalarType scalar_type_of(const npy::NpyDtype& d) {
  switch (d.kind) {
    case 'f':
      return d.itemsize == 4 ? at::kFloat : at::kDouble;
    case 'i':
      return d.itemsize == 2 ? at::kShort : d.itemsize == 4 ? at::kInt : at::kLong;
    case 'u':
      return at::kByte;
    default:
      return at::kBool;
  }
}

bool host_is_big_endian() {
  const uint16_t probe = 1;
  unsigned char first;
  std::memcpy(&first, &probe, 1);
  return first == 0;
}

void byteswap_elements(char* data, int64_t numel, int itemsize) {
  for (int64_t i = 0; i < numel; ++i) std::reverse(data + i * itemsize, data + (i + 1) * itemsize);
}

uint32_t read_le(const unsigned char* p, int n) {
  uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

at::Tensor read_npy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError(path + ": cannot open .npy file");
  in.seekg(0, std::ios::end);
  const int64_t file_size = static_cast<int64_t>(in.tellg());
  in.seekg(0);

  unsigned char prefix[12] = {};
  in.read(reinterpret_cast<char*>(prefix), std::min<int64_t>(file_size, 10));
  if (file_size < 10 || std::memcmp(prefix, "\x93NUMPY", 6) != 0)
    throw UserError(path + ": not a .npy file (bad magic)");
  const int major = prefix[6], minor = prefix[7];
  int64_t prefix_len = 0, header_len = 0;
  if (major == 1 && minor == 0) {
    prefix_len = 10;
    header_len = read_le(prefix + 8, 2);
  } else if ((major == 2 || major == 3) && minor == 0) {
    if (file_size < 12) throw UserError(path + ": truncated .npy header");
    in.read(reinterpret_cast<char*>(prefix + 10), 2);
    prefix_len = 12;
    header_len = read_le(prefix + 8, 4);
  } else {
    throw UserError(path + ": unsupported .npy format version " + std::to_string(major) + "." +
                    std::to_string(minor));
  }
  if (header_len > file_size - prefix_len)
    throw UserError(path + ": .npy header length " + std::to_string(header_len) +
                    " runs past the end of the file");
  std::string header(static_cast<size_t>(header_len), '\0');
  in.read(header.data(), header_len);
  if (!in) throw UserError(path + ": cannot read the .npy header");

  const npy::NpyHeader h = npy::parse_npy_header(header, path);
  const int64_t data_bytes = file_size - prefix_len - header_len;
  if (data_bytes != h.nbytes)
    throw UserError(path + ": .npy data is " + std::to_string(data_bytes) +
                    " bytes but the header's shape and dtype need " + std::to_string(h.nbytes));

  // Fortran order is C order of the reversed shape; transpose back once read.
  std::vector<int64_t> storage_shape = h.shape;
  if (h.fortran_order) std::reverse(storage_shape.begin(), storage_shape.end());
  at::Tensor t = at::empty(storage_shape, at::TensorOptions().dtype(scalar_type_of(h.dtype)));
  char* data = static_cast<char*>(t.data_ptr());
  in.read(data, h.nbytes);
  if (!in) throw UserError(path + ": cannot read the .npy data");
  if (h.dtype.itemsize > 1 && h.dtype.big_endian != host_is_big_endian())
    byteswap_elements(data, h.numel, h.dtype.itemsize);
  if (h.dtype.kind == 'b') {
    // numpy treats any non-zero byte as True; a torch bool must hold exactly 0 or 1.
    for (int64_t i = 0; i < h.numel; ++i) data[i] = data[i] != 0;
  }
  if (h.fortran_order && t.dim() > 1) {
    std::vector<int64_t> perm(t.dim());
    for (int64_t i = 0; i < t.dim(); ++i) perm[i] = t.dim() - 1 - i;
    t = t.permute(perm).contiguous();
  }
  return t;
}

void write_npy(const std::string& path, const at::Tensor& tensor) {
  std::string descr;
  switch (tensor.scalar_type()) {
    case at::kFloat:
      descr = "<f4";
      break;
    case at::kDouble:
      descr = "<f8";
      break;
    case at::kShort:
      descr = "<i2";
      break;
    case at::kInt:
      descr = "<i4";
      break;
    case at::kLong:
      descr = "<i8";
      break;
    case at::kByte:
      descr = "|u1";
      break;
    case at::kBool:
      descr = "|b1";
      break;
    default:
      throw InternalError(path + ": write_npy does not support dtype " +
                          std::string(c10::toString(tensor.scalar_type())));
  }
  const at::Tensor t = tensor.detach().to(at::kCPU).contiguous();
  const std::string prefix = npy::format_npy_v1_prefix(descr, t.sizes().vec());
  const int64_t itemsize = static_cast<int64_t>(t.element_size());
  std::vector<char> bytes(static_cast<size_t>(t.numel() * itemsize));
  if (!bytes.empty()) std::memcpy(bytes.data(), t.data_ptr(), bytes.size());
  if (itemsize > 1 && host_is_big_endian())
    byteswap_elements(bytes.data(), t.numel(), static_cast<int>(itemsize));

  // Write next to the target and rename over it, so readers never see a half-written file.
  static std::atomic<unsigned> counter{0};
  const fs::path target(path);
  const fs::path tmp = target.parent_path() / (target.filename().string() + ".tmp." +
                                               std::to_string(::getpid()) + "." + std::to_string(counter++));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw UserError(path + ": cannot create " + tmp.string());
    out.write(prefix.data(), static_cast<std::streamsize>(prefix.size()));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::error_code ignore;
      fs::remove(tmp, ignore);
      throw UserError(path + ": failed writing " + tmp.string());
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    std::error_code ignore;
    fs::remove(tmp, ignore);
    throw UserError(path + ": cannot rename the temporary file into place: " + ec.message());
  }
}

}  // namespace voxclone
