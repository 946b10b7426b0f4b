// The common corpus manifest (utterance rows), its one validator and summary: what dataset plugins, the
// CLI and recipes share. No tensors here, so corpus readers compile without LibTorch headers.
//
//   auto ds = voxclone::Runtime::instance().create<voxclone::Dataset>("librispeech");
//   voxclone::DatasetListing l = ds->list("/data", {"train-clean-100"});
//   voxclone::ValidationRules rules;                 // or rules_from_config(the factory's config)
//   auto problems = voxclone::validate_listing(l, rules);
//   voxclone::DatasetSummary s = voxclone::summarize(l, problems);
//   std::puts(voxclone::summary_json(s).c_str());
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace voxclone {

/// One word with its time span (librispeech-alignments, TIMIT .WRD).
struct WordAlignment {
  std::string word;  ///< empty string for silence
  double start = 0.0, end = 0.0;
};

/// One row of the common manifest every corpus ends in.
struct Utterance {
  std::string id;        ///< unique within the dataset
  std::string speaker;
  std::string subset;    ///< e.g. train-clean-100 (may be empty)
  std::string audio;     ///< path to the audio file
  std::string text;      ///< transcript (may be empty)
  std::string language;  ///< e.g. "en", "zh"
  int sample_rate = 0;   ///< original rate when known without decoding (0: unknown)
  double seconds = 0.0;  ///< duration when known (0: unknown)
  double start = 0.0;    ///< segment start inside `audio` (subtitle cuts), seconds
  double end = 0.0;      ///< segment end (0: to the end of the file)
  std::vector<WordAlignment> alignment;
};

/// A problem found while reading a corpus: which file, which line, what.
struct DatasetProblem {
  std::string file;
  int line = 0;  ///< 0: not line-specific
  std::string message;
};

struct DatasetListing {
  std::vector<Utterance> utterances;
  std::vector<DatasetProblem> problems;
};

/// What the validator checks beyond the invariants every manifest has (unique non-empty ids, a speaker,
/// existing audio, sane segment and alignment times).
struct ValidationRules {
  bool text_required = false;    ///< the corpus promises a transcript for every utterance
  bool audio_must_exist = true;  ///< stat every audio path
  double min_seconds = 0.05;     ///< shorter known durations are reported
  double max_seconds = 3600.0;   ///< longer known durations are reported
  double time_tolerance = 0.05;  ///< slack (s) for segment/alignment ends past the audio's duration
};

class Config;
/// Reads the optional keys require_text, min_seconds, max_seconds of a dataset factory's config.
ValidationRules rules_from_config(const Config& config);

/// The one validator (like Kaldi's validate_data_dir.sh). Returns the problems found in the rows; the
/// listing's own reader problems are not repeated.
std::vector<DatasetProblem> validate_listing(const DatasetListing& listing, const ValidationRules& rules = {});

/// Totals over a listing. `seconds` counts segment lengths for cut utterances.
struct DatasetSummary {
  size_t speakers = 0, utterances = 0;
  size_t with_text = 0, with_alignment = 0, unknown_duration = 0;
  double seconds = 0.0;
  std::map<std::string, size_t> languages;  ///< language ("" → "unknown") → utterances
  std::map<std::string, size_t> subsets;    ///< subset ("" → "-") → utterances
  std::vector<DatasetProblem> problems;     ///< the reader's, then the validator's
};

/// Summarises `listing`; `validation` (from validate_listing) is appended to the listing's problems.
DatasetSummary summarize(const DatasetListing& listing, const std::vector<DatasetProblem>& validation = {});

/// The length an utterance stands for: end - start for cuts, else `seconds` (0 when unknown).
double utterance_seconds(const Utterance& u);

/// One JSON object: speakers, utterances, seconds, hours, with_text, with_alignment, unknown_duration,
/// languages {}, subsets {}, problems [{file, line, message}].
std::string summary_json(const DatasetSummary& summary);
/// One JSON object on one line: id, speaker, subset, audio, text, language, seconds, sample_rate, and
/// start/end/alignment when present.
std::string utterance_json(const Utterance& u);
/// "file:line: message" (or "file: message", or just the message).
std::string problem_text(const DatasetProblem& p);

/// For readers: fills `seconds` and `sample_rate` of every utterance whose duration is unknown from the
/// audio header (voxclone::audio_info, cheap for WAV/FLAC/NIST/MP4). An unreadable file becomes a problem
/// and its utterances are dropped.
void read_durations(DatasetListing& listing);

}  // namespace voxclone
