// Implementation of the shared corpus-reader helpers (plain C++17: no audio library, no tensors).
#include "corpus_util.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "voxclone/error.h"

namespace fs = std::filesystem;

namespace voxclone::mandarin {

bool read_text_lines(const std::string& path, std::vector<TextLine>& lines, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot be read";
    return false;
  }
  std::string line;
  int number = 0;
  lines.clear();
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (number == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    lines.push_back({number, line});
  }
  if (in.bad()) {
    error = "read error";
    return false;
  }
  return true;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t pos = text.find(sep, start);
    if (pos == std::string::npos) {
      out.push_back(text.substr(start));
      return out;
    }
    out.push_back(text.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string trim(const std::string& text) {
  const char* ws = " \t\r\n\f\v";
  size_t a = text.find_first_not_of(ws);
  if (a == std::string::npos) return "";
  size_t b = text.find_last_not_of(ws);
  return text.substr(a, b - a + 1);
}

namespace {
uint32_t le32(const unsigned char* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (uint32_t(p[3]) << 24); }
uint16_t le16(const unsigned char* p) { return uint16_t(p[0] | (p[1] << 8)); }
}  // namespace

bool read_wav_header(const std::string& path, WavHeader& header, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot be opened";
    return false;
  }
  unsigned char riff[12];
  if (!in.read(reinterpret_cast<char*>(riff), 12) || std::memcmp(riff, "RIFF", 4) != 0 ||
      std::memcmp(riff + 8, "WAVE", 4) != 0) {
    error = "not a RIFF/WAVE file";
    return false;
  }
  uint32_t byte_rate = 0, data_bytes = 0;
  bool have_fmt = false, have_data = false;
  unsigned char chunk[8];
  while (!have_data && in.read(reinterpret_cast<char*>(chunk), 8)) {
    uint32_t size = le32(chunk + 4);
    if (std::memcmp(chunk, "fmt ", 4) == 0) {
      if (size < 16) break;
      unsigned char fmt[16];
      if (!in.read(reinterpret_cast<char*>(fmt), 16)) break;
      header.channels = le16(fmt + 2);
      header.sample_rate = int(le32(fmt + 4));
      byte_rate = le32(fmt + 8);
      have_fmt = true;
      in.seekg(std::streamoff(size - 16 + (size & 1)), std::ios::cur);
    } else if (std::memcmp(chunk, "data", 4) == 0) {
      data_bytes = size;
      have_data = true;
    } else {
      in.seekg(std::streamoff(size + (size & 1)), std::ios::cur);
    }
  }
  if (!have_fmt || !have_data || header.sample_rate <= 0 || byte_rate == 0) {
    error = "WAV header without a usable fmt/data chunk";
    return false;
  }
  header.seconds = double(data_bytes) / double(byte_rate);
  return true;
}

void ProblemList::add(const std::string& file, int line, const std::string& message) {
  int n = ++counts_[file];
  if (n <= max_per_file_) problems_.push_back({file, line, message});
}

void ProblemList::finish(std::vector<DatasetProblem>& out) {
  for (auto& p : problems_) out.push_back(std::move(p));
  problems_.clear();
  for (const auto& [file, n] : counts_)
    if (n > max_per_file_)
      out.push_back(
          {file, 0, std::to_string(n - max_per_file_) + " more problems like the above not listed"});
  counts_.clear();
}

std::string resolve_corpus_root(const std::string& root, const std::string& folder_name,
                                bool (*is_corpus)(const std::string&), const std::string& expected) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) throw UserError(root + ": no such folder (expected " + expected + ")");
  if (is_corpus(root)) return root;
  std::string nested = (fs::path(root) / folder_name).string();
  if (is_corpus(nested)) return nested;
  throw UserError(root + " is not a " + folder_name + " corpus: expected " + expected);
}

std::vector<std::string> select_subsets(const std::string& corpus, const std::vector<std::string>& requested,
                                        const std::vector<std::string>& known) {
  if (requested.empty()) return known;
  for (const auto& s : requested) {
    if (std::find(known.begin(), known.end(), s) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      throw UserError(corpus + ": unknown subset '" + s + "' (subsets: " + list + ")");
    }
  }
  return requested;
}

std::vector<std::string> sorted_subdirs(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_directory(ec)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> sorted_files(const std::string& dir, const std::vector<std::string>& exts) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_regular_file(ec)) continue;
    std::string ext = e.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    if (std::find(exts.begin(), exts.end(), ext) != exts.end()) out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void describe_audio(Utterance& u, ProblemList& problems) {
  std::string ext = fs::path(u.audio).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (ext != ".wav") return;  // other containers: known only after decoding
  WavHeader h;
  std::string error;
  if (!read_wav_header(u.audio, h, error)) {
    problems.add(u.audio, 0, error);
    return;
  }
  u.sample_rate = h.sample_rate;
  u.seconds = h.seconds;
}

bool read_transcript_lines(const std::string& path, std::vector<TextLine>& lines, ProblemList& problems) {
  std::string error;
  if (read_text_lines(path, lines, error)) return true;
  problems.add(path, 0, "transcript " + error + "; utterances are listed without text");
  return false;
}

void list_speaker_audio(const std::string& dir, const std::string& subset, ProblemList& problems,
                        std::vector<Utterance>& out,
                        const std::function<void(Utterance& u, const std::string& file)>& fill) {
  for (const auto& speaker : sorted_subdirs(dir)) {
    for (const auto& file : sorted_files((fs::path(dir) / speaker).string(), {".wav", ".flac", ".mp3"})) {
      Utterance u;
      u.id = fs::path(file).stem().string();
      u.speaker = speaker;
      u.subset = subset;
      u.audio = (fs::path(dir) / speaker / file).string();
      u.language = "zh";
      fill(u, file);
      describe_audio(u, problems);
      out.push_back(std::move(u));
    }
  }
}

void sort_utterances(std::vector<Utterance>& utterances) {
  std::sort(utterances.begin(), utterances.end(), [](const Utterance& a, const Utterance& b) {
    return std::tie(a.subset, a.speaker, a.id) < std::tie(b.subset, b.speaker, b.id);
  });
}

}  // namespace voxclone::mandarin
