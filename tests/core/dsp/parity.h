// Shared helpers of the DSP tests: reference loading and tolerance checks that print the measured errors.
#pragma once

#include <ATen/ATen.h>

#include <catch2/catch.hpp>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "fixtures.h"

namespace dsptest {

inline const std::map<std::string, at::Tensor>& synth_audio() {
  static const auto d =
      vctest::load_pt_dict(vctest::fixture_or_skip("rtvc/synthesizer/audio/synth_audio.pt"));
  return d;
}

inline const std::map<std::string, at::Tensor>& encoder_audio() {
  static const auto d = vctest::load_pt_dict(vctest::fixture_or_skip("rtvc/encoder/encoder_audio.pt"));
  return d;
}

inline std::vector<float> to_vector(const at::Tensor& t) {
  const at::Tensor c = t.to(at::kFloat).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

/// Checks |actual - expected| <= atol + rtol * |expected| everywhere and prints the worst absolute error and
/// the worst error relative to its allowance, so the measured parity can be reported next to the tolerance.
inline void check_close(const std::string& what, const at::Tensor& actual, const at::Tensor& expected,
                        double atol, double rtol) {
  INFO(what);
  REQUIRE(actual.sizes() == expected.sizes());
  const at::Tensor a = actual.to(at::kDouble), e = expected.to(at::kDouble);
  const at::Tensor err = (a - e).abs();
  const double max_abs = err.max().item<double>();
  // Worst error as a fraction of its allowance: <= 1 passes; one number that covers abs and rel tolerances.
  const double worst = (err / (atol + rtol * e.abs()).clamp_min(1e-300)).max().item<double>();
  std::cout << "[parity] " << what << ": max abs err " << max_abs << ", worst err/tolerance " << worst
            << " (tolerance atol " << atol << " + rtol " << rtol << ")" << std::endl;
  INFO("max abs err " << max_abs << ", worst err/tolerance " << worst);
  CHECK(worst <= 1.0);
}

}  // namespace dsptest
