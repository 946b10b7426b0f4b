// Equal error rate as RTVC computes it: an ROC curve like sklearn's roc_curve, then the root of
// 1 - x - tpr(x) by Brent's method (scipy brentq) over the linear interpolation of the curve.
#pragma once

#include <functional>
#include <vector>

namespace voxclone::ge2e {

struct RocCurve {
  std::vector<double> fpr, tpr, thresholds;
};

/// sklearn.metrics.roc_curve(labels, scores) with drop_intermediate=True: one point per distinct score
/// (descending), collinear interior points dropped, (0, 0) prepended. InternalError if the sizes differ
/// or a class is absent.
RocCurve roc_curve(const std::vector<bool>& labels, const std::vector<float>& scores);

/// scipy.interpolate.interp1d(x, y)(at) for float64 data, which scipy hands to numpy.interp: x
/// non-decreasing; at a repeated x the LAST point of the run gives the value. InternalError outside
/// [x.front(), x.back()].
double interpolate_linear(const std::vector<double>& x, const std::vector<double>& y, double at);

/// Brent's root finding on [a, b] (f(a), f(b) of opposite signs or zero), with scipy brentq's stopping
/// rule: |step| < (xtol + rtol |x|) / 2. InternalError if the signs agree or it does not converge.
double brent_root(const std::function<double(double)>& f, double a, double b, double xtol = 2e-12,
                  double rtol = 8.881784197001252e-16, int max_iter = 100);

/// EER of binary `labels` (true = target) and `scores`: brentq(1 - x - interp(fpr, tpr)(x), 0, 1).
double equal_error_rate(const std::vector<bool>& labels, const std::vector<float>& scores);

}  // namespace voxclone::ge2e
