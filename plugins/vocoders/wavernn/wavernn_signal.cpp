// WaveRNN signal helpers: mu-law, label ↔ float, pad/fold/cross-fade, the end of generate().
#include "wavernn_signal.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>

#include "voxclone/dsp.h"
#include "voxclone/error.h"

namespace voxclone::wavernn {
namespace {

at::Tensor as_double_contiguous(const at::Tensor& x) { return x.to(at::kDouble).contiguous(); }

// numpy.linspace(start, stop, num) in float64: start + i * step, the last value set to stop.
std::vector<double> linspace(double start, double stop, int64_t num) {
  std::vector<double> y(size_t(std::max<int64_t>(num, 0)));
  if (num == 1) y[0] = start;
  if (num < 2) return y;
  const double step = (stop - start) / double(num - 1);
  for (int64_t i = 0; i < num; ++i) y[size_t(i)] = double(i) * step + start;
  y.back() = stop;
  return y;
}

}  // namespace

at::Tensor encode_mu_law(const at::Tensor& x, int64_t mu) {
  const at::Tensor in = as_double_contiguous(x);
  at::Tensor out = at::empty_like(in);
  const double m = double(mu - 1);
  const double log_mu = std::log(1.0 + m);
  const double* p = in.data_ptr<double>();
  double* q = out.data_ptr<double>();
  for (int64_t i = 0; i < in.numel(); ++i) {
    const double sign = p[i] > 0 ? 1.0 : (p[i] < 0 ? -1.0 : 0.0);
    const double fx = sign * std::log(1.0 + m * std::fabs(p[i])) / log_mu;
    q[i] = std::floor((fx + 1.0) / 2.0 * m + 0.5);
  }
  return out;
}

at::Tensor decode_mu_law(const at::Tensor& y, int64_t mu, bool from_labels) {
  at::Tensor in = from_labels ? label_2_float(y.to(at::kDouble), int64_t(std::lround(std::log2(double(mu)))))
                              : y.to(at::kDouble);
  in = in.contiguous();
  at::Tensor out = at::empty_like(in);
  const double m = double(mu - 1);
  const double* p = in.data_ptr<double>();
  double* q = out.data_ptr<double>();
  for (int64_t i = 0; i < in.numel(); ++i) {
    const double sign = p[i] > 0 ? 1.0 : (p[i] < 0 ? -1.0 : 0.0);
    q[i] = sign / m * (std::pow(1.0 + m, std::fabs(p[i])) - 1.0);
  }
  return out;
}

at::Tensor label_2_float(const at::Tensor& x, int64_t bits) {
  const at::Tensor v = at::isFloatingType(x.scalar_type()) ? x : x.to(at::kDouble);
  return v.mul(2).div(double((int64_t(1) << bits) - 1)).sub(1.0);
}

at::Tensor float_2_label(const at::Tensor& x, int64_t bits) {
  const at::Tensor v = at::isFloatingType(x.scalar_type()) ? x : x.to(at::kDouble);
  const double top = double((int64_t(1) << bits) - 1);
  return v.add(1.0).mul(top).div(2.0).clamp(0.0, top);
}

at::Tensor pad_tensor(const at::Tensor& x, int64_t pad, const std::string& side) {
  if (x.dim() != 3) throw InternalError("wavernn pad_tensor: expected [B, T, C]");
  const int64_t b = x.size(0), t = x.size(1), c = x.size(2);
  const bool both = side == "both";
  if (!both && side != "before" && side != "after")
    throw InternalError("wavernn pad_tensor: side must be both, before or after");
  at::Tensor padded = at::zeros({b, t + (both ? 2 * pad : pad), c}, x.options());
  if (side == "after")
    padded.narrow(1, 0, t).copy_(x);
  else
    padded.narrow(1, pad, t).copy_(x);
  return padded;
}

at::Tensor fold_with_overlap(const at::Tensor& x_in, int64_t target, int64_t overlap) {
  if (x_in.dim() != 3 || x_in.size(0) != 1)
    throw InternalError("wavernn fold_with_overlap: expected [1, L, F]");
  if (target < 1 || overlap < 0) throw UserError("wavernn: target must be >= 1 and overlap >= 0");
  at::Tensor x = x_in;
  const int64_t total_len = x.size(1), features = x.size(2);
  int64_t num_folds = (total_len - overlap) / (target + overlap);
  // Python's floor division for a negative numerator (a sequence shorter than the overlap).
  if ((total_len - overlap) < 0 && (total_len - overlap) % (target + overlap) != 0) --num_folds;
  const int64_t extended_len = num_folds * (overlap + target) + overlap;
  const int64_t remaining = total_len - extended_len;
  if (remaining != 0) {
    ++num_folds;
    x = pad_tensor(x, target + 2 * overlap - remaining, "after");
  }
  at::Tensor folded = at::zeros({num_folds, target + 2 * overlap, features}, x.options());
  for (int64_t i = 0; i < num_folds; ++i)
    folded[i].copy_(x[0].narrow(0, i * (target + overlap), target + 2 * overlap));
  return folded;
}

at::Tensor xfade_and_unfold(const at::Tensor& y_in, int64_t /*target*/, int64_t overlap) {
  if (y_in.dim() != 2) throw InternalError("wavernn xfade_and_unfold: expected [num_folds, length]");
  at::Tensor y = y_in.to(at::kDouble).contiguous().clone();
  const int64_t num_folds = y.size(0), length = y.size(1);
  const int64_t target = length - 2 * overlap;  // RTVC recomputes it from the shape
  const int64_t total_len = num_folds * (target + overlap) + overlap;
  const int64_t silence_len = overlap / 2, fade_len = overlap - silence_len;
  const std::vector<double> t = linspace(-1.0, 1.0, fade_len);
  std::vector<double> fade_in(size_t(overlap), 0.0), fade_out(size_t(overlap), 0.0);
  for (int64_t i = 0; i < fade_len; ++i) {
    fade_in[size_t(silence_len + i)] = std::sqrt(0.5 * (1.0 + t[size_t(i)]));
    fade_out[size_t(i)] = std::sqrt(0.5 * (1.0 - t[size_t(i)]));
  }
  double* p = y.data_ptr<double>();
  for (int64_t f = 0; f < num_folds; ++f) {
    double* row = p + f * length;
    for (int64_t i = 0; i < overlap; ++i) {
      row[i] *= fade_in[size_t(i)];
      row[length - overlap + i] *= fade_out[size_t(i)];
    }
  }
  at::Tensor unfolded = at::zeros({total_len}, y.options());
  double* u = unfolded.data_ptr<double>();
  for (int64_t f = 0; f < num_folds; ++f) {
    const int64_t start = f * (target + overlap);
    for (int64_t i = 0; i < length; ++i) u[start + i] += p[f * length + i];
  }
  return unfolded;
}

at::Tensor finish_waveform(const at::Tensor& samples, int64_t n_classes, bool mu_law, bool deemphasize,
                           double k, int64_t wave_len, int64_t fade_len) {
  at::Tensor out = samples.to(at::kDouble).reshape({-1});
  if (mu_law) out = decode_mu_law(out, n_classes, false);
  if (deemphasize) out = deemphasis(out, k);
  out = out.narrow(0, 0, std::min<int64_t>(wave_len, out.numel())).contiguous().clone();
  const int64_t n = std::min<int64_t>(fade_len, out.numel());
  const std::vector<double> fade = linspace(1.0, 0.0, fade_len);
  double* p = out.data_ptr<double>() + (out.numel() - n);
  for (int64_t i = 0; i < n; ++i) p[i] *= fade[size_t(fade_len - n + i)];
  return out;
}

}  // namespace voxclone::wavernn
