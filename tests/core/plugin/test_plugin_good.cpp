// A well-formed test plugin: registers a trivial vocoder "echo" (mel row 0 × gain) and a text frontend.
#include "voxclone/error.h"
#include "voxclone/registry.h"

namespace {
using namespace voxclone;

class Echo : public Vocoder {
 public:
  explicit Echo(const CreateArgs& a) : gain_(a.config.get_double("gain")) {}
  int sample_rate() const override { return 16000; }
  Waveform vocode(const Mel& mel, const VocodeOptions&) override {
    Waveform w;
    w.sample_rate = 16000;
    auto row = mel.data[0].contiguous();
    for (int64_t i = 0; i < row.numel(); ++i) w.samples.push_back(float(row.data_ptr<float>()[i] * gain_));
    return w;
  }

 private:
  double gain_;
};

class Upper : public TextFrontend {
 public:
  std::string normalize(const std::string& t) const override {
    std::string s = t;
    for (auto& c : s) c = char(toupper(c));
    return s;
  }
  std::vector<int64_t> to_ids(const std::string& t) const override {
    std::vector<int64_t> ids;
    for (unsigned char c : normalize(t)) ids.push_back(c);
    return ids;
  }
  std::vector<std::string> symbols() const override { return {}; }
};

std::unique_ptr<Vocoder> make_echo(const CreateArgs& a) { return std::make_unique<Echo>(a); }
std::unique_ptr<TextFrontend> make_upper(const CreateArgs&) { return std::make_unique<Upper>(); }
std::unique_ptr<Vocoder> make_failing(const CreateArgs& a) {
  throw UserError("the failing vocoder was asked for " + a.checkpoint);
}

void register_all(Registry& r) {
  r.add<Vocoder>("echo", &make_echo, "test vocoder");
  r.add<TextFrontend>("other", &make_upper, "test text frontend");
  r.add<Vocoder>("failing", &make_failing, "always throws a UserError");
}
}  // namespace

VOXCLONE_PLUGIN("test-good", "1.2.3", register_all)
