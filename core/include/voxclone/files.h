// File helpers every writer uses: atomic replacement, so an interrupted run never leaves half a file.
#pragma once

#include <string>

namespace voxclone {

/// A temporary path next to `target` (same folder, so rename() is atomic); commit() renames it onto
/// `target`; without commit() the destructor removes the temporary file.
///
///   AtomicFile f("out.wav");
///   write_something(f.temp_path());
///   f.commit();
class AtomicFile {
 public:
  explicit AtomicFile(std::string target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  const std::string& temp_path() const { return temp_; }
  const std::string& target() const { return target_; }
  /// fsyncs and renames; UserError naming the target on failure.
  void commit();

 private:
  std::string target_, temp_;
  bool committed_ = false;
};

/// Writes `bytes` to `path` atomically. UserError naming the path on failure.
void write_file_atomic(const std::string& path, const std::string& bytes);

/// Reads a whole file; UserError naming the path if it cannot be read or exceeds `max_bytes`.
std::string read_file(const std::string& path, size_t max_bytes = size_t(1) << 32);

}  // namespace voxclone
