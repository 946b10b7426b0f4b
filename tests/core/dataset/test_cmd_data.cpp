// `voxclone data check/list` end to end: exit codes, one-line errors, JSON summary and rows.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fixtures.h"

namespace {

struct Result {
  int code;
  std::string out, err;
};

Result run(const std::string& args) {
  std::string errfile = vctest::scratch_dir("cmd_data_err") + "/stderr.txt";
  std::string cmd = vctest::voxclone_binary() + " " + args + " 2>" + errfile;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = pclose(p);
  std::ifstream e(errfile);
  std::stringstream ss;
  ss << e.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128, out, ss.str()};
}

std::string datasets_root() {
  return std::filesystem::path(vctest::fixture_or_skip("datasets/LibriSpeech")).parent_path().string();
}

}  // namespace

TEST_CASE("data check: a missing root folder exits 2 with one line") {
  Result r = run("data check librispeech:/no/such/folder");
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.find("/no/such/folder") != std::string::npos);
  CHECK(run("data check nonsense").code == 2);
}

TEST_CASE("data check --json summarises LibriSpeech subsets") {
  Result r = run("data check librispeech:" + datasets_root() + " --subsets train-clean-100,train-other-500 --json");
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["speakers"] == 4);
  CHECK(j["utterances"] == 10);
  CHECK(j["problems"].empty());
  CHECK(j["with_alignment"] == 9);  // all but 103-1240-0002
  CHECK(j["seconds"].get<double>() == Approx(17.34).margin(0.01));  // sum of durations_s
}

TEST_CASE("data list prints one JSON row per utterance, voxceleb1 problems go to stderr") {
  Result r = run("data list voxceleb1:" + datasets_root());
  REQUIRE(r.code == 0);
  std::istringstream lines(r.out);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    for (const char* k : {"id", "speaker", "audio", "text", "language", "seconds"}) CHECK(j.contains(k));
    CHECK(j["speaker"] != "id10003");
    ++n;
  }
  CHECK(n == 5);
  CHECK(r.err.find("id10004") != std::string::npos);
}
