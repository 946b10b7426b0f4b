// Benchmark of the GE2E encoder: embedding 10 s of 16 kHz audio (mel + partials + network, no decoding)
// and one training step of 64 speakers × 10 utterances × 160 frames. Prints the best and median of N runs.
//   bench_ge2e [CHECKPOINT|""] [runs=10] [threads]; VOXCLONE_GE2E_FAST=0 times LibTorch's LSTM instead.
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "ge2e_model.h"
#include "ge2e_train.h"

using Clock = std::chrono::steady_clock;
using namespace voxclone::ge2e;

namespace {

template <class F>
std::pair<double, double> time_ms(int runs, F&& f) {
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    f();
    t.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return {t.front(), t[t.size() / 2]};
}

}  // namespace

int main(int argc, char** argv) {
  std::string checkpoint = argc > 1 ? argv[1] : "";
  int runs = argc > 2 ? std::atoi(argv[2]) : 10;
  if (argc > 3) torch::set_num_threads(std::atoi(argv[3]));
  const char* fast = std::getenv("VOXCLONE_GE2E_FAST");  // "0": LibTorch's LSTM instead of the packed one
  torch::manual_seed(0);
  SpeakerEncoderNet net =
      checkpoint.empty() ? SpeakerEncoderNet(ModelOptions{}) : open_checkpoint(checkpoint);
  net->eval();
  net->fast_inference = !(fast && std::string(fast) == "0");
  // 10 s of speech-like noise: the content does not change the cost.
  std::vector<float> wav(160000);
  for (size_t i = 0; i < wav.size(); ++i)
    wav[i] = 0.1f * std::sin(0.05f * float(i)) * std::sin(0.0007f * float(i));
  embed_utterance(*net, wav);  // warm-up
  auto [best, median] = time_ms(runs, [&] { embed_utterance(*net, wav); });
  std::printf("threads %d, LSTM %s\n", torch::get_num_threads(),
              net->fast_inference ? (std::string("packed, ") + voxclone::fast_lstm_isa()).c_str() : "LibTorch");
  std::printf("embed 10 s of audio (12 partials): best %.1f ms, median %.1f ms\n", best, median);

  TrainSettings s;  // 64 × 10 × 160, Adam 1e-4
  Ge2eTrainTask task({}, s);
  torch::Tensor batch = torch::rand({s.speakers_per_batch * s.utterances_per_speaker, 160, 40}).pow(2) * 4;
  task.step_on(batch);  // warm-up
  int train_runs = std::max(1, runs / 3);
  auto [tbest, tmedian] = time_ms(train_runs, [&] { task.step_on(batch); });
  std::printf(
      "train step 64x10x160 (forward, loss, backward, clip, Adam): best %.0f ms, median %.0f ms (%d runs)\n",
      tbest, tmedian, train_runs);
  return 0;
}
