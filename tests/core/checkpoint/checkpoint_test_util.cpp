// Implementation of the checkpoint test helpers (Python discovery, script runner, manifest parsing).
#include "checkpoint_test_util.h"

#include "fixtures.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace cktest {

namespace {

void walk(const voxclone::ckpt::Value& v, const std::string& name,
          std::vector<std::pair<std::string, voxclone::ckpt::Value>>& out) {
  using K = voxclone::ckpt::Value::Kind;
  auto join = [&](const std::string& k) { return name.empty() ? k : name + "." + k; };
  switch (v.kind()) {
    case K::Tensor:
      return;
    case K::Dict:
      for (const auto& [k, c] : v.items())
        walk(c, join(k.kind() == K::Str ? k.as_str() : std::to_string(k.as_int())), out);
      return;
    case K::List:
    case K::Tuple:
      for (std::size_t i = 0; i < v.elements().size(); ++i)
        walk(v.elements()[i], join(std::to_string(i)), out);
      return;
    default:
      out.emplace_back(name, v);
  }
}

}  // namespace

std::string python_or_skip() { return vctest::python_with_torch_or_skip(); }

int run_reference(const std::string& args, std::string* out) {
  std::string cmd = python_or_skip() + " " + VOXCLONE_CKPT_TEST_DIR + "/torch_reference.py " + args;
  std::string text;
  int rc = vctest::run_command(cmd, &text);
  if (out) *out = text;
  if (rc != 0) std::cout << "reference script failed (" << rc << "): " << cmd << "\n" << text << std::endl;
  return rc;
}

std::vector<ManifestEntry> read_manifest(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<ManifestEntry> out;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string part;
    while (std::getline(ss, part, '\t')) f.push_back(part);
    while (f.size() < 4) f.emplace_back();
    out.push_back({f[0], f[1], f[2], f[3]});
  }
  return out;
}

std::vector<std::pair<std::string, voxclone::ckpt::Value>> flatten_scalars(const voxclone::ckpt::Value& v) {
  std::vector<std::pair<std::string, voxclone::ckpt::Value>> out;
  walk(v, "", out);
  return out;
}

std::vector<char> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return std::vector<char>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace cktest
