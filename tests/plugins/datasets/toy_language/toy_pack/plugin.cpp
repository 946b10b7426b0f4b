// Toy language pack (test-only): a `dataset:toy` reader of a trivial layout and a `text:toy` frontend.
//
// Layout: <root>/transcripts.txt with lines "<speaker>/<utterance>|<text>" and audio at
// <root>/<speaker>/<utterance>.wav. Frontend: lower-case letters, space and (optionally) digits; everything
// else is dropped; EOS is 1.
#include <filesystem>
#include <fstream>

#include "voxclone/error.h"
#include "voxclone/registry.h"

namespace {

namespace fs = std::filesystem;
using namespace voxclone;

class ToyDataset : public Dataset {
 public:
  DatasetListing list(const std::string& root, const std::vector<std::string>& subsets) override {
    if (!subsets.empty()) throw UserError("toy: this corpus has no subsets");
    fs::path list_file = fs::path(root) / "transcripts.txt";
    std::ifstream in(list_file);
    if (!in) throw UserError(root + " is not a toy corpus: expected transcripts.txt");
    DatasetListing out;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      size_t bar = line.find('|');
      size_t slash = line.find('/');
      if (bar == std::string::npos || slash == std::string::npos || slash > bar) {
        out.problems.push_back({list_file.string(), number, "expected '<speaker>/<utterance>|<text>'"});
        continue;
      }
      Utterance u;
      u.speaker = line.substr(0, slash);
      u.id = line.substr(slash + 1, bar - slash - 1);
      u.text = line.substr(bar + 1);
      u.audio = (fs::path(root) / u.speaker / (u.id + ".wav")).string();
      u.language = "toy";
      if (!fs::exists(u.audio)) {
        out.problems.push_back({list_file.string(), number, "no audio file " + u.audio});
        continue;
      }
      out.utterances.push_back(u);
    }
    return out;
  }
};

class ToyText : public TextFrontend {
 public:
  explicit ToyText(bool keep_digits) : keep_digits_(keep_digits) {}
  std::string normalize(const std::string& text) const override {
    std::string out;
    for (unsigned char c : text) {
      char l = char(std::tolower(c));
      bool keep = (l >= 'a' && l <= 'z') || (keep_digits_ && l >= '0' && l <= '9');
      if (keep)
        out += l;
      else if (std::isspace(c) && !out.empty() && out.back() != ' ')
        out += ' ';
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
  }
  std::vector<int64_t> to_ids(const std::string& text) const override {
    std::vector<int64_t> ids;
    const auto s = symbols();
    for (char c : normalize(text))
      for (size_t i = 2; i < s.size(); ++i)
        if (s[i][0] == c) ids.push_back(int64_t(i));
    ids.push_back(1);
    return ids;
  }
  std::vector<std::string> symbols() const override {
    std::vector<std::string> s = {"_", "~", " "};
    for (char c = 'a'; c <= 'z'; ++c) s.push_back(std::string(1, c));
    for (char c = '0'; c <= '9'; ++c) s.push_back(std::string(1, c));
    return s;
  }

 private:
  bool keep_digits_;
};

std::unique_ptr<Dataset> make_dataset(const CreateArgs&) { return std::make_unique<ToyDataset>(); }
std::unique_ptr<TextFrontend> make_text(const CreateArgs& a) {
  return std::make_unique<ToyText>(a.config.get_bool("keep_digits"));
}

void register_all(Registry& r) {
  r.add<Dataset>("toy", &make_dataset, "Toy corpus: transcripts.txt + <speaker>/<utterance>.wav");
  r.add<TextFrontend>("toy", &make_text, "Toy language: lower-case letters and spaces");
}

}  // namespace

VOXCLONE_PLUGIN("toy", "0.1.0", register_all)
