// SHA-256 of bytes and files: content keys for the embedding cache and the model hashes a cloned WAV records.
//
//   std::string h = voxclone::sha256_file("encoder.pt");   // 64 lowercase hex digits
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace voxclone {

/// Incremental SHA-256 (FIPS 180-4).
class Sha256 {
 public:
  Sha256();
  void update(const void* data, size_t size);
  void update(const std::string& bytes) { update(bytes.data(), bytes.size()); }
  /// The digest as 64 lowercase hex digits; the object is spent afterwards.
  std::string hex_digest();

 private:
  void compress(const uint8_t* block);
  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

std::string sha256_hex(const std::string& bytes);
/// Streams the file; UserError naming it if it cannot be read.
std::string sha256_file(const std::string& path);

}  // namespace voxclone
