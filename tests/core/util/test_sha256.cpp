// SHA-256 against the test vectors of FIPS 180-4 / NIST's SHA examples.
#include <catch2/catch.hpp>

#include <fstream>

#include "fixtures.h"
#include "voxclone/error.h"
#include "voxclone/hash.h"

using namespace voxclone;

TEST_CASE("sha256 matches the NIST examples", "[util][sha256]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 is the same fed in pieces of any size", "[util][sha256]") {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += char('a' + i % 26);
  for (size_t piece : {1, 3, 63, 64, 65, 999}) {
    Sha256 h;
    for (size_t at = 0; at < text.size(); at += piece) h.update(text.substr(at, piece));
    CHECK(h.hex_digest() == sha256_hex(text));
  }
}

TEST_CASE("sha256_file hashes the bytes and names an unreadable file", "[util][sha256]") {
  std::string path = vctest::scratch_dir("sha256") + "/abc.bin";
  std::ofstream(path, std::ios::binary) << "abc";
  CHECK(sha256_file(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK_THROWS_AS(sha256_file(path + ".missing"), UserError);
}
