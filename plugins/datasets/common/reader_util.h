// Small filesystem and text helpers shared by the corpus readers (compiled into each dataset plugin).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "voxclone/dataset.h"

namespace voxclone::readers {

namespace fs = std::filesystem;

std::string lower(std::string s);
std::string trim(const std::string& s);
std::vector<std::string> split(const std::string& s, char sep);
/// Lower-cased extension with the dot (".flac").
std::string ext_of(const fs::path& p);
bool is_audio_file(const fs::path& p);  ///< .wav .flac .mp3 .ogg .m4a .sph (any case)
/// Strict full-string number parse.
bool parse_double(const std::string& s, double& out);
bool parse_long(const std::string& s, long long& out);

/// Entries of `dir` sorted by name (directories or regular files); empty if `dir` is not a folder.
std::vector<fs::path> sorted_dirs(const fs::path& dir);
std::vector<fs::path> sorted_files(const fs::path& dir);
/// Every regular file below `dir`, sorted by path.
std::vector<fs::path> files_recursive(const fs::path& dir);
/// A child of `dir` whose name equals `name` ignoring case ("" if none).
fs::path child_nocase(const fs::path& dir, const std::string& name);

/// Lines of a text file without '\r' and a leading UTF-8 BOM. On failure: false and one problem.
bool read_lines(const fs::path& file, std::vector<std::string>& lines, std::vector<DatasetProblem>& problems);

/// UserError (exit 2, one line) unless `root` is an existing folder.
void require_folder(const std::string& root, const std::string& corpus);
/// `root/name` when that folder exists (the datasets_root layout RTVC uses), else `root`.
fs::path corpus_dir(const std::string& root, const std::vector<std::string>& names);

/// Picks the requested subsets among those present (case-insensitively; empty request: all). A requested
/// subset that is absent becomes a problem; the returned paths are the present ones.
std::vector<fs::path> select_subsets(const std::vector<fs::path>& present, const std::vector<std::string>& requested,
                                     const fs::path& where, std::vector<DatasetProblem>& problems);

/// UserError for a corpus that has no subsets when some were requested.
void refuse_subsets(const std::vector<std::string>& requested, const std::string& corpus);

}  // namespace voxclone::readers
