// The one training loop every model plugin uses: resume, step counting, checkpoint/backup cadence,
// Ctrl-C handling, loss log, progress, evaluation hooks. A plugin supplies a TrainTask (its module, batches,
// losses, optimisers and checkpoint format); core owns the loop around it.
//
//   class MyTask : public voxclone::TrainTask { ... };
//   voxclone::TrainOptions o; o.run_dir = "models/run1"; o.max_steps = 1000; o.save_every = 100;
//   voxclone::TrainResult r = voxclone::train(task, o);
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "voxclone/checkpoint.h"

namespace torch::optim {
class Adam;
class Optimizer;
}  // namespace torch::optim

namespace voxclone {

struct TrainOptions {
  std::string run_dir;           ///< created; holds the checkpoint, backups/, samples/, train_log.csv
  int64_t max_steps = 0;         ///< stop once the global step reaches this (> 0 required)
  int64_t save_every = 500;      ///< atomic checkpoint every N steps (0: only at the end / on interruption)
  int64_t backup_every = 0;      ///< also keep backups/<stem>_<step>.pt every N steps (0: never)
  int64_t eval_every = 0;        ///< TrainTask::evaluate every N steps (0: never)
  int64_t log_every = 10;        ///< a log line (and a train_log.csv row) every N steps
  double max_wall_seconds = 0;   ///< stop after this long, saving first (0: no limit)
  bool force_restart = false;    ///< ignore an existing checkpoint (it is moved to backups/, not deleted)
};

/// What one step reports: the loss (a float) and other named figures for the log (lr, eer, grad_norm ...).
struct StepReport {
  double loss = 0.0;
  std::vector<std::pair<std::string, double>> metrics;
};

/// Supplied by a model plugin.
class TrainTask {
 public:
  virtual ~TrainTask();
  /// File name of the checkpoint inside run_dir, e.g. "encoder.pt".
  virtual std::string checkpoint_name() const = 0;
  /// Loads model + optimiser state from `path` (the plugin's own format) and returns the step it holds.
  virtual int64_t resume(const std::string& path) = 0;
  /// One optimisation step numbered `step` (1-based): draw a batch, forward, backward, clip, update.
  virtual StepReport train_step(int64_t step) = 0;
  /// Writes the checkpoint for `step` to `path` (call ckpt::save; it writes atomically).
  virtual void save(const std::string& path, int64_t step) = 0;
  /// Optional: samples, plots, held-out metrics into `dir` (run_dir/samples). Returned figures are logged.
  virtual std::vector<std::pair<std::string, double>> evaluate(int64_t step, const std::string& dir) {
    return {};
  }
};

struct TrainResult {
  int64_t start_step = 0;  ///< the step resumed from (0: fresh)
  int64_t end_step = 0;
  bool interrupted = false;  ///< stopped by SIGINT/SIGTERM (after saving)
  std::vector<std::pair<int64_t, double>> losses;  ///< (step, loss) of every step run here
};

/// Runs `task` until options.max_steps. SIGINT/SIGTERM finish the current step, save and return with
/// interrupted = true (a second signal exits at once; the last checkpoint is intact because writes are
/// atomic). Appends to run_dir/train_log.csv (step,loss,seconds,metrics...) and shows a progress bar.
TrainResult train(TrainTask& task, const TrainOptions& options);

// ---- PyTorch-compatible optimiser state, so checkpoints move between voxclone and Python --------------

/// torch.optim.Adam.state_dict() as PyTorch 1.13 writes it: {"state": {i: {"step": tensor, "exp_avg",
/// "exp_avg_sq"}}, "param_groups": [{"lr", "betas", "eps", "weight_decay", "amsgrad", "maximize",
/// "foreach", "capturable", "params": [0..n)}]}. Works for AdamW too (weight_decay as given).
ckpt::Value adam_state_dict(torch::optim::Optimizer& adam);

/// Restores an Adam/AdamW state written by PyTorch (1.x: "step" int or tensor) or by adam_state_dict.
/// UserError if the parameter count or shapes differ. `reset_lr` > 0 overrides the saved learning rate.
void load_adam_state_dict(torch::optim::Optimizer& adam, const ckpt::Value& state, double reset_lr = 0.0);

/// torch.nn.utils.clip_grad_norm_: returns the total norm before clipping.
double clip_grad_norm(const std::vector<at::Tensor>& parameters, double max_norm);

}  // namespace voxclone
