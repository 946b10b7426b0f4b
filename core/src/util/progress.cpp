// Progress bar with rate and ETA on a terminal; periodic plain log lines otherwise.
#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "voxclone/log.h"

namespace voxclone {

namespace {
std::string format_duration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  long t = long(s + 0.5);
  char buf[32];
  if (t >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  else
    std::snprintf(buf, sizeof buf, "%02ld:%02ld", t / 60, t % 60);
  return buf;
}
}  // namespace

bool Progress::stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

Progress::Progress(std::string label, int64_t total, std::string unit, double plain_interval_s)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      interval_(plain_interval_s),
      tty_(stderr_is_terminal()),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() { finish(); }

void Progress::set_postfix(const std::string& text) { postfix_ = text; }

void Progress::advance(int64_t n) {
  done_ += n;
  auto now = std::chrono::steady_clock::now();
  double since = std::chrono::duration<double>(now - last_draw_).count();
  if ((tty_ && since >= 0.1) || (!tty_ && since >= interval_)) {
    last_draw_ = now;
    draw(false);
  }
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  draw(true);
}

void Progress::draw(bool final) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = elapsed > 0 ? done_ / elapsed : 0.0;
  double eta = (total_ > 0 && rate > 0) ? (total_ - done_) / rate : NAN;
  char stats[160];
  if (total_ > 0)
    std::snprintf(stats, sizeof stats, "%lld/%lld %s [%s<%s, %.2f %s/s]", (long long)done_,
                  (long long)total_, unit_.c_str(), format_duration(elapsed).c_str(),
                  format_duration(eta).c_str(), rate, unit_.c_str());
  else
    std::snprintf(stats, sizeof stats, "%lld %s [%s, %.2f %s/s]", (long long)done_, unit_.c_str(),
                  format_duration(elapsed).c_str(), rate, unit_.c_str());
  std::string post = postfix_.empty() ? "" : " " + postfix_;
  if (tty_) {
    std::string bar;
    if (total_ > 0) {
      const int width = 30;
      int filled = int(width * std::min<double>(1.0, double(done_) / total_));
      bar = "|" + std::string(filled, '#') + std::string(width - filled, '.') + "| ";
    }
    std::fprintf(stderr, "\r\033[K%s %s%s%s", label_.c_str(), bar.c_str(), stats, post.c_str());
    if (final) std::fputc('\n', stderr);
    std::fflush(stderr);
  } else if (final || done_ > 0) {
    spdlog::info("{}: {}{}{}", label_, stats, post, final ? " (done)" : "");
  }
}

}  // namespace voxclone
