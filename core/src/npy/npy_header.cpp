// Parser and writer for the Python-literal header of .npy files; deliberately strict about hostile input.
#include "npy/npy_header.h"

#include <cctype>
#include <limits>
#include <map>

#include "voxclone/error.h"

namespace voxclone::npy {
namespace {

// A tiny recursive-descent reader for the one literal numpy writes: a dict of str → str | bool | tuple of
// ints. Anything else (nested structures, expressions) is refused rather than guessed at.
class HeaderParser {
 public:
  HeaderParser(const std::string& text, const std::string& where) : s_(text), where_(where) {}

  NpyHeader parse() {
    bool have_descr = false, have_order = false, have_shape = false;
    std::string descr;
    NpyHeader h;
    skip_ws();
    expect('{');
    skip_ws();
    while (peek() != '}') {
      std::string key = parse_string();
      skip_ws();
      expect(':');
      skip_ws();
      if (key == "descr") {
        if (have_descr) fail("duplicate key 'descr'");
        have_descr = true;
        if (peek() == '[') fail("structured dtypes (descr is a list) are not supported");
        descr = parse_string();
      } else if (key == "fortran_order") {
        if (have_order) fail("duplicate key 'fortran_order'");
        have_order = true;
        h.fortran_order = parse_bool();
      } else if (key == "shape") {
        if (have_shape) fail("duplicate key 'shape'");
        have_shape = true;
        h.shape = parse_shape();
      } else {
        fail("unexpected key '" + key + "'");
      }
      skip_ws();
      if (peek() == ',') {
        ++pos_;
        skip_ws();
      } else if (peek() != '}') {
        fail("expected ',' or '}'");
      }
    }
    ++pos_;
    skip_ws();
    if (pos_ != s_.size()) fail("trailing characters after the header dict");
    if (!have_descr || !have_order || !have_shape)
      fail("header must contain 'descr', 'fortran_order' and 'shape'");
    h.dtype = parse_descr(descr);
    h.numel = 1;
    for (int64_t d : h.shape) {
      if (d != 0 && h.numel > std::numeric_limits<int64_t>::max() / d) fail("shape overflows 64-bit sizes");
      h.numel *= d;
    }
    if (h.numel > std::numeric_limits<int64_t>::max() / h.dtype.itemsize)
      fail("shape overflows 64-bit sizes");
    h.nbytes = h.numel * h.dtype.itemsize;
    return h;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw UserError(where_ + ": invalid .npy header: " + why + " (at offset " + std::to_string(pos_) +
                    " of the header)");
  }
  char peek() const {
    if (pos_ >= s_.size()) fail("header ends early");
    return s_[pos_];
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  void skip_ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }
  std::string parse_string() {
    char q = peek();
    if (q != '\'' && q != '"') fail("expected a quoted string");
    ++pos_;
    std::string out;
    while (peek() != q) {
      // No escapes appear in anything numpy writes; refusing them keeps the parser trivially safe.
      if (s_[pos_] == '\\') fail("escape sequences are not supported");
      out += s_[pos_++];
    }
    ++pos_;
    return out;
  }
  bool parse_bool() {
    if (s_.compare(pos_, 4, "True") == 0) {
      pos_ += 4;
      return true;
    }
    if (s_.compare(pos_, 5, "False") == 0) {
      pos_ += 5;
      return false;
    }
    fail("fortran_order must be True or False");
  }
  int64_t parse_int() {
    if (!std::isdigit(static_cast<unsigned char>(peek()))) fail("expected a non-negative integer");
    int64_t v = 0;
    while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) {
      int digit = s_[pos_++] - '0';
      if (v > (std::numeric_limits<int64_t>::max() - digit) / 10) fail("dimension overflows 64 bits");
      v = v * 10 + digit;
    }
    if (pos_ < s_.size() && s_[pos_] == 'L') ++pos_;  // Python 2 longs in files written long ago
    return v;
  }
  std::vector<int64_t> parse_shape() {
    expect('(');
    std::vector<int64_t> shape;
    skip_ws();
    bool comma_after_last = false;
    while (peek() != ')') {
      shape.push_back(parse_int());
      skip_ws();
      comma_after_last = false;
      if (peek() == ',') {
        ++pos_;
        comma_after_last = true;
        skip_ws();
      } else if (peek() != ')') {
        fail("expected ',' or ')' in shape");
      }
    }
    ++pos_;
    // "(5)" is an int in Python, not a tuple: numpy would reject it too.
    if (shape.size() == 1 && !comma_after_last) fail("shape must be a tuple");
    if (shape.size() > 64) fail("too many dimensions");
    return shape;
  }
  NpyDtype parse_descr(const std::string& d) const {
    if (d.size() < 2) fail("bad descr '" + d + "'");
    NpyDtype t;
    char order = d[0];
    std::string body = d.substr(1);
    if (order != '<' && order != '>' && order != '|' && order != '=') {
      order = '=';
      body = d;
    }
    if (body == "O" || body.rfind("O", 0) == 0) fail("object arrays ('" + d + "') are not supported");
    t.kind = body[0];
    std::string size = body.substr(1);
    if (size.empty() || size.size() > 2) fail("unsupported dtype '" + d + "'");
    for (char c : size)
      if (!std::isdigit(static_cast<unsigned char>(c))) fail("unsupported dtype '" + d + "'");
    t.itemsize = std::stoi(size);
    bool ok = (t.kind == 'f' && (t.itemsize == 4 || t.itemsize == 8)) ||
              (t.kind == 'i' && (t.itemsize == 2 || t.itemsize == 4 || t.itemsize == 8)) ||
              (t.kind == 'u' && t.itemsize == 1) || (t.kind == 'b' && t.itemsize == 1);
    if (!ok) fail("unsupported dtype '" + d + "' (float32/64, int16/32/64, uint8, bool are)");
    t.big_endian = order == '>';
    return t;
  }

  const std::string& s_;
  const std::string& where_;
  size_t pos_ = 0;
};

std::string shape_repr(const std::vector<int64_t>& shape) {
  std::string r = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) r += ", ";
    r += std::to_string(shape[i]);
  }
  if (shape.size() == 1) r += ",";
  return r + ")";
}

}  // namespace

NpyHeader parse_npy_header(const std::string& text, const std::string& where) {
  return HeaderParser(text, where).parse();
}

std::string format_npy_v1_prefix(const std::string& descr, const std::vector<int64_t>& shape) {
  // Same key order (sorted), spacing and trailing ", " as numpy's repr-based writer.
  std::string dict =
      "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape_repr(shape) + ", }";
  // numpy ≥ 1.23 reserves room so the first axis could grow in place to 21 digits.
  constexpr size_t kGrowthDigits = 21;
  if (!shape.empty()) dict.append(kGrowthDigits - std::to_string(shape[0]).size(), ' ');
  constexpr size_t kAlign = 64, kMagicLen = 8, kLenField = 2;
  size_t hlen = dict.size() + 1;  // + the closing '\n'
  size_t padlen = kAlign - ((kMagicLen + kLenField + hlen) % kAlign);
  size_t total = hlen + padlen;
  if (total > 0xFFFF) throw InternalError("npy header too long for format 1.0");
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(total & 0xFF);
  out += static_cast<char>((total >> 8) & 0xFF);
  out += dict;
  out.append(padlen, ' ');
  out += '\n';
  return out;
}

}  // namespace voxclone::npy
