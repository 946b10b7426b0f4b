// Griffin-Lim vocoder plugin: training-free mel → waveform (RTVC's inv_mel_spectrogram).
#include "voxclone/dsp.h"
#include "voxclone/error.h"
#include "voxclone/registry.h"

namespace {

using namespace voxclone;

MelSettings settings_from(const Config& c) { return mel_settings_from_config(c, "griffinlim", "n_iter"); }

class GriffinLimVocoder : public Vocoder {
 public:
  explicit GriffinLimVocoder(const CreateArgs& args) : s_(settings_from(args.config)) {
    if (!args.checkpoint.empty())
      throw UserError("griffinlim takes no checkpoint (got " + args.checkpoint + "): it is training-free");
  }
  int sample_rate() const override { return s_.sample_rate; }
  MelSettings expected_mel() const override { return s_; }
  Waveform vocode(const Mel& mel, const VocodeOptions& options) override {
    if (!mel.data.defined() || mel.data.dim() != 2 || mel.data.size(0) != s_.num_mels)
      throw UserError("griffinlim: expected a mel of " + std::to_string(s_.num_mels) + " × frames");
    if (mel.data.size(1) < 1) throw UserError("griffinlim: the mel has no frames");
    Waveform w;
    w.sample_rate = s_.sample_rate;
    w.samples = inv_mel_spectrogram(mel.data, s_, options.seed);
    return w;
  }

 private:
  MelSettings s_;
};

std::unique_ptr<Vocoder> make(const CreateArgs& args) { return std::make_unique<GriffinLimVocoder>(args); }

void register_all(Registry& r) {
  r.add<Vocoder>("griffinlim", &make, "Griffin-Lim phase reconstruction (training-free, RTVC settings)");
}

}  // namespace

VOXCLONE_PLUGIN("griffinlim", "0.1.0", register_all)
