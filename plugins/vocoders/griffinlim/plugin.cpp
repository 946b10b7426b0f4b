// Griffin-Lim vocoder plugin: training-free mel → waveform (RTVC's inv_mel_spectrogram).
#include "voxclone/dsp.h"
#include "voxclone/error.h"
#include "voxclone/registry.h"

namespace {

using namespace voxclone;

MelSettings settings_from(const Config& c) {
  MelSettings s;
  s.sample_rate = int(c.get_int("sample_rate"));
  s.n_fft = int(c.get_int("n_fft"));
  s.hop_size = int(c.get_int("hop_size"));
  s.win_size = int(c.get_int("win_size"));
  s.num_mels = int(c.get_int("num_mels"));
  s.fmin = c.get_double("fmin");
  s.fmax = c.get_double("fmax");
  s.preemphasize = c.get_bool("preemphasize");
  s.preemphasis = c.get_double("preemphasis");
  s.min_level_db = c.get_double("min_level_db");
  s.ref_level_db = c.get_double("ref_level_db");
  s.max_abs_value = c.get_double("max_abs_value");
  s.symmetric_mels = c.get_bool("symmetric_mels");
  s.signal_normalization = c.get_bool("signal_normalization");
  s.allow_clipping_in_normalization = c.get_bool("allow_clipping_in_normalization");
  s.power = c.get_double("power");
  s.griffin_lim_iters = int(c.get_int("n_iter"));
  if (s.griffin_lim_iters < 1) throw UserError("griffinlim: n_iter must be at least 1");
  if (s.n_fft < 16 || s.hop_size < 1 || s.win_size < 1 || s.win_size > s.n_fft)
    throw UserError("griffinlim: need n_fft >= 16, hop_size >= 1 and 1 <= win_size <= n_fft");
  if (s.fmax <= s.fmin || s.fmax > s.sample_rate / 2.0)
    throw UserError("griffinlim: need fmin < fmax <= sample_rate / 2");
  return s;
}

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
