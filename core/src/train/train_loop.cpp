// The shared training loop: resume, cadence of checkpoints/backups/evaluation, Ctrl-C, loss log, progress.
#include <csignal>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "voxclone/error.h"
#include "voxclone/log.h"
#include "voxclone/train.h"

namespace voxclone {

namespace fs = std::filesystem;

TrainTask::~TrainTask() = default;

namespace {

std::atomic<int> g_signals{0};

extern "C" void on_stop_signal(int sig) {
  if (g_signals.fetch_add(1) >= 1) {  // second signal: leave now (the last checkpoint is intact)
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
}

// Installs the handlers for the duration of a training run and restores the previous ones afterwards.
class StopSignals {
 public:
  StopSignals() {
    g_signals = 0;
    prev_int_ = std::signal(SIGINT, on_stop_signal);
    prev_term_ = std::signal(SIGTERM, on_stop_signal);
  }
  ~StopSignals() {
    std::signal(SIGINT, prev_int_);
    std::signal(SIGTERM, prev_term_);
  }
  bool requested() const { return g_signals.load() > 0; }

 private:
  void (*prev_int_)(int);
  void (*prev_term_)(int);
};

std::string format_metrics(const std::vector<std::pair<std::string, double>>& m) {
  std::ostringstream s;
  for (size_t i = 0; i < m.size(); ++i) s << (i ? ";" : "") << m[i].first << "=" << m[i].second;
  return s.str();
}

std::string timestamp() {
  auto t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  std::ostringstream s;
  s << std::put_time(&tm, "%Y%m%d-%H%M%S");
  return s.str();
}

}  // namespace

TrainResult train(TrainTask& task, const TrainOptions& o) {
  if (o.run_dir.empty()) throw UserError("training needs a run folder (run_dir)");
  if (o.max_steps <= 0) throw UserError("training needs max_steps > 0");
  std::error_code ec;
  fs::create_directories(fs::path(o.run_dir) / "backups", ec);
  if (ec) throw UserError("cannot create run folder " + o.run_dir + ": " + ec.message());
  fs::create_directories(fs::path(o.run_dir) / "samples", ec);

  const std::string ckpt_path = (fs::path(o.run_dir) / task.checkpoint_name()).string();
  const std::string stem = fs::path(task.checkpoint_name()).stem().string();
  TrainResult result;
  if (fs::exists(ckpt_path)) {
    if (o.force_restart) {
      std::string moved = (fs::path(o.run_dir) / "backups" / (stem + "_before_restart_" + timestamp() + ".pt")).string();
      fs::rename(ckpt_path, moved, ec);
      if (ec) throw UserError("cannot move " + ckpt_path + " aside: " + ec.message());
      spdlog::info("force_restart: previous checkpoint moved to {}", moved);
    } else {
      result.start_step = task.resume(ckpt_path);
      spdlog::info("resumed from {} at step {}", ckpt_path, result.start_step);
    }
  } else {
    spdlog::info("starting a new run in {}", o.run_dir);
  }
  result.end_step = result.start_step;
  if (result.start_step >= o.max_steps) {
    spdlog::info("nothing to do: step {} already reaches max_steps {}", result.start_step, o.max_steps);
    return result;
  }

  std::ofstream log(fs::path(o.run_dir) / "train_log.csv", std::ios::app);
  if (log.tellp() == 0) log << "step,loss,elapsed_s,metrics\n";

  StopSignals signals;
  Progress bar("train", o.max_steps - result.start_step, "step");
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  auto save = [&](int64_t step) {
    task.save(ckpt_path, step);
    spdlog::debug("checkpoint {} at step {}", ckpt_path, step);
  };
  bool saved_last = true;

  for (int64_t step = result.start_step + 1; step <= o.max_steps; ++step) {
    StepReport r = task.train_step(step);
    if (!std::isfinite(r.loss))
      throw InternalError("training diverged: loss is " + std::to_string(r.loss) + " at step " +
                          std::to_string(step) + " (the last checkpoint is kept)");
    result.end_step = step;
    result.losses.emplace_back(step, r.loss);
    saved_last = false;
    bar.advance();
    bar.set_postfix("loss " + std::to_string(r.loss));
    if (o.log_every > 0 && step % o.log_every == 0) {
      log << step << "," << r.loss << "," << elapsed() << "," << format_metrics(r.metrics) << "\n";
      log.flush();
      spdlog::debug("step {} loss {:.5f} {}", step, r.loss, format_metrics(r.metrics));
    }
    if (o.save_every > 0 && step % o.save_every == 0) {
      save(step);
      saved_last = true;
    }
    if (o.backup_every > 0 && step % o.backup_every == 0) {
      char name[64];
      std::snprintf(name, sizeof name, "_%09lld.pt", (long long)step);
      task.save((fs::path(o.run_dir) / "backups" / (stem + name)).string(), step);
    }
    if (o.eval_every > 0 && step % o.eval_every == 0) {
      auto m = task.evaluate(step, (fs::path(o.run_dir) / "samples").string());
      if (!m.empty()) {
        spdlog::info("eval at step {}: {}", step, format_metrics(m));
        log << step << ",," << elapsed() << "," << format_metrics(m) << "\n";
        log.flush();
      }
    }
    if (signals.requested()) {
      spdlog::warn("interrupted: saving step {} and stopping", step);
      result.interrupted = true;
      break;
    }
    if (o.max_wall_seconds > 0 && elapsed() >= o.max_wall_seconds) {
      spdlog::info("time limit of {:.0f} s reached at step {}", o.max_wall_seconds, step);
      break;
    }
  }
  if (!saved_last) save(result.end_step);
  bar.finish();
  return result;
}

}  // namespace voxclone
