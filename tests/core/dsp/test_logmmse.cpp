// logmmse noise reduction against RTVC's utils/logmmse.py references, and the exponential integral it uses.
#include <ATen/ATen.h>

#include <catch2/catch.hpp>
#include <cmath>

#include "parity.h"
#include "voxclone/error.h"
#include "voxclone/logmmse.h"

using namespace voxclone;

namespace {

const std::map<std::string, at::Tensor>& logmmse_refs() {
  static const auto d = vctest::load_pt_dict(vctest::fixture_or_skip("rtvc/synthesizer/audio/logmmse.pt"));
  return d;
}

at::Tensor to_tensor(const std::vector<double>& v) { return at::tensor(at::ArrayRef<double>(v)); }
at::Tensor to_tensor(const std::vector<float>& v) { return at::tensor(at::ArrayRef<float>(v)); }

// E1 by direct quadrature of e^-t / t on a substituted variable, independent of the series and continued
// fraction under test: t = x + u / (1 - u), u in [0, 1), Simpson's rule on a fine grid.
double e1_by_quadrature(double x) {
  const int n = 200000;
  auto f = [x](double u) {
    if (u >= 1.0) return 0.0;
    const double t = x + u / (1.0 - u);
    return std::exp(-t) / t / ((1.0 - u) * (1.0 - u));
  };
  double s = f(0.0) + f(1.0);
  for (int i = 1; i < n; ++i) s += f(double(i) / n) * (i % 2 ? 4.0 : 2.0);
  return s / (3.0 * n);
}

}  // namespace

TEST_CASE("exponential_integral_e1 agrees with quadrature and known values", "[dsp][logmmse]") {
  // E1(1) = 0.21938393439552027 (Abramowitz & Stegun table 5.1).
  CHECK(exponential_integral_e1(1.0) == Approx(0.21938393439552027).epsilon(1e-14));
  // Near 0, E1(x) = -gamma - ln x + x - x^2/4 + ...: the quadrature would need a far finer grid there.
  const double gamma = 0.5772156649015329;
  CHECK(exponential_integral_e1(1e-8) == Approx(-gamma - std::log(1e-8) + 1e-8).epsilon(1e-15));
  for (double x : {1e-2, 0.3, 0.99, 1.01, 2.5, 10.0, 40.0}) {
    INFO("x = " << x);
    CHECK(exponential_integral_e1(x) == Approx(e1_by_quadrature(x)).epsilon(1e-9));
  }
  CHECK_THROWS_AS(exponential_integral_e1(0.0), UserError);
  CHECK_THROWS_AS(exponential_integral_e1(-1.0), UserError);
}

TEST_CASE("logmmse profile_noise matches RTVC", "[dsp][logmmse]") {
  const auto& ref = logmmse_refs();
  const NoiseProfile p = logmmse_profile_noise(dsptest::to_vector(ref.at("noise")), 16000);
  CHECK(p.window_size == 320);
  CHECK(p.len1 == 160);
  CHECK(p.len2 == 160);
  CHECK(p.n_fft == 640);
  dsptest::check_close("profile win", to_tensor(p.win), ref.at("profile_win"), 1e-12, 0);
  dsptest::check_close("profile noise_mu2", to_tensor(p.noise_mu2), ref.at("profile_noise_mu2"), 0, 1e-6);
}

TEST_CASE("logmmse denoise matches RTVC with and without noise adaptation", "[dsp][logmmse]") {
  const auto& ref = logmmse_refs();
  const NoiseProfile p = logmmse_profile_noise(dsptest::to_vector(ref.at("noise")), 16000);
  const std::vector<float> noisy = dsptest::to_vector(ref.at("noisy"));
  const std::vector<float> eta0 = logmmse_denoise(noisy, p, 0.0);
  const std::vector<float> eta15 = logmmse_denoise(noisy, p, 0.15);
  REQUIRE(eta0.size() == noisy.size());
  dsptest::check_close("denoised eta 0", to_tensor(eta0), ref.at("denoised_eta0"), 1e-5, 0);
  dsptest::check_close("denoised eta 0.15", to_tensor(eta15), ref.at("denoised_eta015"), 1e-5, 0);
  // The two settings must differ, or the adaptation branch would be untested.
  CHECK(vctest::max_abs_diff(to_tensor(eta0), to_tensor(eta15)) > 1e-4);
}

TEST_CASE("logmmse rejects bad input and returns zeros for a wav under three hops", "[dsp][logmmse]") {
  CHECK_THROWS_AS(logmmse_profile_noise(std::vector<float>(100, 0.01f), 16000), UserError);
  CHECK_THROWS_AS(logmmse_profile_noise(std::vector<float>(1000, 0.01f), 0), UserError);
  std::vector<float> noise(1000);
  for (size_t i = 0; i < noise.size(); ++i) noise[i] = 0.01f * float(std::sin(0.37 * double(i * i)));
  const NoiseProfile p = logmmse_profile_noise(noise, 16000);
  // RTVC's frame count is floor(len / hop) - floor(window / hop): 300 samples give none, 480 give one.
  const std::vector<float> one_frame = logmmse_denoise(std::vector<float>(480, 0.5f), p);
  CHECK(std::any_of(one_frame.begin(), one_frame.end(), [](float v) { return v != 0.0f; }));
  const std::vector<float> short_wav(300, 0.5f);
  const std::vector<float> out = logmmse_denoise(short_wav, p);
  CHECK(out.size() == short_wav.size());
  CHECK(std::all_of(out.begin(), out.end(), [](float v) { return v == 0.0f; }));
  // Digital silence as "noise": bins without power, which RTVC turns into NaN samples; refused here.
  const NoiseProfile silent = logmmse_profile_noise(std::vector<float>(1000, 0.0f), 16000);
  CHECK(logmmse_profile_usable(p));
  CHECK_FALSE(logmmse_profile_usable(silent));
  CHECK_THROWS_AS(logmmse_denoise(std::vector<float>(4000, 0.1f), silent), UserError);
  NoiseProfile broken = p;
  broken.noise_mu2.pop_back();
  CHECK_THROWS_AS(logmmse_denoise(short_wav, broken), UserError);
}
