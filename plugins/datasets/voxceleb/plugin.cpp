// VoxCeleb pack: registers dataset:voxceleb1 and dataset:voxceleb2 (speaker-verification corpora).
#include <cctype>
#include <variant>

#include "voxceleb_readers.h"
#include "voxclone/error.h"
#include "voxclone/registry.h"

namespace {

using namespace voxclone;

class VoxCeleb1Dataset : public Dataset {
 public:
  explicit VoxCeleb1Dataset(const Config& c) {
    o_.nationalities.clear();
    const ConfigValue& v = c.get("nationalities");
    const auto* arr = std::get_if<ConfigValue::Array>(&v.v);
    if (!arr) throw UserError("voxceleb1: nationalities must be an array of strings");
    for (const auto& item : *arr) {
      const auto* s = std::get_if<std::string>(&item.v);
      if (!s) throw UserError("voxceleb1: nationalities must be an array of strings");
      std::string l = *s;
      for (char& ch : l) ch = char(std::tolower(static_cast<unsigned char>(ch)));
      o_.nationalities.push_back(l);
    }
    o_.read_durations = c.get_bool("read_durations");
  }
  DatasetListing list(const std::string& root, const std::vector<std::string>& subsets) override {
    return voxceleb::read_voxceleb1(root, subsets, o_);
  }

 private:
  voxceleb::VoxCeleb1Options o_;
};

class VoxCeleb2Dataset : public Dataset {
 public:
  explicit VoxCeleb2Dataset(const Config& c) { o_.read_durations = c.get_bool("read_durations"); }
  DatasetListing list(const std::string& root, const std::vector<std::string>& subsets) override {
    return voxceleb::read_voxceleb2(root, subsets, o_);
  }

 private:
  voxceleb::VoxCeleb2Options o_;
};

template <class T>
std::unique_ptr<Dataset> make(const CreateArgs& a) {
  if (!a.checkpoint.empty()) throw UserError("a dataset reader takes no checkpoint (got " + a.checkpoint + ")");
  return std::make_unique<T>(a.config);
}

void register_all(Registry& r) {
  r.add<Dataset>("voxceleb1", &make<VoxCeleb1Dataset>, "VoxCeleb1 wav/ + vox1_meta.csv (anglophone filter as RTVC)");
  r.add<Dataset>("voxceleb2", &make<VoxCeleb2Dataset>, "VoxCeleb2 dev|test/aac/*.m4a (decoded with FFmpeg)");
}

}  // namespace

VOXCLONE_PLUGIN("voxceleb", "0.1.0", register_all)
