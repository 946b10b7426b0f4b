// ZIP central-directory reader (STORED entries, zip64-aware, strict bounds) and aligned STORED-entry writer.
#include "checkpoint/zip_archive.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <unordered_set>

#include "voxclone/error.h"

namespace voxclone::ckpt {

namespace {

constexpr uint32_t kLocalSig = 0x04034b50;
constexpr uint32_t kCentralSig = 0x02014b50;
constexpr uint32_t kEndSig = 0x06054b50;
constexpr uint32_t kEnd64Sig = 0x06064b50;
constexpr uint32_t kEnd64LocatorSig = 0x07064b50;
constexpr std::size_t kMaxEntries = 1u << 20;

uint16_t rd16(const unsigned char* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t rd32(const unsigned char* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
uint64_t rd64(const unsigned char* p) { return rd32(p) | (static_cast<uint64_t>(rd32(p + 4)) << 32); }

[[noreturn]] void bad(const ByteSource& src, const std::string& what) {
  throw UserError(src.name() + ": not a valid checkpoint archive: " + what);
}

}  // namespace

void ByteSource::check_range(uint64_t offset, std::size_t n) const {
  if (offset > size() || n > size() - offset)
    throw UserError(name_ + ": truncated (needs bytes " + std::to_string(offset) + "+" + std::to_string(n) +
                    ", file has " + std::to_string(size()) + ")");
}

MemorySource::MemorySource(const void* data, std::size_t size, std::string name)
    : ByteSource(std::move(name)), data_(static_cast<const unsigned char*>(data)), size_(size) {}

void MemorySource::read_at(uint64_t offset, void* dst, std::size_t n) const {
  check_range(offset, n);
  if (n) std::memcpy(dst, data_ + offset, n);
}

FileSource::FileSource(const std::string& path) : ByteSource(path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw UserError(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd_);
    throw UserError(path + ": not a regular file");
  }
  size_ = static_cast<uint64_t>(st.st_size);
}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

void FileSource::read_at(uint64_t offset, void* dst, std::size_t n) const {
  check_range(offset, n);
  auto* out = static_cast<char*>(dst);
  while (n > 0) {
    ssize_t got = ::pread(fd_, out, n, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) throw UserError(name() + ": read error at byte " + std::to_string(offset));
    out += got;
    offset += static_cast<uint64_t>(got);
    n -= static_cast<std::size_t>(got);
  }
}

std::vector<ZipEntry> read_zip_directory(const ByteSource& src) {
  const uint64_t fsize = src.size();
  if (fsize < 22) bad(src, "too short for a ZIP archive");
  // The end record sits in the last 22 + 65535 (comment) bytes.
  const std::size_t tail_len = static_cast<std::size_t>(std::min<uint64_t>(fsize, 22 + 65535));
  std::vector<unsigned char> tail(tail_len);
  src.read_at(fsize - tail_len, tail.data(), tail_len);
  std::size_t eocd = std::string::npos;
  for (std::size_t i = tail_len - 22 + 1; i-- > 0;) {
    if (rd32(&tail[i]) == kEndSig && i + 22 + rd16(&tail[i + 20]) <= tail_len) {
      eocd = i;
      break;
    }
  }
  if (eocd == std::string::npos) bad(src, "no end-of-central-directory record");
  const uint64_t eocd_pos = fsize - tail_len + eocd;
  const unsigned char* e = &tail[eocd];
  uint64_t n_entries = rd16(e + 10);
  uint64_t cd_size = rd32(e + 12);
  uint64_t cd_offset = rd32(e + 16);
  uint64_t cd_end_limit = eocd_pos;
  if (n_entries == 0xFFFF || cd_size == 0xFFFFFFFF || cd_offset == 0xFFFFFFFF) {
    if (eocd_pos < 20) bad(src, "zip64 locator missing");
    unsigned char loc[20];
    src.read_at(eocd_pos - 20, loc, 20);
    if (rd32(loc) != kEnd64LocatorSig) bad(src, "zip64 locator missing");
    uint64_t e64 = rd64(loc + 8);
    if (e64 > eocd_pos - 20 || eocd_pos - 20 - e64 < 56) bad(src, "zip64 end record out of range");
    unsigned char r[56];
    src.read_at(e64, r, 56);
    if (rd32(r) != kEnd64Sig) bad(src, "bad zip64 end record");
    n_entries = rd64(r + 32);
    cd_size = rd64(r + 40);
    cd_offset = rd64(r + 48);
    cd_end_limit = e64;
  }
  if (n_entries > kMaxEntries) bad(src, "too many entries (" + std::to_string(n_entries) + ")");
  if (cd_offset > cd_end_limit || cd_size > cd_end_limit - cd_offset)
    bad(src, "central directory out of range");
  if (cd_size < n_entries * 46) bad(src, "central directory too small for its entry count");
  std::vector<unsigned char> cd(static_cast<std::size_t>(cd_size));
  src.read_at(cd_offset, cd.data(), cd.size());

  std::vector<ZipEntry> out;
  out.reserve(static_cast<std::size_t>(n_entries));
  std::unordered_set<std::string> names;
  std::size_t p = 0;
  for (uint64_t k = 0; k < n_entries; ++k) {
    if (cd.size() - p < 46 || rd32(&cd[p]) != kCentralSig) bad(src, "bad central directory header");
    const unsigned char* h = &cd[p];
    ZipEntry ze;
    ze.method = rd16(h + 10);
    ze.crc = rd32(h + 16);
    ze.compressed_size = rd32(h + 20);
    ze.size = rd32(h + 24);
    std::size_t nlen = rd16(h + 28), xlen = rd16(h + 30), clen = rd16(h + 32);
    uint64_t local = rd32(h + 42);
    if (cd.size() - p - 46 < nlen + xlen + clen) bad(src, "central directory entry overruns");
    ze.name.assign(reinterpret_cast<const char*>(h + 46), nlen);
    // zip64 extended information: the 64-bit fields present are exactly those saturated above, in order.
    const unsigned char* x = h + 46 + nlen;
    for (std::size_t q = 0; q + 4 <= xlen;) {
      uint16_t id = rd16(x + q), len = rd16(x + q + 2);
      if (q + 4 + len > xlen) bad(src, "bad extra field in " + ze.name);
      if (id == 0x0001) {
        const unsigned char* f = x + q + 4;
        std::size_t avail = len;
        auto take = [&](uint64_t& field) {
          if (field != 0xFFFFFFFF) return;
          if (avail < 8) bad(src, "short zip64 field in " + ze.name);
          field = rd64(f);
          f += 8;
          avail -= 8;
        };
        take(ze.size);
        take(ze.compressed_size);
        take(local);
      }
      q += 4 + len;
    }
    p += 46 + nlen + xlen + clen;
    if (!names.insert(ze.name).second) bad(src, "duplicate entry " + ze.name);
    unsigned char lh[30];
    if (local > cd_offset || cd_offset - local < 30) bad(src, "local header out of range for " + ze.name);
    src.read_at(local, lh, 30);
    if (rd32(lh) != kLocalSig) bad(src, "bad local header for " + ze.name);
    uint64_t data = local + 30 + rd16(lh + 26) + rd16(lh + 28);
    if (data > cd_offset || ze.compressed_size > cd_offset - data)
      bad(src, "entry data out of range: " + ze.name);
    ze.data_offset = data;
    out.push_back(std::move(ze));
  }
  return out;
}

std::string read_zip_entry(const ByteSource& src, const ZipEntry& e, uint64_t max_size) {
  if (e.method != 0)
    throw UserError(src.name() + ": entry " + e.name + " is compressed (only STORED is read)");
  if (e.size != e.compressed_size)
    throw UserError(src.name() + ": entry " + e.name + " has inconsistent sizes");
  if (e.size > max_size) throw UserError(src.name() + ": entry " + e.name + " is too large");
  std::string s(static_cast<std::size_t>(e.size), '\0');
  src.read_at(e.data_offset, s.data(), s.size());
  return s;
}

namespace {

struct CrcTables {
  std::array<std::array<uint32_t, 256>, 8> t{};
  CrcTables() {
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? (0xEDB88320u ^ (c >> 1)) : (c >> 1);
      t[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; ++i)
      for (int s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
  }
};

const CrcTables& crc_tables() {
  static const CrcTables tables;
  return tables;
}

}  // namespace

uint32_t crc32_update(uint32_t crc, const void* data, std::size_t n) {
  const auto& t = crc_tables().t;
  const auto* p = static_cast<const unsigned char*>(data);
  uint32_t c = ~crc;
  while (n >= 8) {  // slicing-by-8: the writer checksums every storage byte
    uint32_t lo = c ^ (static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
                       (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24));
    c = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24] ^ t[3][p[4]] ^
        t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]];
    p += 8;
    n -= 8;
  }
  while (n--) c = t[0][(c ^ *p++) & 0xFF] ^ (c >> 8);
  return ~c;
}

namespace {

void put16(std::string& s, uint16_t v) {
  s.push_back(static_cast<char>(v & 0xFF));
  s.push_back(static_cast<char>(v >> 8));
}
void put32(std::string& s, uint32_t v) {
  put16(s, static_cast<uint16_t>(v & 0xFFFF));
  put16(s, static_cast<uint16_t>(v >> 16));
}

constexpr uint16_t kDosDate = (0 << 9) | (1 << 5) | 1;  // 1980-01-01: reproducible archives

void check_32bit(uint64_t v) {
  if (v >= 0xFFFFFFFFull) throw UserError("checkpoint writer: archives of 4 GiB or more are not supported");
}

}  // namespace

void ZipWriter::put(const void* p, std::size_t n) {
  if (n) sink_(p, n);
  pos_ += n;
}

void ZipWriter::add(const std::string& name, const void* data, std::size_t size) {
  if (name.size() > 0xFFFF) throw InternalError("zip entry name too long");
  check_32bit(pos_);
  check_32bit(size);
  uint32_t crc = crc32_update(0, data, size);
  // The 'FB' extra field pads the local header so the data starts on a 64-byte boundary (mmap-friendly).
  uint64_t base = pos_ + 30 + name.size() + 4;
  std::size_t pad = static_cast<std::size_t>((64 - base % 64) % 64);
  std::string h;
  put32(h, kLocalSig);
  put16(h, 20);  // version needed
  put16(h, 0);   // flags
  put16(h, 0);   // stored
  put16(h, 0);   // time
  put16(h, kDosDate);
  put32(h, crc);
  put32(h, static_cast<uint32_t>(size));
  put32(h, static_cast<uint32_t>(size));
  put16(h, static_cast<uint16_t>(name.size()));
  put16(h, static_cast<uint16_t>(4 + pad));
  h += name;
  put16(h, 0x4246);
  put16(h, static_cast<uint16_t>(pad));
  h.append(pad, 'Z');
  records_.push_back({name, crc, size, pos_});
  put(h.data(), h.size());
  put(data, size);
}

void ZipWriter::finish() {
  const uint64_t cd_start = pos_;
  std::string cd;
  for (const auto& r : records_) {
    put32(cd, kCentralSig);
    put16(cd, 20);  // made by
    put16(cd, 20);  // needed
    put16(cd, 0);
    put16(cd, 0);
    put16(cd, 0);
    put16(cd, kDosDate);
    put32(cd, r.crc);
    put32(cd, static_cast<uint32_t>(r.size));
    put32(cd, static_cast<uint32_t>(r.size));
    put16(cd, static_cast<uint16_t>(r.name.size()));
    put16(cd, 0);  // extra
    put16(cd, 0);  // comment
    put16(cd, 0);  // disk
    put16(cd, 0);  // internal attributes
    put32(cd, 0);  // external attributes
    put32(cd, static_cast<uint32_t>(r.offset));
    cd += r.name;
  }
  if (records_.size() >= 0xFFFF) throw UserError("checkpoint writer: too many entries");
  check_32bit(cd_start + cd.size());
  put32(cd, kEndSig);
  put16(cd, 0);
  put16(cd, 0);
  put16(cd, static_cast<uint16_t>(records_.size()));
  put16(cd, static_cast<uint16_t>(records_.size()));
  put32(cd, static_cast<uint32_t>(cd.size() - 0));  // placeholder fixed below
  put32(cd, static_cast<uint32_t>(cd_start));
  put16(cd, 0);
  // Central directory size excludes the 22-byte end record just appended.
  uint32_t cd_size = static_cast<uint32_t>(cd.size() - 22);
  for (int i = 0; i < 4; ++i) cd[cd.size() - 10 + i] = static_cast<char>((cd_size >> (8 * i)) & 0xFF);
  put(cd.data(), cd.size());
}

}  // namespace voxclone::ckpt
