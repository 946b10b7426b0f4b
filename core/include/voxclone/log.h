// Logging (spdlog) and progress reporting shared by core, plugins and recipes.
#pragma once

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace voxclone {

/// Console logger to stderr at `level` ("trace", "debug", "info", "warn", "error"), plus a per-run log
/// file when `file` is not empty. Safe to call again (replaces the sinks).
void init_logging(const std::string& level = "info", const std::string& file = "");

/// Progress over `total` items (0 = unknown). On a terminal: a redrawn bar with rate and ETA;
/// otherwise a plain log line every `plain_interval_s` seconds. finish() (or the destructor) ends it.
class Progress {
 public:
  Progress(std::string label, int64_t total, std::string unit = "it", double plain_interval_s = 10.0);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void advance(int64_t n = 1);
  void set_postfix(const std::string& text);  ///< e.g. "loss 0.123"
  void finish();

  static bool stderr_is_terminal();

 private:
  void draw(bool final);
  std::string label_, unit_, postfix_;
  int64_t total_, done_ = 0;
  double interval_;
  bool tty_, finished_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace voxclone
