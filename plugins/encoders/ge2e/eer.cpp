// ROC curve, linear interpolation and Brent's method for RTVC's equal error rate.
#include "eer.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "voxclone/error.h"

namespace voxclone::ge2e {

RocCurve roc_curve(const std::vector<bool>& labels, const std::vector<float>& scores) {
  if (labels.size() != scores.size() || labels.empty())
    throw InternalError("roc_curve: labels and scores must be non-empty and of the same size");
  const size_t n = scores.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });

  // Cumulated true/false positives at the last position of every run of equal scores.
  std::vector<double> tps, fps, thr;
  double tp = 0, fp = 0;
  for (size_t i = 0; i < n; ++i) {
    (labels[order[i]] ? tp : fp) += 1;
    if (i + 1 == n || scores[order[i + 1]] != scores[order[i]]) {
      tps.push_back(tp);
      fps.push_back(fp);
      thr.push_back(scores[order[i]]);
    }
  }
  // Points where both second differences vanish lie on a straight line through their neighbours.
  if (fps.size() > 2) {
    std::vector<double> t2, f2, h2;
    for (size_t i = 0; i < fps.size(); ++i) {
      bool keep = i == 0 || i + 1 == fps.size() || (fps[i + 1] - 2 * fps[i] + fps[i - 1]) != 0 ||
                  (tps[i + 1] - 2 * tps[i] + tps[i - 1]) != 0;
      if (keep) {
        t2.push_back(tps[i]);
        f2.push_back(fps[i]);
        h2.push_back(thr[i]);
      }
    }
    tps.swap(t2);
    fps.swap(f2);
    thr.swap(h2);
  }
  if (tps.back() <= 0 || fps.back() <= 0)
    throw InternalError("roc_curve: needs both positive and negative labels");
  RocCurve r;
  r.fpr.push_back(0.0);
  r.tpr.push_back(0.0);
  r.thresholds.push_back(thr.front() + 1.0);
  for (size_t i = 0; i < tps.size(); ++i) {
    r.fpr.push_back(fps[i] / fps.back());
    r.tpr.push_back(tps[i] / tps.back());
    r.thresholds.push_back(thr[i]);
  }
  return r;
}

double interpolate_linear(const std::vector<double>& x, const std::vector<double>& y, double at) {
  if (x.empty() || x.size() != y.size()) throw InternalError("interpolate_linear: need points");
  if (!(at >= x.front() && at <= x.back())) throw InternalError("interpolate_linear: value out of range");
  // The last point whose x is <= at (scipy delegates float64 data to numpy.interp, which does this).
  size_t j = size_t(std::upper_bound(x.begin(), x.end(), at) - x.begin()) - 1;
  if (j + 1 == x.size() || at == x[j]) return y[j];
  return (y[j + 1] - y[j]) / (x[j + 1] - x[j]) * (at - x[j]) + y[j];
}

double brent_root(const std::function<double(double)>& f, double a, double b, double xtol, double rtol,
                  int max_iter) {
  double x_prev = a, x_cur = b;
  double f_prev = f(x_prev), f_cur = f(x_cur);
  if (f_prev == 0) return x_prev;
  if (f_cur == 0) return x_cur;
  if (std::signbit(f_prev) == std::signbit(f_cur))
    throw InternalError("brent_root: f(a) and f(b) have the same sign");
  double x_blk = 0, f_blk = 0, s_prev = 0, s_cur = 0;
  for (int it = 0; it < max_iter; ++it) {
    // Keep [x_cur, x_blk] a bracket with x_cur the better end.
    if (f_prev != 0 && f_cur != 0 && std::signbit(f_prev) != std::signbit(f_cur)) {
      x_blk = x_prev;
      f_blk = f_prev;
      s_prev = s_cur = x_cur - x_prev;
    }
    if (std::fabs(f_blk) < std::fabs(f_cur)) {
      x_prev = x_cur;
      x_cur = x_blk;
      x_blk = x_prev;
      f_prev = f_cur;
      f_cur = f_blk;
      f_blk = f_prev;
    }
    const double tol = (xtol + rtol * std::fabs(x_cur)) / 2;
    const double s_bis = (x_blk - x_cur) / 2;
    if (f_cur == 0 || std::fabs(s_bis) < tol) return x_cur;
    bool interpolated = false;
    if (std::fabs(s_prev) > tol && std::fabs(f_cur) < std::fabs(f_prev)) {
      double s_try;
      if (x_prev == x_blk) {
        s_try = -f_cur * (x_cur - x_prev) / (f_cur - f_prev);  // secant
      } else {  // inverse quadratic interpolation through the three points
        double d_prev = (f_prev - f_cur) / (x_prev - x_cur);
        double d_blk = (f_blk - f_cur) / (x_blk - x_cur);
        s_try = -f_cur * (f_blk * d_blk - f_prev * d_prev) / (d_blk * d_prev * (f_blk - f_prev));
      }
      if (2 * std::fabs(s_try) < std::min(std::fabs(s_prev), 3 * std::fabs(s_bis) - tol)) {
        s_prev = s_cur;
        s_cur = s_try;
        interpolated = true;
      }
    }
    if (!interpolated) s_prev = s_cur = s_bis;
    x_prev = x_cur;
    f_prev = f_cur;
    x_cur += std::fabs(s_cur) > tol ? s_cur : (s_bis > 0 ? tol : -tol);
    f_cur = f(x_cur);
  }
  throw InternalError("brent_root: no convergence");
}

double equal_error_rate(const std::vector<bool>& labels, const std::vector<float>& scores) {
  RocCurve roc = roc_curve(labels, scores);
  return brent_root([&](double x) { return 1.0 - x - interpolate_linear(roc.fpr, roc.tpr, x); }, 0.0, 1.0);
}

}  // namespace voxclone::ge2e
