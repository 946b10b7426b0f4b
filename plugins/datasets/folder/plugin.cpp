// Folder pack: registers dataset:folder (a user's own audio with transcripts, subtitles or RTTM turns).
#include "folder_reader.h"
#include "voxclone/error.h"
#include "voxclone/registry.h"

namespace {

using namespace voxclone;

class FolderDataset : public Dataset {
 public:
  explicit FolderDataset(const Config& c) {
    o_.speaker = c.get_string("speaker");
    o_.default_speaker = c.get_string("default_speaker");
    o_.language = c.get_string("language");
    o_.transcripts = c.get_string("transcripts");
    o_.speaker_labels = c.get_bool("speaker_labels");
    o_.read_durations = c.get_bool("read_durations");
  }
  DatasetListing list(const std::string& root, const std::vector<std::string>& subsets) override {
    if (!subsets.empty()) throw UserError("folder has no subsets (choose a speaker with --set folder.speaker=NAME)");
    return folder::read_folder(root, o_);
  }

 private:
  folder::FolderOptions o_;
};

std::unique_ptr<Dataset> make(const CreateArgs& a) {
  if (!a.checkpoint.empty()) throw UserError("a dataset reader takes no checkpoint (got " + a.checkpoint + ")");
  return std::make_unique<FolderDataset>(a.config);
}

void register_all(Registry& r) {
  r.add<Dataset>("folder", &make, "your own audio: path|text lists, .txt/.lab, .srt/.vtt cues, RTTM turns");
}

}  // namespace

VOXCLONE_PLUGIN("folder", "0.1.0", register_all)
