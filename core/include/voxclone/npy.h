// NumPy .npy files (format 1.0/2.0/3.0): RTVC's interchange format for mels, audio and embeddings.
#pragma once

#include <ATen/core/Tensor.h>

#include <string>

namespace voxclone {

/// Reads float32, float64, int32, int64 (also int16, uint8, bool) little- or big-endian, C or Fortran order.
/// Returns a contiguous CPU tensor of the file's dtype. UserError (naming the file) for anything malformed:
/// bad magic, bad header, object arrays, a size that does not match the file.
at::Tensor read_npy(const std::string& path);

/// Writes version 1.0, little-endian, C order (what np.save writes), atomically.
/// Supported dtypes: float32, float64, int32, int64, int16, uint8, bool.
void write_npy(const std::string& path, const at::Tensor& tensor);

}  // namespace voxclone
