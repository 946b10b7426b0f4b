// MelSettings read from a plugin's configuration: one reader for every plugin that makes or inverts mels.
#include "voxclone/error.h"
#include "voxclone/mel.h"

namespace voxclone {

MelSettings mel_settings_from_config(const Config& c, const std::string& owner, const std::string& iterations_key) {
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
  s.griffin_lim_iters = int(c.get_int(iterations_key));
  if (s.griffin_lim_iters < 1) throw UserError(owner + ": " + iterations_key + " must be at least 1");
  if (s.num_mels < 1 || s.n_fft < 16 || s.hop_size < 1 || s.win_size < 1 || s.win_size > s.n_fft)
    throw UserError(owner + ": need num_mels >= 1, n_fft >= 16, hop_size >= 1 and 1 <= win_size <= n_fft");
  if (s.sample_rate < 1 || s.fmin < 0 || s.fmax <= s.fmin || s.fmax > s.sample_rate / 2.0)
    throw UserError(owner + ": need 0 <= fmin < fmax <= sample_rate / 2");
  return s;
}

}  // namespace voxclone
