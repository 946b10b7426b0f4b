// Implementation of the fixture helpers used by the tests.
#include "fixtures.h"

#include <torch/csrc/jit/serialization/pickle.h>
#include <torch/torch.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace vctest {

static std::string shared_root() {
  if (const char* env = std::getenv("VOXCLONE_SHARED")) return env;
  return std::string(VOXCLONE_SOURCE_DIR) + "/../shared";
}

std::string find_fixture(const std::string& rel) {
  fs::path local = fs::path(VOXCLONE_SOURCE_DIR) / "tests" / "fixtures" / rel;
  if (fs::exists(local)) return local.string();
  fs::path shared = fs::path(shared_root()) / "fixtures" / rel;
  if (fs::exists(shared)) return shared.string();
  return "";
}

[[noreturn]] static void skip(const std::string& what) {
  std::cout << "SKIPPED: " << what << std::endl;
  std::exit(77);
}

std::string fixture_or_skip(const std::string& rel) {
  std::string p = find_fixture(rel);
  if (p.empty()) skip("fixture " + rel + " not found (neither in tests/fixtures nor in ../shared)");
  return p;
}

std::string shared_data_or_skip(const std::string& rel) {
  fs::path p = fs::path(shared_root()) / "data" / rel;
  if (!fs::exists(p)) skip("shared data " + rel + " not found (../shared absent)");
  return p.string();
}

std::map<std::string, at::Tensor> load_pt_dict(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto dict = torch::pickle_load(bytes).toGenericDict();
  std::map<std::string, at::Tensor> out;
  for (const auto& kv : dict) out[kv.key().toStringRef()] = kv.value().toTensor();
  return out;
}

double max_abs_diff(const at::Tensor& a, const at::Tensor& b) {
  if (a.numel() != b.numel()) throw std::runtime_error("max_abs_diff: sizes differ");
  if (a.numel() == 0) return 0.0;
  return (a.to(at::kDouble).reshape(-1) - b.to(at::kDouble).reshape(-1)).abs().max().item<double>();
}

std::string scratch_dir(const std::string& name) {
  // One folder per process: ctest runs test cases of one binary in parallel, and two cases may use one name.
  fs::path p = fs::path(VOXCLONE_BUILD_DIR) / "test-scratch" / (name + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  fs::create_directories(p);
  return p.string();
}

int run_command(const std::string& cmd, std::string* out) {
  std::FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return -1;
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  int status = ::pclose(p);
  if (out) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void program_or_skip(const std::string& program, const std::string& package) {
  if (run_command("command -v '" + program + "' >/dev/null") != 0)
    skip(program + " is not installed (Debian package " + package + "; scripts/setup installs it)");
}

std::string python_with_torch_or_skip() {
  static std::string found = [] {
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("VOXCLONE_PYTHON")) candidates.push_back(env);
    candidates.push_back("python3");
    candidates.push_back("/usr/bin/python3");
    for (const auto& c : candidates)
      if (run_command(c + " -c 'import torch'") == 0) return c;
    return std::string();
  }();
  if (found.empty()) skip("no python3 with torch found (set VOXCLONE_PYTHON)");
  return found;
}

std::string voxclone_binary() { return std::string(VOXCLONE_BUILD_DIR) + "/bin/voxclone"; }
std::string plugin_dir() { return std::string(VOXCLONE_BUILD_DIR) + "/plugins"; }

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::vector<std::string>> train_rows(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(read_text(path));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> fields;
    std::istringstream f(line);
    std::string field;
    while (std::getline(f, field, '|')) fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

}  // namespace vctest
