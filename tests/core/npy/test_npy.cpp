// Tests of read_npy / write_npy: RTVC's np.save outputs, round trips, numpy interop, hostile files.
#include <ATen/ATen.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "fixtures.h"
#include "voxclone/error.h"
#include "voxclone/npy.h"

namespace fs = std::filesystem;
using voxclone::read_npy;
using voxclone::write_npy;

namespace {

const std::string kSv2tts = "rtvc/synthesizer/sv2tts/SV2TTS/synthesizer/";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void spit(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A hand-made .npy: version, raw header text (padded with spaces + '\n' unless told otherwise), data bytes.
std::string make_npy(int major, const std::string& header, const std::string& data, bool pad = true) {
  std::string h = header;
  const size_t prefix = major == 1 ? 10 : 12;
  if (pad) {
    while ((prefix + h.size() + 1) % 64 != 0) h += ' ';
    h += '\n';
  }
  std::string out("\x93NUMPY", 6);
  out += static_cast<char>(major);
  out += '\0';
  const size_t n = h.size();
  out += static_cast<char>(n & 0xFF);
  out += static_cast<char>((n >> 8) & 0xFF);
  if (major != 1) {
    out += static_cast<char>((n >> 16) & 0xFF);
    out += static_cast<char>((n >> 24) & 0xFF);
  }
  return out + h + data;
}

template <typename T>
std::string bytes_of(std::initializer_list<T> values, bool big_endian) {
  std::string out;
  for (T v : values) {
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    if (big_endian) std::reverse(b, b + sizeof(T));  // the test host is little-endian (x86-64 / aarch64)
    out.append(b, sizeof(T));
  }
  return out;
}

// The table of train.txt rows: audio file, mel file, embed file, n_samples, n_frames.
struct Row {
  std::string audio, mel, embed;
  int64_t samples, frames;
};
std::vector<Row> train_rows(const std::string& train_txt) {
  std::vector<Row> rows;
  for (const auto& f : vctest::train_rows(train_txt))
    if (f.size() >= 5) rows.push_back({f[0], f[1], f[2], std::stoll(f[3]), std::stoll(f[4])});
  return rows;
}

void require_user_error_naming(const std::string& path, const std::string& needle) {
  try {
    read_npy(path);
    FAIL("read_npy accepted " << path);
  } catch (const voxclone::UserError& e) {
    const std::string msg = e.what();
    INFO(msg);
    CHECK(msg.find(path) != std::string::npos);
    CHECK(msg.find(needle) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("read_npy reads RTVC's sv2tts mels, audio and embeddings", "[npy]") {
  const std::string train = vctest::fixture_or_skip(kSv2tts + "train.txt");
  const auto rows = train_rows(train);
  REQUIRE(rows.size() == 7);
  for (const Row& r : rows) {
    INFO(r.mel);
    // mels were saved as mel.T (a Fortran-ordered view): shape (frames, 80) as numpy reports it.
    at::Tensor mel = read_npy(vctest::fixture_or_skip(kSv2tts + "mels/" + r.mel));
    CHECK(mel.scalar_type() == at::kFloat);
    CHECK(mel.sizes().vec() == std::vector<int64_t>{r.frames, 80});
    CHECK(mel.is_contiguous());
    CHECK(mel.min().item<float>() >= -4.0f);
    CHECK(mel.max().item<float>() <= 4.0f);
    at::Tensor audio = read_npy(vctest::fixture_or_skip(kSv2tts + "audio/" + r.audio));
    CHECK(audio.sizes().vec() == std::vector<int64_t>{r.samples});
    at::Tensor embed = read_npy(vctest::fixture_or_skip(kSv2tts + "embeds/" + r.embed));
    CHECK(embed.sizes().vec() == std::vector<int64_t>{256});
    CHECK(embed.norm().item<double>() == Approx(1.0).margin(1e-5));  // embed_utterance L2-normalises
  }
}

TEST_CASE("read_npy embeddings equal the Tacotron reference batch built from them", "[npy]") {
  // tacotron_io.pt's tf.embeds were collated from these two files by RTVC: an independent copy of the values.
  auto io = vctest::load_pt_dict(vctest::fixture_or_skip("rtvc/synthesizer/tacotron_io.pt"));
  at::Tensor a = read_npy(vctest::fixture_or_skip(kSv2tts + "embeds/embed-1001-134500-0000_00.npy"));
  at::Tensor b = read_npy(vctest::fixture_or_skip(kSv2tts + "embeds/embed-1002-128000-0001_02.npy"));
  CHECK(at::equal(a, io.at("tf.embeds")[0]));
  CHECK(at::equal(b, io.at("tf.embeds")[1]));
}

TEST_CASE("read_npy handles Fortran order, big-endian data and format versions 2.0 and 3.0", "[npy]") {
  const std::string dir = vctest::scratch_dir("npy_layouts");
  // Logical array [[1, 2, 3], [4, 5, 6]] stored column by column.
  const std::string fortran = dir + "/fortran_be.npy";
  spit(fortran, make_npy(1, "{'descr': '>i4', 'fortran_order': True, 'shape': (2, 3), }",
                         bytes_of<int32_t>({1, 4, 2, 5, 3, 6}, true)));
  at::Tensor t = read_npy(fortran);
  CHECK(t.scalar_type() == at::kInt);
  CHECK(at::equal(t, at::arange(1, 7, at::kInt).reshape({2, 3})));

  const std::string v2 = dir + "/v2.npy";
  spit(v2, make_npy(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }",
                    bytes_of<double>({0.5, -2, 1e300}, false)));
  at::Tensor d = read_npy(v2);
  CHECK(d.scalar_type() == at::kDouble);
  CHECK(d[2].item<double>() == 1e300);
  CHECK(d[1].item<double>() == -2.0);

  const std::string v3 = dir + "/v3.npy";
  spit(v3, make_npy(3, "{\"descr\": \">f4\", \"shape\": (2,1), \"fortran_order\": False}",
                    bytes_of<float>({1.5f, -3.25f}, true)));
  at::Tensor f = read_npy(v3);
  CHECK(f.sizes().vec() == std::vector<int64_t>{2, 1});
  CHECK(f[1][0].item<float>() == -3.25f);

  const std::string be16 = dir + "/be16.npy";
  spit(be16, make_npy(1, "{'descr': '>i2', 'fortran_order': False, 'shape': (2,), }",
                      bytes_of<int16_t>({-2, 300}, true)));
  CHECK(read_npy(be16)[1].item<int16_t>() == 300);

  const std::string boolean = dir + "/bool.npy";
  spit(boolean, make_npy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }",
                         std::string("\x00\x01\x07", 3)));
  at::Tensor b = read_npy(boolean);
  CHECK(b.scalar_type() == at::kBool);
  CHECK(b.sum().item<int64_t>() == 2);

  const std::string scalar = dir + "/scalar.npy";
  spit(scalar, make_npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (), }",
                        bytes_of<int64_t>({-7}, false)));
  at::Tensor s = read_npy(scalar);
  CHECK(s.dim() == 0);
  CHECK(s.item<int64_t>() == -7);
}

TEST_CASE("write_npy then read_npy round-trips every supported dtype", "[npy]") {
  const std::string dir = vctest::scratch_dir("npy_roundtrip");
  at::manual_seed(3);
  std::vector<at::Tensor> cases = {
      at::randn({3, 4, 5}, at::kFloat),
      at::randn({7}, at::kDouble),
      at::randint(-30000, 30000, {4, 2}, at::kShort),
      at::randint(-2000000000, 2000000000, {2, 3}, at::kInt),
      at::randint(-(int64_t(1) << 62), int64_t(1) << 62, {5}, at::kLong),
      at::randint(0, 256, {2, 2, 2}, at::kByte),
      at::randint(0, 2, {9}, at::kLong).to(at::kBool),
      at::randn({4, 6}, at::kFloat).t(),  // non-contiguous input is written in logical (C) order
      at::empty({0, 3}, at::kFloat),
      at::scalar_tensor(2.5, at::kDouble),
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const at::Tensor& x = cases[i];
    INFO("case " << i << " dtype " << x.scalar_type() << " shape " << x.sizes());
    const std::string path = dir + "/case" + std::to_string(i) + ".npy";
    write_npy(path, x);
    const std::string bytes = slurp(path);
    // np.save's layout: data starts at a multiple of 64, header ends with '\n'.
    const size_t data_offset =
        10 + (static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8));
    CHECK(data_offset % 64 == 0);
    CHECK(bytes[data_offset - 1] == '\n');
    CHECK(bytes.size() == data_offset + x.numel() * x.element_size());
    at::Tensor y = read_npy(path);
    CHECK(y.scalar_type() == x.scalar_type());
    CHECK(y.sizes() == x.sizes());
    CHECK(at::equal(y, x.contiguous()));
  }
  // No temporary file is left behind.
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir)) files += e.path().extension() == ".npy";
  CHECK(files == static_cast<int>(std::distance(fs::directory_iterator(dir), fs::directory_iterator())));
}

TEST_CASE("write_npy replaces an existing file and rejects unsupported dtypes", "[npy]") {
  const std::string dir = vctest::scratch_dir("npy_replace");
  const std::string path = dir + "/x.npy";
  write_npy(path, at::ones({100}, at::kDouble));
  write_npy(path, at::zeros({2}, at::kFloat));
  CHECK(read_npy(path).numel() == 2);
  CHECK_THROWS_AS(write_npy(dir + "/c.npy", at::ones({2}, at::kComplexFloat)), voxclone::Error);
  CHECK_THROWS_AS(write_npy(dir + "/missing_dir/x.npy", at::ones({2})), voxclone::UserError);
}

TEST_CASE("read_npy rejects hostile files with a UserError naming the file", "[npy]") {
  const std::string dir = vctest::scratch_dir("npy_hostile");
  const std::string f4 = "'descr': '<f4', 'fortran_order': False, ";
  struct Case {
    std::string name, bytes, needle;
  };
  std::vector<Case> cases = {
      {"empty.npy", "", "bad magic"},
      {"magic.npy", "\x93NUMPX\x01\x00\x10\x00{}", "bad magic"},
      {"text.npy", "hello, this is not numpy at all", "bad magic"},
      {"version.npy", make_npy(1, "{" + f4 + "'shape': (1,), }", "abcd").replace(6, 1, "\x04"), "version"},
      {"hlen.npy", make_npy(1, "{" + f4 + "'shape': (1,), }", "abcd").replace(8, 2, "\xff\xff"),
       "past the end"},
      {"garbage.npy", make_npy(1, "{'descr': <f4, 'fortran_order': False, 'shape': (1,), }", "abcd"),
       "header"},
      {"unterminated.npy", make_npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,", "", false),
       "header"},
      {"noshape.npy", make_npy(1, "{'descr': '<f4', 'fortran_order': False, }", "abcd"), "shape"},
      {"extra_key.npy", make_npy(1, "{" + f4 + "'shape': (1,), 'evil': 1, }", "abcd"), "evil"},
      {"dup.npy", make_npy(1, "{" + f4 + "'shape': (1,), 'shape': (1,), }", "abcd"), "duplicate"},
      {"bool_word.npy", make_npy(1, "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }", "abcd"),
       "fortran_order"},
      {"not_tuple.npy", make_npy(1, "{" + f4 + "'shape': (1), }", "abcd"), "tuple"},
      {"negative.npy", make_npy(1, "{" + f4 + "'shape': (-1,), }", "abcd"), "integer"},
      {"overflow_dim.npy", make_npy(1, "{" + f4 + "'shape': (99999999999999999999999,), }", "abcd"),
       "overflow"},
      {"overflow_prod.npy", make_npy(1, "{" + f4 + "'shape': (4294967296, 4294967296), }", "abcd"),
       "overflow"},
      {"overflow_bytes.npy", make_npy(1, "{" + f4 + "'shape': (4611686018427387904,), }", "abcd"),
       "overflow"},
      {"short.npy", make_npy(1, "{" + f4 + "'shape': (10,), }", "abcd"), "bytes"},
      {"long.npy", make_npy(1, "{" + f4 + "'shape': (1,), }", "abcdefgh"), "bytes"},
      {"object.npy", make_npy(1, "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", "abcdefgh"),
       "object"},
      {"complex.npy", make_npy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", "abcdefgh"),
       "unsupported dtype"},
      {"structured.npy",
       make_npy(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", "abcd"),
       "structured"},
      {"trailing.npy", make_npy(1, "{" + f4 + "'shape': (1,), } junk", "abcd"), "trailing"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const std::string path = dir + "/" + c.name;
    spit(path, c.bytes);
    require_user_error_naming(path, c.needle);
  }
  require_user_error_naming(dir + "/does_not_exist.npy", "cannot open");
}

namespace {

// A python3 that has numpy (Debian's /usr/bin/python3 may differ from the first python3 on PATH), or skip.
std::string python_with_numpy_or_skip() {
  for (const char* py : {"python3", "/usr/bin/python3"}) {
    const std::string cmd = std::string(py) + " -c \"import numpy\" >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0) return py;
  }
  std::cout << "SKIPPED: no python3 with numpy found" << std::endl;
  std::exit(77);
}

}  // namespace

TEST_CASE("numpy loads what write_npy writes, byte for byte as np.save would write it", "[npy][python]") {
  const std::string py = python_with_numpy_or_skip();
  const std::string dir = vctest::scratch_dir("npy_python");
  at::manual_seed(5);
  std::vector<at::Tensor> cases = {
      at::randn({3, 4}, at::kFloat),
      at::randn({5}, at::kDouble),
      at::randint(-999, 999, {2, 2, 2}, at::kShort),
      at::randint(-99999, 99999, {6}, at::kInt),
      at::randint(-99999, 99999, {1, 7}, at::kLong),
      at::randint(0, 256, {4}, at::kByte),
      at::randint(0, 2, {3, 3}, at::kLong).to(at::kBool),
      at::scalar_tensor(1.25, at::kFloat),
      at::randn({123456, 2}, at::kFloat).narrow(0, 0, 12345),
      // 16 dims: only the spaces numpy reserves for growing the first axis push the data to offset 192.
      at::randn({2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3}, at::kFloat),
  };
  for (size_t i = 0; i < cases.size(); ++i) write_npy(dir + "/ours" + std::to_string(i) + ".npy", cases[i]);
  // numpy re-saves what it loaded; identical bytes mean it read our header, dtype and data as written.
  // It also writes a Fortran-ordered big-endian array and a version 2.0 file for read_npy to read back.
  const std::string script = dir + "/check.py";
  spit(script,
       "import sys, numpy as np\n"
       "d = sys.argv[1]; n = int(sys.argv[2])\n"
       "for i in range(n):\n"
       "    a = np.load(f'{d}/ours{i}.npy', allow_pickle=False)\n"
       "    np.save(f'{d}/numpy{i}.npy', a)\n"
       "x = np.asfortranarray(np.arange(24, dtype='>f8').reshape(2, 3, 4))\n"
       "np.save(f'{d}/fortran_be.npy', x)\n"
       "with open(f'{d}/v2.npy', 'wb') as f:\n"
       "    np.lib.format.write_array(f, np.arange(10, dtype='<i8') * 3, version=(2, 0))\n");
  const std::string cmd = py + " " + script + " " + dir + " " + std::to_string(cases.size());
  REQUIRE(std::system(cmd.c_str()) == 0);
  for (size_t i = 0; i < cases.size(); ++i) {
    INFO("case " << i);
    CHECK(slurp(dir + "/ours" + std::to_string(i) + ".npy") ==
          slurp(dir + "/numpy" + std::to_string(i) + ".npy"));
  }
  at::Tensor f = read_npy(dir + "/fortran_be.npy");
  CHECK(at::equal(f, at::arange(24, at::kDouble).reshape({2, 3, 4})));
  at::Tensor v2 = read_npy(dir + "/v2.npy");
  CHECK(at::equal(v2, at::arange(10, at::kLong) * 3));
}
