// Small conversions shared by the audio tests: reference tensors to the plain vectors the audio API uses.
#pragma once

#include <ATen/core/Tensor.h>

#include "fixtures.h"

// c10's logging header (pulled in by ATen/core/Tensor.h) defines a CHECK macro that aborts the process;
// Catch's CHECK must win, so it is dropped here and Catch is included after it. Test files include this
// header instead of catch.hpp.
#undef CHECK
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace vctest {

inline std::vector<float> to_floats(const at::Tensor& t) {
  at::Tensor c = t.to(at::kFloat).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

inline std::vector<bool> to_bools(const at::Tensor& t) {
  at::Tensor c = t.to(at::kBool).contiguous();
  std::vector<bool> out(size_t(c.numel()));
  for (int64_t i = 0; i < c.numel(); ++i) out[size_t(i)] = c.data_ptr<bool>()[i];
  return out;
}

/// Max |a - b| of a result against a reference tensor; infinite when the sizes differ.
inline double max_abs_diff(const std::vector<float>& got, const at::Tensor& ref) {
  std::vector<float> r = to_floats(ref);
  if (r.size() != got.size()) return INFINITY;
  double m = 0.0;
  for (size_t i = 0; i < r.size(); ++i) m = std::max(m, std::fabs(double(got[i]) - double(r[i])));
  return m;
}

}  // namespace vctest
