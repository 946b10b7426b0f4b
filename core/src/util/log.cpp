// spdlog set-up: one console sink on stderr, plus an optional per-run file.
#include "voxclone/log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include "voxclone/error.h"

namespace voxclone {

void init_logging(const std::string& level, const std::string& file) {
  auto lvl = spdlog::level::from_str(level);
  if (lvl == spdlog::level::off && level != "off")
    throw UserError("unknown log level '" + level + "' (expected trace, debug, info, warn, error or off)");
  std::vector<spdlog::sink_ptr> sinks;
  auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  console->set_pattern("%^[%H:%M:%S %l]%$ %v");
  sinks.push_back(console);
  if (!file.empty()) {
    try {
      auto f = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file, false);
      f->set_pattern("[%Y-%m-%d %H:%M:%S.%e %l] %v");
      f->set_level(spdlog::level::debug);
      sinks.push_back(f);
    } catch (const spdlog::spdlog_ex& e) {
      throw UserError("cannot open log file " + file + ": " + e.what());
    }
  }
  auto logger = std::make_shared<spdlog::logger>("voxclone", sinks.begin(), sinks.end());
  logger->set_level(file.empty() ? lvl : std::min(lvl, spdlog::level::debug));
  console->set_level(lvl);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

}  // namespace voxclone
