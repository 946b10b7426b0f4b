// A user's own recordings: audio files plus transcripts (CSV/TSV list, .txt/.lab beside the audio) or
// subtitles (.srt/.vtt, with speaker labels) and RTTM speaker turns, cut into utterances by time.
#pragma once

#include <string>
#include <vector>

#include "voxclone/dataset.h"

namespace voxclone::folder {

struct FolderOptions {
  std::string speaker;          ///< keep only this speaker ("" = all)
  std::string default_speaker;  ///< for unlabelled audio ("" = the sub-folder name, else the root's name)
  std::string language = "en";
  std::string transcripts;      ///< a `path|text` / `path<TAB>text` list relative to the root ("" = every *.csv/*.tsv at the root)
  bool speaker_labels = true;   ///< read "[SPEAKER_01]", "<v Name>", "Name:" at the start of a cue
  bool read_durations = true;
};

DatasetListing read_folder(const std::string& root, const FolderOptions& options);

/// One subtitle cue (exposed for tests): times in seconds, label "" when none was found.
struct Cue {
  double start = 0, end = 0;
  std::string speaker, text;
  int line = 0;  ///< line of the timing line in the file
};
/// Parses SubRip or WebVTT text; malformed cues become problems naming `file` and the line.
std::vector<Cue> parse_subtitles(const std::vector<std::string>& lines, const std::string& file, bool speaker_labels,
                                 std::vector<DatasetProblem>& problems);

}  // namespace voxclone::folder
