// Helpers the Mandarin corpus readers share: transcript lines, WAV headers, problem lists, subset folders.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "voxclone/interfaces.h"

namespace voxclone::mandarin {

/// One line of a text file: its 1-based number and its text without the line ending ("\n", "\r\n").
struct TextLine {
  int number = 0;
  std::string text;
};

/// Reads a UTF-8 text file as lines (a leading BOM is removed). False (and `error`) if it cannot be read.
bool read_text_lines(const std::string& path, std::vector<TextLine>& lines, std::string& error);

/// Splits on every occurrence of `sep` (empty fields kept, like Python's str.split(sep)).
std::vector<std::string> split(const std::string& text, char sep);

/// Removes leading and trailing ASCII whitespace.
std::string trim(const std::string& text);

/// What a RIFF/WAVE header tells without decoding: the sample rate and the duration.
struct WavHeader {
  int sample_rate = 0;
  int channels = 0;
  double seconds = 0.0;
};
/// False (and `error`) when `path` is not a readable RIFF/WAVE file with a fmt and a data chunk.
bool read_wav_header(const std::string& path, WavHeader& header, std::string& error);

/// Collects problems; after `max_per_file` problems for one file, further ones are only counted and
/// summarised by finish(), so a corpus that was not unpacked gives a readable report.
class ProblemList {
 public:
  explicit ProblemList(int max_per_file = 50) : max_per_file_(max_per_file) {}
  void add(const std::string& file, int line, const std::string& message);
  /// Appends the collected problems and one summary line per file that overflowed.
  void finish(std::vector<DatasetProblem>& out);

 private:
  int max_per_file_;
  std::vector<DatasetProblem> problems_;
  std::map<std::string, int> counts_;
};

/// The corpus folder: `root` itself when `is_corpus(root)`, else `root/folder_name` when that passes
/// (a datasets root as MockingBird's pre.py takes it). UserError naming `root` and what was expected.
std::string resolve_corpus_root(const std::string& root, const std::string& folder_name,
                                bool (*is_corpus)(const std::string&), const std::string& expected);

/// Checks requested subsets against the known ones (UserError listing them); empty request: all known.
std::vector<std::string> select_subsets(const std::string& corpus, const std::vector<std::string>& requested,
                                        const std::vector<std::string>& known);

/// Sub-folders of `dir`, sorted by name (none if `dir` is not a folder).
std::vector<std::string> sorted_subdirs(const std::string& dir);
/// Regular files directly in `dir` whose lower-cased extension is one of `exts` (".wav"), sorted by name.
std::vector<std::string> sorted_files(const std::string& dir, const std::vector<std::string>& exts);

/// read_text_lines for a corpus transcript: an unreadable file is one problem ("utterances are listed
/// without text") and false.
bool read_transcript_lines(const std::string& path, std::vector<TextLine>& lines, ProblemList& problems);

/// Every audio file (.wav, .flac, .mp3) of `dir`/<speaker>/, speakers and files sorted, as an utterance of
/// `subset` with its id (the file's stem), speaker, audio path and language "zh"; `fill(u, file name)` adds
/// the text, then the WAV header is read (describe_audio) and `u` appended to `out`.
void list_speaker_audio(const std::string& dir, const std::string& subset, ProblemList& problems,
                        std::vector<Utterance>& out,
                        const std::function<void(Utterance& u, const std::string& file)>& fill);

/// Fills sample_rate/seconds from the WAV header when the file is a WAV; reports unreadable headers.
void describe_audio(Utterance& u, ProblemList& problems);

/// Sorts by (subset, speaker, id) so listings do not depend on the file system's order.
void sort_utterances(std::vector<Utterance>& utterances);

}  // namespace voxclone::mandarin
