// text:english against RTVC's english_cleaners / text_to_sequence on every fixture case.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

#include "fixtures.h"
#include "voxclone/runtime.h"

using namespace voxclone;

namespace {

std::unique_ptr<TextFrontend> english() {
  auto& rt = Runtime::instance();
  rt.load_plugins({vctest::plugin_dir()});
  return rt.create<TextFrontend>("english");
}

std::string py_strip(const std::string& s) {
  const char* ws = " \t\n\r\v\f";
  size_t a = s.find_first_not_of(ws);
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(ws) - a + 1);
}

}  // namespace

TEST_CASE("english frontend matches every RTVC text case") {
  std::ifstream in(vctest::fixture_or_skip("rtvc/synthesizer/text_cases.json"));
  auto j = nlohmann::json::parse(in);
  auto fe = english();
  std::vector<std::string> want_symbols = j["symbols"];
  CHECK(fe->symbols() == want_symbols);
  int matched = 0, total = 0;
  for (const auto& c : j["cases"]) {
    ++total;
    std::string text = c["text"];
    INFO("case " << c["index"] << ": " << text);
    std::string cleaned = fe->normalize(text);
    std::vector<int64_t> ids = fe->to_ids(text), stripped = fe->to_ids(py_strip(text));
    std::vector<int64_t> want_ids = c["ids"], want_stripped = c["ids_of_stripped"];
    CHECK(cleaned == c["english_cleaners"].get<std::string>());
    CHECK(ids == want_ids);
    CHECK(stripped == want_stripped);
    if (cleaned == c["english_cleaners"].get<std::string>() && ids == want_ids && stripped == want_stripped) ++matched;
  }
  std::printf("text cases matched: %d/%d\n", matched, total);
  CHECK(total == 43);
  CHECK(matched == total);
}

TEST_CASE("english ids end with EOS and skip symbols outside the table") {
  auto fe = english();
  auto ids = fe->to_ids("a&b");
  REQUIRE(ids.size() == 3);  // '&' is not a symbol
  CHECK(ids.back() == 1);
  CHECK(fe->symbols()[size_t(ids[0])] == "a");
  CHECK(fe->symbols()[size_t(ids[1])] == "b");
}
