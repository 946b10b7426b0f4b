// `voxclone data check|list NAME:ROOT`: read a corpus through its dataset plugin, validate, summarise.
#include <cstdio>
#include <filesystem>

#include "command.h"
#include "voxclone/dataset.h"
#include "voxclone/error.h"
#include "voxclone/runtime.h"

namespace voxclone::cli {
namespace {

struct DataArgs {
  std::string spec, subsets;
  bool json = false;
};

std::vector<std::string> split_subsets(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    std::string item = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// NAME:ROOT → the listing and the factory's validation rules.
DatasetListing read_spec(const DataArgs& a, ValidationRules& rules) {
  size_t colon = a.spec.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == a.spec.size())
    throw UserError("expected NAME:ROOT (e.g. librispeech:/data/datasets), got '" + a.spec + "'");
  std::string name = a.spec.substr(0, colon), root = a.spec.substr(colon + 1);
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) throw UserError(name + ": " + root + ": no such folder");
  prepare_runtime();
  auto& rt = Runtime::instance();
  auto dataset = rt.create<Dataset>(name);
  rules = rules_from_config(rt.resolve_config(Kind::Dataset, name));
  return dataset->list(root, split_subsets(a.subsets));
}

void run_check(const DataArgs& a) {
  ValidationRules rules;
  DatasetListing listing = read_spec(a, rules);
  DatasetSummary s = summarize(listing, validate_listing(listing, rules));
  if (a.json) {
    std::printf("%s\n", summary_json(s).c_str());
    return;
  }
  std::printf("speakers:   %zu\nutterances: %zu (%zu with text, %zu aligned)\nhours:      %.3f (%.1f s",
              s.speakers, s.utterances, s.with_text, s.with_alignment, s.seconds / 3600.0, s.seconds);
  if (s.unknown_duration) std::printf("; %zu of unknown length", s.unknown_duration);
  std::printf(")\nlanguages: ");
  for (const auto& [l, n] : s.languages) std::printf(" %s (%zu)", l.c_str(), n);
  std::printf("\nsubsets:   ");
  for (const auto& [l, n] : s.subsets) std::printf(" %s (%zu)", l.c_str(), n);
  std::printf("\nproblems:   %zu\n", s.problems.size());
  for (const auto& p : s.problems) std::printf("  %s\n", problem_text(p).c_str());
}

void run_list(const DataArgs& a) {
  ValidationRules rules;
  DatasetListing listing = read_spec(a, rules);
  for (const auto& u : listing.utterances) std::printf("%s\n", utterance_json(u).c_str());
  for (const auto& p : listing.problems) std::fprintf(stderr, "warning: %s\n", problem_text(p).c_str());
}

void setup_data(CLI::App& app) {
  static DataArgs check_args, list_args;
  auto* data = app.add_subcommand("data", "Inspect a corpus through its dataset plugin (NAME:ROOT)");
  data->require_subcommand(1);
  auto* check = data->add_subcommand("check", "Validate a corpus: speakers, utterances, hours, languages, problems");
  check->add_option("dataset", check_args.spec, "NAME:ROOT, e.g. librispeech:/data/datasets")->required();
  check->add_option("--subsets", check_args.subsets, "Comma-separated subsets (default: all present)");
  check->add_flag("--json", check_args.json, "Print one JSON object");
  check->callback([] { run_check(check_args); });
  auto* list = data->add_subcommand("list", "Print one JSON object per utterance");
  list->add_option("dataset", list_args.spec, "NAME:ROOT")->required();
  list->add_option("--subsets", list_args.subsets, "Comma-separated subsets (default: all present)");
  list->callback([] { run_list(list_args); });
}

}  // namespace
VOXCLONE_COMMAND(60, setup_data);
}  // namespace voxclone::cli
