// The .npy header dictionary: parsing what numpy wrote and formatting what np.save writes (no tensors).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace voxclone::npy {

/// One of the element types we read and write, as numpy's descr names it ('<f4' → kind 'f', size 4).
struct NpyDtype {
  char kind = 'f';   ///< 'f' float, 'i' signed int, 'u' unsigned int, 'b' bool
  int itemsize = 4;  ///< bytes per element
  bool big_endian = false;
};

struct NpyHeader {
  NpyDtype dtype;
  bool fortran_order = false;
  std::vector<int64_t> shape;
  int64_t numel = 1;   ///< product of shape, checked against overflow
  int64_t nbytes = 0;  ///< numel * itemsize, checked against overflow
};

/// Parses the Python dict literal of a .npy header ({'descr': '<f4', 'fortran_order': False, 'shape': (2, 3),
/// }). Throws UserError whose message starts with `where` (the file) for anything numpy would not have
/// written.
NpyHeader parse_npy_header(const std::string& text, const std::string& where);

/// The complete format-1.0 prefix np.save (numpy 1.24) writes for a C-order little-endian array: magic,
/// version, header length, the dict with the growth spaces, padding so the data starts at a multiple of
/// 64, and the final '\n'.
std::string format_npy_v1_prefix(const std::string& descr, const std::vector<int64_t>& shape);

}  // namespace voxclone::npy
