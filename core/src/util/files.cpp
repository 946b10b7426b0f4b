// Atomic file replacement and whole-file reads.
#include "voxclone/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "voxclone/error.h"

namespace voxclone {

namespace fs = std::filesystem;

AtomicFile::AtomicFile(std::string target) : target_(std::move(target)) {
  fs::path t(target_);
  if (t.filename().empty()) throw UserError("not a file path: " + target_);
  std::random_device rd;
  temp_ = (t.parent_path() / ("." + t.filename().string() + ".tmp" + std::to_string(rd() % 1000000))).string();
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    std::error_code ec;
    fs::remove(temp_, ec);
  }
}

void AtomicFile::commit() {
  int fd = ::open(temp_.c_str(), O_RDONLY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  if (std::rename(temp_.c_str(), target_.c_str()) != 0)
    throw UserError("cannot write " + target_ + ": " + std::strerror(errno));
  committed_ = true;
}

void write_file_atomic(const std::string& path, const std::string& bytes) {
  AtomicFile f(path);
  {
    std::ofstream out(f.temp_path(), std::ios::binary | std::ios::trunc);
    if (!out) throw UserError("cannot write " + path + ": " + std::strerror(errno));
    out.write(bytes.data(), std::streamsize(bytes.size()));
    out.flush();
    if (!out) throw UserError("cannot write " + path + " (disk full?)");
  }
  f.commit();
}

std::string read_file(const std::string& path, size_t max_bytes) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw UserError(path + " is a folder, expected a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError("cannot read " + path + ": " + std::strerror(errno));
  in.seekg(0, std::ios::end);
  auto size = in.tellg();
  if (size < 0) throw UserError("cannot read " + path);
  if (size_t(size) > max_bytes) throw UserError(path + " is too large (" + std::to_string(size_t(size)) + " bytes)");
  std::string data(size_t(size), '\0');
  in.seekg(0);
  in.read(data.data(), size);
  if (!in) throw UserError("cannot read " + path + " (read failed)");
  return data;
}

}  // namespace voxclone
