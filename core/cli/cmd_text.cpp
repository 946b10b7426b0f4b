// `voxclone text --frontend NAME TEXT`: the normalised text on one line, the symbol ids on the next.
#include <cstdio>

#include "command.h"
#include "voxclone/error.h"
#include "voxclone/runtime.h"

namespace voxclone::cli {
namespace {

struct TextArgs {
  std::string frontend;
  std::vector<std::string> words;  // the text may come as several arguments: joined by single spaces
};

void run_text(const TextArgs& a) {
  std::string text;
  for (const auto& w : a.words) text += (text.empty() ? "" : " ") + w;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw UserError("text: nothing to convert (the text is empty)");
  prepare_runtime();
  auto frontend = Runtime::instance().create<TextFrontend>(a.frontend);
  std::string normalized = frontend->normalize(text);
  std::vector<int64_t> ids = frontend->to_ids(text);
  std::string line;
  for (int64_t id : ids) line += (line.empty() ? "" : " ") + std::to_string(id);
  std::printf("%s\n%s\n", normalized.c_str(), line.c_str());
}

void setup_text(CLI::App& app) {
  static TextArgs args;
  auto* sub =
      app.add_subcommand("text", "Show what a text frontend makes of a text: normalised text and symbol ids");
  sub->add_option("--frontend,-f", args.frontend, "Text frontend (text:NAME), e.g. english or mandarin")
      ->required();
  sub->add_option("text", args.words, "The text (several arguments are joined by spaces)");
  sub->callback([] { run_text(args); });
}

}  // namespace
VOXCLONE_COMMAND(35, setup_text);
}  // namespace voxclone::cli
