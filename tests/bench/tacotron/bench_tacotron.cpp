// Times Tacotron generate() with RTVC's full-size default hparams (random weights, a fixed number of frames).
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "tacotron_model.h"

using namespace voxclone::tacotron;

int main(int argc, char** argv) {
  int64_t frames = argc > 1 ? std::atoll(argv[1]) : 400;  // 5 s at 16 kHz, hop 200
  int threads = argc > 2 ? std::atoi(argv[2]) : 1;
  int repeats = argc > 3 ? std::atoi(argv[3]) : 3;
  torch::set_num_threads(threads);
  torch::manual_seed(0);
  TacotronImpl model(TacotronOptions{});  // RTVC hparams.py defaults, r = 2
  model.eval();
  torch::NoGradGuard ng;
  // One sentence of 60 symbols (a typical 5 s utterance), ids in the English range.
  torch::Tensor ids = torch::randint(2, 66, {1, 60}, torch::kLong);
  torch::Tensor embed = torch::nn::functional::normalize(torch::randn({1, 256}),
                                                          torch::nn::functional::NormalizeFuncOptions().dim(1));
  std::printf("bench_tacotron: %lld frames, %d intra-op thread(s), best of %d\n", (long long)frames, threads, repeats);
  for (int64_t batch : {1, 8}) {
    torch::Tensor chars = ids.expand({batch, ids.size(1)}).contiguous();
    torch::Tensor emb = embed.expand({batch, 256}).contiguous();
    model.generate(chars, emb, 20, false);  // warm-up
    double best = 1e30;
    for (int k = 0; k < repeats; ++k) {
      auto t0 = std::chrono::steady_clock::now();
      TacotronOutput out = model.generate(chars, emb, frames, false);
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (out.postnet_outputs.size(2) != frames) {
        std::fprintf(stderr, "expected %lld frames, got %lld\n", (long long)frames,
                     (long long)out.postnet_outputs.size(2));
        return 1;
      }
      best = std::min(best, s);
    }
    std::printf("batch %lld: %.3f s\n", (long long)batch, best);
  }
  return 0;
}
