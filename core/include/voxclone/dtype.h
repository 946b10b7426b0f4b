// Tensor dtype names as NumPy and PyTorch users write them ("float32", "int64" ...): one table for checkpoint
// descriptions, the Lua bindings and .npy messages. Header-only, so any module can use it without linking more.
#pragma once

#include <c10/core/ScalarType.h>

#include <cctype>
#include <string>

namespace voxclone {

/// "float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool"; other types in
/// lower case as LibTorch spells them.
inline std::string dtype_name(c10::ScalarType type) {
  switch (type) {
    case c10::kFloat:
      return "float32";
    case c10::kDouble:
      return "float64";
    case c10::kHalf:
      return "float16";
    case c10::kBFloat16:
      return "bfloat16";
    case c10::kLong:
      return "int64";
    case c10::kInt:
      return "int32";
    case c10::kShort:
      return "int16";
    case c10::kChar:
      return "int8";
    case c10::kByte:
      return "uint8";
    case c10::kBool:
      return "bool";
    default: {
      std::string s = c10::toString(type);
      for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
      return s;
    }
  }
}

}  // namespace voxclone
