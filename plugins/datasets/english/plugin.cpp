// English language pack: registers dataset:librispeech, vctk, ljspeech, timit and text:english.
#include "english_readers.h"
#include "english_text.h"
#include "voxclone/error.h"
#include "voxclone/registry.h"

namespace {

using namespace voxclone;

class LibriSpeechDataset : public Dataset {
 public:
  explicit LibriSpeechDataset(const Config& c) {
    o_.alignments = c.get_bool("alignments");
    o_.read_durations = c.get_bool("read_durations");
  }
  DatasetListing list(const std::string& root, const std::vector<std::string>& subsets) override {
    return english::read_librispeech(root, subsets, o_);
  }

 private:
  english::LibriSpeechOptions o_;
};

class VctkDataset : public Dataset {
 public:
  explicit VctkDataset(const Config& c) {
    o_.mic = c.get_string("mic");
    o_.read_durations = c.get_bool("read_durations");
  }
  DatasetListing list(const std::string& root, const std::vector<std::string>& subsets) override {
    if (!subsets.empty()) throw UserError("vctk has no subsets");
    return english::read_vctk(root, o_);
  }

 private:
  english::VctkOptions o_;
};

class LjSpeechDataset : public Dataset {
 public:
  explicit LjSpeechDataset(const Config& c) {
    std::string col = c.get_string("text_column");
    if (col != "normalized" && col != "raw")
      throw UserError("ljspeech: text_column must be \"normalized\" or \"raw\" (got \"" + col + "\")");
    o_.normalized = col == "normalized";
    o_.speaker = c.get_string("speaker");
    o_.read_durations = c.get_bool("read_durations");
  }
  DatasetListing list(const std::string& root, const std::vector<std::string>& subsets) override {
    if (!subsets.empty()) throw UserError("ljspeech has no subsets");
    return english::read_ljspeech(root, o_);
  }

 private:
  english::LjSpeechOptions o_;
};

class TimitDataset : public Dataset {
 public:
  explicit TimitDataset(const Config& c) { o_.read_durations = c.get_bool("read_durations"); }
  DatasetListing list(const std::string& root, const std::vector<std::string>& subsets) override {
    return english::read_timit(root, subsets, o_);
  }

 private:
  english::TimitOptions o_;
};

class EnglishText : public TextFrontend {
 public:
  std::string normalize(const std::string& text) const override { return english::english_cleaners(text); }
  std::vector<int64_t> to_ids(const std::string& text) const override { return english::text_to_sequence(text); }
  std::vector<std::string> symbols() const override { return english::symbols(); }
};

template <class T>
std::unique_ptr<Dataset> make_dataset(const CreateArgs& a) {
  if (!a.checkpoint.empty()) throw UserError("a dataset reader takes no checkpoint (got " + a.checkpoint + ")");
  return std::make_unique<T>(a.config);
}

std::unique_ptr<TextFrontend> make_text(const CreateArgs&) { return std::make_unique<EnglishText>(); }

void register_all(Registry& r) {
  r.add<Dataset>("librispeech", &make_dataset<LibriSpeechDataset>,
                 "LibriSpeech <subset>/<speaker>/<chapter> (+ librispeech-alignments)");
  r.add<Dataset>("vctk", &make_dataset<VctkDataset>, "VCTK 0.80 (wav48) and 0.92 (wav48_silence_trimmed, mic1/mic2)");
  r.add<Dataset>("ljspeech", &make_dataset<LjSpeechDataset>, "LJSpeech-1.1 (metadata.csv + wavs/)");
  r.add<Dataset>("timit", &make_dataset<TimitDataset>, "TIMIT (NIST SPHERE .WAV, .TXT, .WRD)");
  r.add<TextFrontend>("english", &make_text, "RTVC english_cleaners, 66 symbols, {ARPAbet}, EOS '~'");
}

}  // namespace

VOXCLONE_PLUGIN("english", "0.1.0", register_all)
