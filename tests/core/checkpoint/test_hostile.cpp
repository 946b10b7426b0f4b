// Hostile and broken checkpoints: every one is refused with voxclone::UserError, nothing runs, nothing
// crashes.
#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <random>
#include <string>

#include "checkpoint/zip_archive.h"
#include "checkpoint_test_util.h"
#include "fixtures.h"
#include "voxclone/checkpoint.h"
#include "voxclone/error.h"

namespace ck = voxclone::ckpt;

namespace {

// A tiny pickle assembler, so each hostile byte sequence reads like the opcodes it holds.
struct P {
  std::string b;
  P& raw(const std::string& s) {
    b += s;
    return *this;
  }
  P& op(char c) {
    b.push_back(c);
    return *this;
  }
  P& u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    return *this;
  }
  P& proto(int n) {
    b.push_back('\x80');
    b.push_back(static_cast<char>(n));
    return *this;
  }
  P& str(const std::string& s) {
    op('X');
    u32(static_cast<uint32_t>(s.size()));
    b += s;
    return *this;
  }
  P& k(int v) {
    op('K');
    b.push_back(static_cast<char>(v));
    return *this;
  }
  P& j(int32_t v) {
    op('J');
    return u32(static_cast<uint32_t>(v));
  }
  P& glob(const std::string& m, const std::string& n) {
    op('c');
    b += m + "\n" + n + "\n";
    return *this;
  }
  P& stop() { return op('.'); }
  // _rebuild_tensor_v2(storage(key "0", FloatStorage, numel), offset, size, stride, False, OrderedDict())
  P& tensor(int32_t numel, int32_t offset, std::vector<int32_t> size, std::vector<int32_t> stride) {
    glob("torch._utils", "_rebuild_tensor_v2").op('(').op('(').str("storage").glob("torch", "FloatStorage");
    str("0").str("cpu").j(numel).op('t').op('Q').j(offset).op('(');
    for (int32_t s : size) j(s);
    op('t').op('(');
    for (int32_t s : stride) j(s);
    op('t').op('\x89').glob("collections", "OrderedDict").op(')').op('R').op('t').op('R');
    return *this;
  }
};

std::vector<char> zip_of(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::vector<char> out;
  ck::ZipWriter w([&](const void* p, std::size_t n) {
    out.insert(out.end(), static_cast<const char*>(p), static_cast<const char*>(p) + n);
  });
  for (const auto& [name, data] : entries) w.add(name, data.data(), data.size());
  w.finish();
  return out;
}

std::vector<char> archive(const std::string& pickle, const std::string& storage0 = std::string(16, '\0')) {
  return zip_of({{"archive/data.pkl", pickle}, {"archive/data/0", storage0}, {"archive/version", "3\n"}});
}

// Loads and returns the UserError message; fails the test on success or on any other exception.
std::string refused(const std::vector<char>& bytes) {
  try {
    ck::load_from_memory(bytes.data(), bytes.size(), "hostile");
  } catch (const voxclone::UserError& e) {
    return e.what();
  }
  FAIL("a hostile checkpoint was accepted");
  return "";
}

std::string refused_pickle(const std::string& pickle) { return refused(archive(pickle)); }

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a well-formed hand-made tensor archive loads (the hostile variants below differ in one point)") {
  std::string data(16, '\0');
  float v[4] = {1.5f, -2.0f, 3.25f, 4.0f};
  std::memcpy(data.data(), v, 16);
  auto bytes = archive(P().proto(2).tensor(4, 1, {3}, {1}).stop().b, data);
  auto t = ck::load_from_memory(bytes.data(), bytes.size()).as_tensor();
  CHECK(torch::equal(t, torch::tensor({-2.0f, 3.25f, 4.0f})));
}

TEST_CASE("globals outside the allow-list are refused by name, nothing executed") {
  CHECK(contains(
      refused_pickle(
          P().proto(2).glob("posix", "system").str("touch /tmp/voxclone_pwned").op('\x85').op('R').stop().b),
      "refusing to load global 'posix.system'"));
  CHECK(contains(refused_pickle(P().proto(2).glob("os", "system").str("id").op('\x85').op('R').stop().b),
                 "'os.system'"));
  CHECK(
      contains(refused_pickle(
                   P().proto(4).str("builtins").str("eval").op('\x93').str("1").op('\x85').op('R').stop().b),
               "'builtins.eval'"));
  CHECK(contains(refused_pickle(P().proto(2).glob("torch", "load").stop().b), "'torch.load'"));
  // A raw (non-zip) pickle goes through the legacy path and is refused there as well.
  std::string raw = P().proto(2).glob("posix", "system").str("id").op('\x85').op('R').stop().b;
  CHECK(contains(refused({raw.begin(), raw.end()}), "'posix.system'"));
  CHECK_FALSE(std::ifstream("/tmp/voxclone_pwned").good());
}

TEST_CASE("tensor views outside their storage, absurd sizes and ranks are refused") {
  CHECK(contains(refused_pickle(P().proto(2).tensor(4, 0, {10}, {1}).stop().b), "outside its storage"));
  CHECK(contains(refused_pickle(P().proto(2).tensor(4, 3, {2}, {1}).stop().b), "outside its storage"));
  CHECK(contains(refused_pickle(P().proto(2).tensor(4, 0, {2, 2}, {3, 1}).stop().b), "outside its storage"));
  CHECK(contains(refused_pickle(P().proto(2).tensor(4, 0, {2}, {-1}).stop().b), "negative"));
  CHECK(contains(refused_pickle(P().proto(2).tensor(4, -1, {1}, {1}).stop().b), "negative"));
  CHECK(contains(
      refused_pickle(P().proto(2).tensor(4, 0, {0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF}, {1, 1, 1}).stop().b),
      "overflows"));
  CHECK(contains(refused_pickle(P().proto(2).tensor(0x7FFFFFFF, 0, {1}, {1}).stop().b), "holds 16 bytes"));
  std::vector<int32_t> many(100, 1);
  CHECK(contains(refused_pickle(P().proto(2).tensor(4, 0, many, many).stop().b), "too many dimensions"));
  // String lengths past the end, integers wider than 64 bits.
  CHECK(contains(refused_pickle(P().proto(2).op('X').u32(0xFFFFFFF0u).raw("abc").b), "truncated"));
  CHECK(contains(refused_pickle(P().proto(2).op('\x8b').u32(0xFFFFFFFFu).stop().b), "wider than 64 bits"));
  CHECK(contains(refused_pickle(P().proto(2).op('\x8a').op('\x10').raw(std::string(16, '\x7f')).stop().b),
                 "wider than 64 bits"));
  // A storage id claiming more elements than the record holds.
  auto pk = P().proto(2).tensor(1 << 30, 0, {1}, {1}).stop().b;
  CHECK(contains(refused(archive(pk)), "its id says"));
}

TEST_CASE("deep nesting, cycles, shared-subtree bombs and memo misuse are refused") {
  std::string deep = "\x80\x02" + std::string(100000, ']') + std::string(99999, 'a') + ".";
  CHECK(contains(refused_pickle(deep), "nesting"));
  std::string tuples = "\x80\x02" + std::string(50000, '(') + std::string(50000, 't') + ".";
  CHECK(contains(refused_pickle(tuples), "nesting"));
  CHECK(contains(refused_pickle(P().proto(2).op(']').raw("q\x01").raw("h\x01").op('a').stop().b), "cycle"));
  P bomb;
  bomb.proto(2).op(']').raw("q\x01").op('0');
  for (int i = 0; i < 80; ++i) bomb.op(']').op('(').raw("h\x01").raw("h\x01").op('e').raw("q\x01").op('0');
  CHECK(contains(refused_pickle(bomb.raw("h\x01").stop().b), "too large"));
  CHECK(contains(refused_pickle(P().proto(2).raw("h\x05").stop().b), "memo reference 5"));
  CHECK(contains(refused_pickle(P().proto(2).op('j').u32(0xFFFFFFFFu).stop().b), "never stored"));
  CHECK(contains(refused_pickle(P().proto(2).op('N').raw("q\x01").op('0').raw("h\x02").stop().b),
                 "memo reference 2"));
  CHECK(contains(refused_pickle(P().proto(2).op('a').stop().b), "stack underflow"));
  CHECK(contains(refused_pickle(P().proto(2).op('N').op('N').stop().b), "malformed stack"));
  CHECK(contains(refused_pickle(P().proto(2).op('t').stop().b), "no MARK"));
  CHECK(contains(refused_pickle(P().proto(2).op('N').raw("\xff").b), "unsupported pickle opcode 0xff"));
  CHECK(contains(refused_pickle(P().proto(2).op('N').b), "truncated pickle"));
  CHECK(contains(refused_pickle(P().proto(9).b), "protocol 9"));
  CHECK(contains(refused_pickle(P().proto(2).glob("collections", "OrderedDict").stop().b), "class object"));
  CHECK(contains(refused_pickle(P().proto(2).op('}').op('(').op('N').k(1).op('u').stop().b), "dict key"));
}

TEST_CASE("empty, garbage and truncated files are refused") {
  CHECK(contains(refused({}), "empty file"));
  CHECK(contains(refused({'h', 'e', 'l', 'l', 'o'}), "not a PyTorch checkpoint"));
  std::string dir = vctest::scratch_dir("ckpt_hostile");
  std::ofstream(dir + "/empty.pt").close();
  CHECK_THROWS_AS(ck::load(dir + "/empty.pt"), voxclone::UserError);
  CHECK_FALSE(ck::is_torch_checkpoint(dir + "/empty.pt"));
  CHECK_THROWS_AS(ck::load(dir + "/does_not_exist.pt"), voxclone::UserError);
  CHECK_THROWS_AS(ck::load(dir), voxclone::UserError);

  auto root = ck::Value::dict(true);
  root.set("w", torch::arange(100, torch::kFloat));
  root.set("b", torch::arange(7, torch::kLong));
  auto good = ck::save_to_memory(root);
  REQUIRE_NOTHROW(ck::load_from_memory(good.data(), good.size()));
  std::size_t refusals = 0;
  for (std::size_t n = 0; n < good.size(); n += (n < 64 || n + 64 > good.size()) ? 1 : 13) {
    std::vector<char> cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n));
    refused(cut);
    ++refusals;
  }
  CHECK(refusals > 100);
}

TEST_CASE("compressed entries and broken archive structure are refused") {
  auto root = ck::Value::dict();
  root.set("w", torch::ones({3}));
  auto good = ck::save_to_memory(root);
  // Mark every central-directory entry as deflated (method 8).
  auto deflated = good;
  for (std::size_t i = 0; i + 12 < deflated.size(); ++i)
    if (std::memcmp(&deflated[i], "PK\x01\x02", 4) == 0) deflated[i + 10] = 8;
  CHECK(contains(refused(deflated), "compressed"));
  // Point the central directory past the end.
  auto shifted = good;
  std::size_t eocd = shifted.size() - 22;
  REQUIRE(std::memcmp(&shifted[eocd], "PK\x05\x06", 4) == 0);
  shifted[eocd + 19] = 0x7F;
  CHECK(contains(refused(shifted), "out of range"));
  // Claim a huge entry count.
  auto counted = good;
  counted[eocd + 10] = '\xff';
  counted[eocd + 11] = '\xfe';
  refused(counted);
  // A zip without data.pkl.
  CHECK(contains(refused(zip_of({{"archive/other", "x"}})), "data.pkl"));
  CHECK(contains(
      refused(zip_of({{"archive/data.pkl", P().proto(2).op('N').stop().b}, {"archive/version", "99999"}})),
      "version"));
}

TEST_CASE("seeded random corruption of a valid archive never escapes as anything but UserError") {
  auto root = ck::Value::dict(true);
  root.set("a", torch::arange(12, torch::kFloat).view({3, 4}));
  root.set("b", root.at("a").as_tensor().t());
  auto opt = ck::Value::dict();
  opt.set("betas", ck::Value::tuple({0.9, 0.999}));
  opt.set("params", ck::Value::list({0, 1, 2}));
  root.set("opt", opt);
  auto good = ck::save_to_memory(root);
  std::mt19937 rng(1234);
  int loaded = 0, rejected = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    auto bad = good;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) bad[rng() % bad.size()] = static_cast<char>(rng() & 0xFF);
    try {
      ck::load_from_memory(bad.data(), bad.size(), "corrupt");
      ++loaded;
    } catch (const voxclone::UserError&) {
      ++rejected;
    }
  }
  CHECK(loaded + rejected == 3000);
  CHECK(rejected > 100);  // flips in the pickle or headers are noticed; flips in tensor data are not
}

TEST_CASE("storages that together claim more bytes than the file are refused before allocation") {
  // Three storages of 16384 floats; entries data/1 and data/2 are then re-pointed at data/0's bytes, so the
  // file holds 64 KiB of data while its storages claim 192 KiB (an allocation amplifier if unchecked).
  const int32_t n = 16384;
  std::string big(static_cast<std::size_t>(n) * 4, '\0');
  auto tensor_with_key = [&](char key) {
    std::string t = P().tensor(n, 0, {n}, {1}).b;
    t.replace(t.find(std::string("X\x01\x00\x00\x00"
                                 "0",
                                 6)),
              6, std::string("X\x01\x00\x00\x00", 5) + key);
    return t;
  };
  std::string pickle =
      P().proto(2).op('(').b + tensor_with_key('0') + tensor_with_key('1') + tensor_with_key('2') + "l.";
  auto ok = zip_of({{"archive/data.pkl", pickle},
                    {"archive/data/0", big},
                    {"archive/data/1", big},
                    {"archive/data/2", big}});
  auto loaded = ck::load_from_memory(ok.data(), ok.size());
  REQUIRE(loaded.elements().size() == 3);
  // Rebuild with tiny data/1 and data/2, then patch their central entries to data/0's offset and size.
  auto small = zip_of({{"archive/data.pkl", pickle},
                       {"archive/data/0", big},
                       {"archive/data/1", "x"},
                       {"archive/data/2", "y"}});
  std::vector<std::size_t> central;
  for (std::size_t i = 0; i + 4 < small.size(); ++i)
    if (std::memcmp(&small[i], "PK\x01\x02", 4) == 0) central.push_back(i);
  REQUIRE(central.size() == 4);
  for (int e : {2, 3}) {
    std::memcpy(&small[central[e] + 42], &small[central[1] + 42], 4);  // local header offset
    std::memcpy(&small[central[e] + 20], &small[central[1] + 20], 8);  // compressed and uncompressed size
  }
  CHECK(contains(refused(small), "more bytes than the file holds"));
}
