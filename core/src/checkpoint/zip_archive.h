// Minimal ZIP container support for torch's checkpoint archives: a bounds-checked central-directory reader
// for STORED entries over a random-access byte source, and a writer of 64-byte aligned STORED entries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace voxclone::ckpt {

/// Random-access bytes (a file read with pread, or memory). read_at throws UserError past the end.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual uint64_t size() const = 0;
  virtual void read_at(uint64_t offset, void* dst, std::size_t n) const = 0;
  const std::string& name() const { return name_; }

 protected:
  explicit ByteSource(std::string name) : name_(std::move(name)) {}
  void check_range(uint64_t offset, std::size_t n) const;

 private:
  std::string name_;
};

class MemorySource : public ByteSource {
 public:
  MemorySource(const void* data, std::size_t size, std::string name);
  uint64_t size() const override { return size_; }
  void read_at(uint64_t offset, void* dst, std::size_t n) const override;

 private:
  const unsigned char* data_;
  std::size_t size_;
};

class FileSource : public ByteSource {
 public:
  explicit FileSource(const std::string& path);  // UserError when it cannot be opened
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  uint64_t size() const override { return size_; }
  void read_at(uint64_t offset, void* dst, std::size_t n) const override;

 private:
  int fd_ = -1;
  uint64_t size_ = 0;
};

struct ZipEntry {
  std::string name;
  uint16_t method = 0;       // 0 = stored
  uint64_t data_offset = 0;  // first byte of the (stored) data
  uint64_t size = 0;         // uncompressed size
  uint64_t compressed_size = 0;
  uint32_t crc = 0;
};

/// Parses the end-of-central-directory record (zip64 too) and every central and local header. Each entry's
/// data range is checked to lie inside the file before the central directory; names must be unique.
std::vector<ZipEntry> read_zip_directory(const ByteSource& src);

/// Reads a whole entry (STORED only; UserError otherwise) into a string.
std::string read_zip_entry(const ByteSource& src, const ZipEntry& e, uint64_t max_size);

uint32_t crc32_update(uint32_t crc, const void* data, std::size_t n);

/// Streams a ZIP archive of STORED entries into `sink`; each entry's data starts on a 64-byte boundary.
class ZipWriter {
 public:
  using Sink = std::function<void(const void*, std::size_t)>;
  explicit ZipWriter(Sink sink) : sink_(std::move(sink)) {}
  void add(const std::string& name, const void* data, std::size_t size);
  void finish();  // central directory + end record

 private:
  void put(const void* p, std::size_t n);
  struct Record {
    std::string name;
    uint32_t crc;
    uint64_t size;
    uint64_t offset;
  };
  Sink sink_;
  uint64_t pos_ = 0;
  std::vector<Record> records_;
};

}  // namespace voxclone::ckpt
