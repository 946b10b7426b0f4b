// Mandarin language pack plugin: registers dataset:aishell3, dataset:aidatatang_200zh, dataset:magicdata
// and text:mandarin.
#include "mandarin_text.h"
#include "readers.h"
#include "voxclone/error.h"
#include "voxclone/registry.h"

namespace {

using namespace voxclone;
using namespace voxclone::mandarin;

class Aishell3Dataset : public Dataset {
 public:
  explicit Aishell3Dataset(const Config& c) {
    std::string text = c.get_string("text");
    if (text != "pinyin" && text != "hanzi")
      throw UserError("aishell3: text must be \"pinyin\" or \"hanzi\", got \"" + text + "\"");
    options_.pinyin_text = text == "pinyin";
  }
  DatasetListing list(const std::string& root, const std::vector<std::string>& subsets) override {
    return list_aishell3(root, subsets, options_);
  }

 private:
  Aishell3Options options_;
};

class AidatatangDataset : public Dataset {
 public:
  DatasetListing list(const std::string& root, const std::vector<std::string>& subsets) override {
    return list_aidatatang(root, subsets);
  }
};

class MagicdataDataset : public Dataset {
 public:
  explicit MagicdataDataset(const Config& c) {
    options_.speaker_in_text = c.get_bool("speaker_in_text");
    options_.drop_markers = c.get_bool("drop_markers");
  }
  DatasetListing list(const std::string& root, const std::vector<std::string>& subsets) override {
    return list_magicdata(root, subsets, options_);
  }

 private:
  MagicdataOptions options_;
};

MandarinTextOptions text_options(const Config& c) {
  MandarinTextOptions o;
  std::string path = c.get_string("path");
  if (path == "inference")
    o.path = TextPath::Inference;
  else if (path == "preprocess")
    o.path = TextPath::Preprocess;
  else
    throw UserError("mandarin: path must be \"inference\" or \"preprocess\", got \"" + path + "\"");
  o.read_numbers = c.get_bool("read_numbers");
  return o;
}

class MandarinFrontend : public TextFrontend {
 public:
  explicit MandarinFrontend(const Config& c) : text_(text_options(c)) {}
  std::string normalize(const std::string& text) const override { return text_.normalize(text); }
  std::vector<int64_t> to_ids(const std::string& text) const override { return text_.to_ids(text); }
  std::vector<std::string> symbols() const override { return MandarinText::symbols(); }

 private:
  MandarinText text_;
};

void no_checkpoint(const CreateArgs& a, const char* name) {
  if (!a.checkpoint.empty())
    throw UserError(std::string(name) + " takes no checkpoint (got " + a.checkpoint + ")");
}

std::unique_ptr<Dataset> make_aishell3(const CreateArgs& a) {
  no_checkpoint(a, "aishell3");
  return std::make_unique<Aishell3Dataset>(a.config);
}
std::unique_ptr<Dataset> make_aidatatang(const CreateArgs& a) {
  no_checkpoint(a, "aidatatang_200zh");
  return std::make_unique<AidatatangDataset>();
}
std::unique_ptr<Dataset> make_magicdata(const CreateArgs& a) {
  no_checkpoint(a, "magicdata");
  return std::make_unique<MagicdataDataset>(a.config);
}
std::unique_ptr<TextFrontend> make_mandarin(const CreateArgs& a) {
  no_checkpoint(a, "mandarin");
  return std::make_unique<MandarinFrontend>(a.config);
}

void register_all(Registry& r) {
  r.add<Dataset>("aishell3", &make_aishell3, "AISHELL-3 (train/test, 44.1 kHz, pinyin transcripts)");
  r.add<Dataset>("aidatatang_200zh", &make_aidatatang,
                 "aidatatang_200zh (train/dev/test, extracted per-speaker tarballs)");
  r.add<Dataset>("magicdata", &make_magicdata,
                 "MAGICDATA Mandarin Chinese Read Speech (train/dev/test, TRANS.txt)");
  r.add<TextFrontend>("mandarin", &make_mandarin,
                      "Chinese → pinyin with tone digits → MockingBird symbol ids");
}

}  // namespace

VOXCLONE_PLUGIN("mandarin", "0.1.0", register_all)
