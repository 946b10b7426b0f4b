// Filesystem and text helpers shared by the corpus readers.
#include "reader_util.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <system_error>

#include "voxclone/error.h"

namespace voxclone::readers {

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return s;
}

std::string trim(const std::string& s) {
  const char* ws = " \t\r\n\v\f";
  size_t a = s.find_first_not_of(ws);
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(ws);
  return s.substr(a, b - a + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t p = s.find(sep, start);
    out.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
    if (p == std::string::npos) return out;
    start = p + 1;
  }
}

std::string ext_of(const fs::path& p) { return lower(p.extension().string()); }

bool is_audio_file(const fs::path& p) {
  static const char* kExts[] = {".wav", ".flac", ".mp3", ".ogg", ".m4a", ".sph"};
  std::string e = ext_of(p);
  return std::any_of(std::begin(kExts), std::end(kExts), [&](const char* x) { return e == x; });
}

bool parse_double(const std::string& s, double& out) {
  if (s.empty()) return false;
  errno = 0;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return errno == 0 && end == s.c_str() + s.size();
}

bool parse_long(const std::string& s, long long& out) {
  if (s.empty()) return false;
  errno = 0;
  char* end = nullptr;
  out = std::strtoll(s.c_str(), &end, 10);
  return errno == 0 && end == s.c_str() + s.size();
}

namespace {
std::vector<fs::path> entries(const fs::path& dir, bool want_dirs) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code ec2;
    bool d = it->is_directory(ec2);
    if (want_dirs ? d : (!d && it->is_regular_file(ec2))) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

std::vector<fs::path> sorted_dirs(const fs::path& dir) { return entries(dir, true); }
std::vector<fs::path> sorted_files(const fs::path& dir) { return entries(dir, false); }

std::vector<fs::path> files_recursive(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::follow_directory_symlink, ec), end;
       !ec && it != end; it.increment(ec)) {
    std::error_code ec2;
    if (it->is_regular_file(ec2)) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

fs::path child_nocase(const fs::path& dir, const std::string& name) {
  std::error_code ec;
  if (fs::exists(dir / name, ec)) return dir / name;
  std::string want = lower(name);
  if (!fs::is_directory(dir, ec)) return {};
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (lower(it->path().filename().string()) == want) return it->path();
  return {};
}

bool read_lines(const fs::path& file, std::vector<std::string>& lines, std::vector<DatasetProblem>& problems) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    problems.push_back({file.string(), 0, "cannot read the file"});
    return false;
  }
  lines.clear();
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (lines.empty() && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    lines.push_back(line);
  }
  return true;
}

void require_folder(const std::string& root, const std::string& corpus) {
  std::error_code ec;
  if (root.empty()) throw UserError(corpus + ": no root folder given");
  if (!fs::exists(root, ec)) throw UserError(corpus + ": " + root + ": no such folder");
  if (!fs::is_directory(root, ec)) throw UserError(corpus + ": " + root + " is not a folder");
}

fs::path corpus_dir(const std::string& root, const std::vector<std::string>& names) {
  for (const auto& n : names) {
    fs::path p = child_nocase(root, n);
    std::error_code ec;
    if (!p.empty() && fs::is_directory(p, ec)) return p;
  }
  return fs::path(root);
}

std::vector<fs::path> select_subsets(const std::vector<fs::path>& present, const std::vector<std::string>& requested,
                                     const fs::path& where, std::vector<DatasetProblem>& problems) {
  if (requested.empty()) return present;
  std::vector<fs::path> out;
  for (const auto& r : requested) {
    auto it = std::find_if(present.begin(), present.end(),
                           [&](const fs::path& p) { return lower(p.filename().string()) == lower(r); });
    if (it == present.end()) problems.push_back({where.string(), 0, "subset '" + r + "' not found"});
    else if (std::find(out.begin(), out.end(), *it) == out.end()) out.push_back(*it);
  }
  return out;
}

void refuse_subsets(const std::vector<std::string>& requested, const std::string& corpus) {
  if (!requested.empty()) throw UserError(corpus + " has no subsets (got --subsets " + requested.front() + "...)");
}

}  // namespace voxclone::readers
