// Plugin loader and registry: descriptor checks before any call, one clear line per bad file, the rest loads.
#include <ATen/ATen.h>
#include <catch2/catch.hpp>

#include <fstream>

#include "fixtures.h"
#include "voxclone/error.h"
#include "voxclone/runtime.h"

using namespace voxclone;

namespace {
std::string test_plugin(const std::string& name) {
  return std::string(VOXCLONE_TEST_PLUGIN_DIR) + "/libvoxclone-test-" + name + ".so";
}

Runtime& loaded_runtime() {
  auto& rt = Runtime::instance();
  static bool once = false;
  if (!once) {
    once = true;
    rt.load_plugin_file(test_plugin("good"));
  }
  return rt;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("a good plugin registers its factories with their embedded defaults") {
  auto& rt = loaded_runtime();
  REQUIRE(rt.registry().has(Kind::Vocoder, "echo"));
  REQUIRE(rt.registry().has(Kind::Text, "other"));
  const auto& info = rt.registry().info(Kind::Vocoder, "echo");
  CHECK(info.plugin == "test-good");
  CHECK(info.plugin_version == "1.2.3");
  CHECK(contains(info.file, "libvoxclone-test-good.so"));
  CHECK(info.defaults.get_double("gain") == 2.0);
  CHECK(info.defaults.get_string("label") == "x");

  auto voc = rt.create<Vocoder>("echo", "", {{"gain", 3.0}});
  Mel mel;
  mel.data = at::ones({80, 5}, at::kFloat);
  Waveform w = voc->vocode(mel, {});
  REQUIRE(w.samples.size() == 5);
  CHECK(w.samples[0] == 3.0f);
  auto text = rt.create<TextFrontend>("other");
  CHECK(text->normalize("abc") == "ABC");
}

TEST_CASE("a user error thrown inside a plugin reaches the host as voxclone::UserError") {
  auto& rt = loaded_runtime();
  try {
    rt.create<Vocoder>("failing", "some.pt");
    FAIL("no exception");
  } catch (const UserError& e) {
    CHECK(std::string(e.what()) == "the failing vocoder was asked for some.pt");
    CHECK(e.exit_code() == 2);
  }
}

TEST_CASE("unknown plugin names and option keys are errors that list what exists") {
  auto& rt = loaded_runtime();
  try {
    rt.create<Vocoder>("nope");
    FAIL("no exception");
  } catch (const UserError& e) {
    CHECK(contains(e.what(), "no vocoder plugin named 'nope'"));
    CHECK(contains(e.what(), "echo"));
  }
  try {
    rt.create<Vocoder>("echo", "", {{"gian", 1.0}});
    FAIL("no exception");
  } catch (const UserError& e) {
    CHECK(contains(e.what(), "unknown configuration key 'gian'"));
    CHECK(contains(e.what(), "gain"));
  }
  CHECK_THROWS_AS(rt.create<Vocoder>("echo", "", {{"gain", "loud"}}), UserError);
}

TEST_CASE("overrides: recipe table < --set, sections by plugin name or kind") {
  auto& rt = loaded_runtime();
  CHECK(rt.resolve_config(Kind::Vocoder, "echo", {{"gain", 4.0}}).get_double("gain") == 4.0);
  rt.add_override("vocoder.gain=5");
  CHECK(rt.resolve_config(Kind::Vocoder, "echo", {{"gain", 4.0}}).get_double("gain") == 5.0);
  rt.add_override("echo.gain=6.5");
  CHECK(rt.resolve_config(Kind::Vocoder, "echo").get_double("gain") == 6.5);
  CHECK_THROWS_AS(rt.add_override("gain=1"), UserError);
  CHECK_THROWS_AS(rt.add_override("echo.gain"), UserError);
}

TEST_CASE("a wrong ABI version is refused before any call, naming the file and both versions") {
  auto r = Runtime::instance().load_plugin_file(test_plugin("bad_abi"));
  CHECK_FALSE(r.ok);
  CHECK(contains(r.error, "libvoxclone-test-bad_abi.so"));
  CHECK(contains(r.error, "ABI version " + std::to_string(kPluginAbiVersion + 41)));
  CHECK(contains(r.error, "expected " + std::to_string(kPluginAbiVersion)));
}

TEST_CASE("a plugin built against another LibTorch is refused, naming both versions") {
  auto r = Runtime::instance().load_plugin_file(test_plugin("bad_torch"));
  CHECK_FALSE(r.ok);
  CHECK(contains(r.error, "0.4.1"));
  CHECK(contains(r.error, torch_version_string()));
}

TEST_CASE("libraries without a descriptor, corrupt files and missing files give one line each") {
  auto& rt = Runtime::instance();
  auto r1 = rt.load_plugin_file(test_plugin("no_descriptor"));
  CHECK_FALSE(r1.ok);
  CHECK(contains(r1.error, "not a voxclone plugin"));

  std::string dir = vctest::scratch_dir("plugin_corrupt");
  std::string corrupt = dir + "/libvoxclone-corrupt.so";
  {
    std::ofstream out(corrupt, std::ios::binary);
    out << "\x7f" "ELF this is not really a shared library";
  }
  auto r2 = rt.load_plugin_file(corrupt);
  CHECK_FALSE(r2.ok);
  CHECK(contains(r2.error, corrupt));
  CHECK(r2.error.find('\n') == std::string::npos);

  auto r3 = rt.load_plugin_file(dir + "/missing.so");
  CHECK_FALSE(r3.ok);
  CHECK(contains(r3.error, "missing.so"));
}

TEST_CASE("a registration that fails is reported and the registry stays usable") {
  auto& rt = loaded_runtime();
  auto r = rt.load_plugin_file(test_plugin("throws"));
  CHECK_FALSE(r.ok);
  CHECK(contains(r.error, "registered twice"));
  CHECK(rt.registry().has(Kind::Vocoder, "echo"));
}

TEST_CASE("scanning a folder with broken plugins still loads the good ones") {
  auto& rt = Runtime::instance();
  rt.load_plugins({VOXCLONE_TEST_PLUGIN_DIR, vctest::plugin_dir()});
  CHECK(rt.registry().has(Kind::Vocoder, "echo"));
  CHECK(rt.registry().has(Kind::Vocoder, "griffinlim"));
  int failures = 0;
  for (const auto& r : rt.load_results())
    if (!r.ok && !r.error.empty()) ++failures;
  CHECK(failures >= 4);
  CHECK_THROWS_AS(rt.load_plugins({"/nonexistent/plugins"}), UserError);
}
