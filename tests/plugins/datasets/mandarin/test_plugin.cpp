// The Mandarin pack through the plugin loader (dataset:* and text:mandarin factories, configuration) and
// the `voxclone text` command on the real binary.
#include <sys/wait.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>

#include "mandarin_test_util.h"
#include "voxclone/error.h"
#include "voxclone/runtime.h"

using namespace voxclone;
using namespace mandarin_test;

namespace {

Runtime& runtime() {
  Runtime& rt = Runtime::instance();
  rt.load_plugins({vctest::plugin_dir()});
  return rt;
}

struct Result {
  int code;
  std::string out, err;
};

// Runs the voxclone binary; stdout and stderr are kept apart (stderr through a temporary file).
Result run(const std::string& args) {
  std::string err_file = vctest::scratch_dir("mandarin_cli") + "/stderr.txt";
  std::string cmd =
      vctest::voxclone_binary() + " --plugin-dir " + vctest::plugin_dir() + " " + args + " 2>" + err_file;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = pclose(p);
  std::string err;
  if (FILE* f = std::fopen(err_file.c_str(), "r")) {
    while ((n = fread(buf.data(), 1, buf.size(), f)) > 0) err.append(buf.data(), n);
    std::fclose(f);
  }
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128, out, err};
}

std::string join_ids(const std::vector<int64_t>& ids) {
  std::string s;
  for (auto id : ids) s += (s.empty() ? "" : " ") + std::to_string(id);
  return s;
}

}  // namespace

TEST_CASE("the pack registers three readers and the mandarin frontend") {
  Registry& r = runtime().registry();
  CHECK(r.has(Kind::Dataset, "aishell3"));
  CHECK(r.has(Kind::Dataset, "aidatatang_200zh"));
  CHECK(r.has(Kind::Dataset, "magicdata"));
  CHECK(r.has(Kind::Text, "mandarin"));
  CHECK(r.info(Kind::Text, "mandarin").file.find("libvoxclone-mandarin.so") != std::string::npos);
}

TEST_CASE("readers created by name list the fixture corpora, options come from the configuration") {
  Runtime& rt = runtime();
  std::string root = datasets_root();
  auto aishell3 = rt.create<Dataset>("aishell3");
  DatasetListing a = aishell3->list(root, {"train"});
  CHECK(a.utterances.size() == 6);
  CHECK(a.problems.empty());
  CHECK(find_utt(a, "SSB00090002")->text == "wo3 men5 yi4 qi3 qu4 chi1 fan4");
  auto hanzi = rt.create<Dataset>("aishell3", "", {{"text", ConfigValue(std::string("hanzi"))}});
  CHECK(find_utt(hanzi->list(root, {"train"}), "SSB00090002")->text == "我们一起去吃饭");
  CHECK_THROWS_AS(rt.create<Dataset>("aishell3", "", {{"text", ConfigValue(std::string("both"))}}),
                  UserError);
  CHECK(rt.create<Dataset>("aidatatang_200zh")->list(root, {}).utterances.size() == 7);
  auto magic = rt.create<Dataset>("magicdata", "", {{"speaker_in_text", ConfigValue(true)}});
  CHECK(find_utt(magic->list(root, {"train"}), "38_5731_20170916101547")->text.rfind("38_5731 ", 0) == 0);
  CHECK_THROWS_AS(rt.create<Dataset>("magicdata", "", {{"no_such_key", ConfigValue(true)}}), UserError);
}

TEST_CASE("text:mandarin created by name gives MockingBird's ids, path=preprocess strips the ends") {
  Runtime& rt = runtime();
  auto sentences = load_json("mockingbird/synthesizer/text_frontend.json")["sentences"];
  auto inference = rt.create<TextFrontend>("mandarin");
  auto preprocess =
      rt.create<TextFrontend>("mandarin", "", {{"path", ConfigValue(std::string("preprocess"))}});
  CHECK(inference->symbols().size() == 75);
  int checked = 0;
  for (const auto& s : sentences) {
    std::string t = s["text"];
    if (t.find("  ") != 0) continue;  // the sentence with spaces around it: the two paths differ there
    INFO(t);
    CHECK(inference->to_ids(t) == s["inference"]["ids"].get<std::vector<int64_t>>());
    CHECK(preprocess->to_ids(t) == s["preprocess"]["ids"].get<std::vector<int64_t>>());
    CHECK(inference->to_ids(t) != preprocess->to_ids(t));
    ++checked;
  }
  CHECK(checked == 1);
  CHECK_THROWS_AS(rt.create<TextFrontend>("mandarin", "", {{"path", ConfigValue(std::string("web"))}}),
                  UserError);
}

TEST_CASE("voxclone text prints the normalised text and the ids, empty text exits 2 with one line") {
  auto first = load_json("mockingbird/synthesizer/text_frontend.json")["sentences"][0];
  Result r = run("text --frontend mandarin " + first["text"].get<std::string>());
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  CHECK(r.out == first["inference"]["cleaned"].get<std::string>() + "\n" +
                     join_ids(first["inference"]["ids"].get<std::vector<int64_t>>()) + "\n");

  Result empty = run("text --frontend mandarin ''");
  INFO(empty.out << empty.err);
  CHECK(empty.code == 2);
  CHECK(empty.out.empty());
  CHECK(std::count(empty.err.begin(), empty.err.end(), '\n') == 1);
  CHECK(empty.err.find("empty") != std::string::npos);

  Result missing = run("text --frontend mandarin");
  CHECK(missing.code == 2);
  Result unknown = run("text --frontend klingon 你好");
  INFO(unknown.err);
  CHECK(unknown.code == 2);
  CHECK(unknown.err.find("klingon") != std::string::npos);
}
