// check_mel_compatible: refuses to pair a mel producer with a consumer trained on differently made mels.
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "voxclone/error.h"
#include "voxclone/mel.h"

namespace voxclone {
namespace {

std::string num(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

void check_mel_compatible(const MelSettings& p, const MelSettings& e, const std::string& producer,
                          const std::string& consumer) {
  std::vector<std::string> diffs;
  auto cmp = [&](const char* field, double a, double b) {
    if (std::abs(a - b) > 1e-9 * std::max(1.0, std::abs(b)))
      diffs.push_back(std::string(field) + " " + num(a) + " vs " + num(b));
  };
  auto cmp_bool = [&](const char* field, bool a, bool b) {
    if (a != b)
      diffs.push_back(std::string(field) + " " + (a ? "true" : "false") + " vs " + (b ? "true" : "false"));
  };
  cmp("sample_rate", p.sample_rate, e.sample_rate);
  cmp("hop_size", p.hop_size, e.hop_size);
  cmp("win_size", p.win_size, e.win_size);
  cmp("n_fft", p.n_fft, e.n_fft);
  cmp("num_mels", p.num_mels, e.num_mels);
  cmp("fmin", p.fmin, e.fmin);
  cmp("fmax", p.fmax, e.fmax);
  cmp_bool("preemphasize", p.preemphasize, e.preemphasize);
  if (p.preemphasize && e.preemphasize) cmp("preemphasis", p.preemphasis, e.preemphasis);
  cmp_bool("signal_normalization", p.signal_normalization, e.signal_normalization);
  cmp("min_level_db", p.min_level_db, e.min_level_db);
  cmp("ref_level_db", p.ref_level_db, e.ref_level_db);
  if (p.signal_normalization && e.signal_normalization) {
    cmp_bool("symmetric_mels", p.symmetric_mels, e.symmetric_mels);
    cmp("max_abs_value", p.max_abs_value, e.max_abs_value);
  }
  if (diffs.empty()) return;
  std::string list;
  for (const auto& d : diffs) list += (list.empty() ? "" : ", ") + d;
  throw UserError("mel mismatch: " + producer + " makes mels that " + consumer + " was not trained on (" +
                  list + "; " + producer + " vs " + consumer + ")");
}

}  // namespace voxclone
