// GE2E partial slicing and EER against RTVC's compute_partial_slices and SpeakerEncoder.loss.
#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "eer.h"
#include "fixtures.h"
#include "partials.h"

using namespace voxclone::ge2e;

namespace {

void check_ranges(const std::vector<Range>& got, const at::Tensor& want) {
  REQUIRE(int64_t(got.size()) == want.size(0));
  for (size_t i = 0; i < got.size(); ++i) {
    CHECK(got[i].start == want[int64_t(i)][0].item<int64_t>());
    CHECK(got[i].stop == want[int64_t(i)][1].item<int64_t>());
  }
}

}  // namespace

TEST_CASE("compute_partial_slices matches RTVC on every reference case", "[ge2e][partials]") {
  auto ref = vctest::load_pt_dict(vctest::fixture_or_skip("rtvc/encoder/partial_slices.pt"));
  std::ifstream in(vctest::fixture_or_skip("rtvc/encoder/meta.json"));
  auto meta = nlohmann::json::parse(in);
  auto cases = meta.at("partial_slices_cases");
  REQUIRE(cases.size() == 16);
  for (const auto& c : cases) {
    int index = c.at("index");
    INFO("case " << index << " n_samples " << c.at("n_samples"));
    PartialOptions o;
    const auto& kw = c.at("kwargs");
    if (kw.contains("partial_utterance_n_frames")) o.partial_frames = kw.at("partial_utterance_n_frames");
    if (kw.contains("min_pad_coverage")) o.min_pad_coverage = kw.at("min_pad_coverage");
    if (kw.contains("overlap")) o.overlap = kw.at("overlap");
    PartialSlices s = compute_partial_slices(int64_t(c.at("n_samples")), o);
    check_ranges(s.wav, ref.at("wav_slices_" + std::to_string(index)));
    check_ranges(s.mel, ref.at("mel_slices_" + std::to_string(index)));
  }
}

TEST_CASE("EER of the reference similarity matrix matches sklearn roc_curve + brentq", "[ge2e][eer]") {
  auto ref = vctest::load_pt_dict(vctest::fixture_or_skip("rtvc/encoder/ge2e_loss.pt"));
  at::Tensor sim = ref.at("similarity_matrix").contiguous();  // [S, U, S]
  const int64_t S = sim.size(0), U = sim.size(1);
  std::vector<float> scores(sim.data_ptr<float>(), sim.data_ptr<float>() + sim.numel());
  std::vector<bool> labels(scores.size());
  for (int64_t row = 0; row < S * U; ++row) labels[size_t(row * S + row / U)] = true;
  double eer = equal_error_rate(labels, scores);
  CHECK(std::fabs(eer - ref.at("eer").item<double>()) < 1e-6);
}

TEST_CASE("Brent's method finds roots to the requested tolerance and refuses bad brackets", "[ge2e][eer]") {
  double r = brent_root([](double x) { return x * x * x - 2.0; }, 0.0, 2.0);
  CHECK(std::fabs(r - std::cbrt(2.0)) < 1e-11);
  CHECK_THROWS(brent_root([](double x) { return x * x + 1.0; }, -1.0, 1.0));
}
