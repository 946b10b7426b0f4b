// The recipe host: argument parsing and --help, exit codes, error locations and tracebacks, strict
// globals, require paths, vc.fs, vc.log and os.exit.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "fixtures.h"
#include "recipe_runner.h"

using vctest::run_recipe_captured;
using vctest::test_recipe;

namespace {
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("args: every type parses, defaults apply", "[lua][args]") {
  auto r = run_recipe_captured(test_recipe("args.lua"),
                               {"out=/tmp/x", "count=7", "--rate=2", "--fast", "langs=a, b,,c"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out ==
        "count\tinteger\t7\n"
        "rate\tfloat\t2.0\n"
        "name\tworld\n"
        "fast\ttrue\n"
        "out\t/tmp/x\n"
        "langs\t3\ta|b|c\n"
        "opt\tnil\n");
  CHECK(r.err.empty());
}

TEST_CASE("args: defaults and bool spellings", "[lua][args]") {
  auto r = run_recipe_captured(test_recipe("args.lua"), {"out=o", "fast=off", "opt=given", "count=-2"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(contains(r.out, "count\tinteger\t-2\n"));
  CHECK(contains(r.out, "rate\tfloat\t0.5\n"));
  CHECK(contains(r.out, "fast\tfalse\n"));
  CHECK(contains(r.out, "langs\t2\ten|zh\n"));
  CHECK(contains(r.out, "opt\tgiven\n"));
}

TEST_CASE("args: --help prints the declared arguments sorted and exits 0", "[lua][args]") {
  std::string path = test_recipe("args.lua");
  auto r = run_recipe_captured(path, {"--help"});
  INFO(r.out + r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.rfind(
            "usage: voxclone run " + path + " [key=value ...]\n\nPrints its arguments.\n\narguments:\n", 0) ==
        0);
  CHECK(contains(r.out,
                 "  count=<int>    how many (default: 3)\n"
                 "  fast=<bool>    go fast (default: false)\n"
                 "  langs=<list>   languages (default: en,zh)\n"
                 "  name=<string>  (default: world)\n"
                 "  opt=<string>   optional, no default\n"
                 "  out=<path>     output folder (required)\n"
                 "  rate=<number>  a rate (default: 0.5)\n"));
  CHECK(!contains(r.out, "count\t"));  // the recipe stopped at vc.args
  CHECK(run_recipe_captured(path, {"-h", "count=zzz"}).code == 0);
}

TEST_CASE("args: bad values, unknown and missing arguments exit 2 with one line", "[lua][args]") {
  std::string path = test_recipe("args.lua");
  struct Case {
    std::vector<std::string> args;
    std::string err;
  };
  std::vector<Case> cases = {
      {{"out=o", "count=abc"}, "args.lua: argument 'count': expected int, got 'abc'\n"},
      {{"out=o", "count=1.5"}, "args.lua: argument 'count': expected int, got '1.5'\n"},
      {{"out=o", "rate=fast"}, "args.lua: argument 'rate': expected number, got 'fast'\n"},
      {{"out=o", "rate=1e999"}, "args.lua: argument 'rate': expected number, got '1e999'\n"},
      {{"out=o", "fast=maybe"}, "args.lua: argument 'fast': expected bool, got 'maybe'\n"},
      {{"out="}, "args.lua: argument 'out': expected path, got ''\n"},
      {{"count=1"}, "args.lua: argument 'out': required (out=<path>)\n"},
      {{"out=o", "colour=red"},
       "args.lua: argument 'colour': unknown (known: count, fast, langs, name, opt, out, rate)\n"},
      {{"out=o", "--count"}, "args.lua: argument 'count': expected a value (count=<int>)\n"},
      {{"out=o", "bogus"}, "args.lua: argument 'bogus': expected key=value\n"},
      {{"out=o", "out=p"}, "args.lua: argument 'out': given twice\n"},
  };
  for (const auto& c : cases) {
    INFO(c.err);
    auto r = run_recipe_captured(path, c.args);
    CHECK(r.code == 2);
    CHECK(r.err == c.err);
    CHECK(r.out.empty());
  }
}

TEST_CASE("args: reading an undeclared argument is an error", "[lua][args]") {
  auto r = run_recipe_captured(test_recipe("args.lua"), {"out=o", "name=typo"});
  CHECK(r.code == 1);
  CHECK(contains(r.err, "args.lua:20: no argument 'ouput' is declared in vc.args"));
}

TEST_CASE("a recipe without vc.args refuses arguments", "[lua][args]") {
  auto r = run_recipe_captured(test_recipe("noargs.lua"), {"x=1"});
  CHECK(r.code == 2);
  CHECK(r.err == "noargs.lua: argument 'x': unknown (this recipe declares no arguments)\n");
  auto ok = run_recipe_captured(test_recipe("noargs.lua"));
  CHECK(ok.code == 0);
  CHECK(ok.out == "ran\n");
}

TEST_CASE("a runtime error reports file:line and a traceback, exit 1", "[lua][errors]") {
  std::string path = test_recipe("runtime_error.lua");
  auto r = run_recipe_captured(path);
  CHECK(r.code == 1);
  CHECK(r.err.rfind(path + ":4: something broke\nstack traceback:\n", 0) == 0);
  CHECK(contains(r.err, path + ":7: in "));   // outer() calling inner()
  CHECK(contains(r.err, path + ":10: in "));  // the main chunk calling outer()
}

TEST_CASE("a syntax error reports file:line, exit 1", "[lua][errors]") {
  auto r = run_recipe_captured(test_recipe("syntax.lua"));
  CHECK(r.code == 1);
  CHECK(contains(r.err, "syntax.lua:2:"));
}

TEST_CASE("a missing recipe is a user error", "[lua][errors]") {
  auto r = run_recipe_captured(test_recipe("no_such_recipe.lua"));
  CHECK(r.code == 2);
  CHECK(contains(r.err, "cannot open recipe"));
  CHECK(contains(r.err, "no_such_recipe.lua"));
}

TEST_CASE("strict globals: reading or assigning an undeclared global raises", "[lua][globals]") {
  std::string path = test_recipe("globals.lua");
  auto read = run_recipe_captured(path, {"mode=read"});
  CHECK(read.code == 1);
  CHECK(read.err.rfind(path + ":5: undefined global 'undefined_thing'", 0) == 0);
  auto write = run_recipe_captured(path, {"mode=write"});
  CHECK(write.code == 1);
  CHECK(write.err.rfind(path + ":7: assignment to undeclared global 'new_global'", 0) == 0);
  auto raw = run_recipe_captured(path, {"mode=rawset"});
  INFO(raw.err);
  CHECK(raw.code == 0);
  CHECK(raw.out == "declared\t1\tfunction\n");
}

TEST_CASE("require finds <recipe dir>/lib, ../lib and the repository's recipes/lib", "[lua][require]") {
  auto r = run_recipe_captured(test_recipe("require.lua"));
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out ==
        "hello lua\n"
        "same module\ttrue\n"
        "lines\tfirst line|second line\n"
        "time\t1:00\t1:02:05\n");
  auto up = run_recipe_captured(test_recipe("sub/up.lua"));
  INFO(up.err);
  CHECK(up.code == 0);
  CHECK(up.out == "hello from sub\n");
  auto missing = run_recipe_captured(test_recipe("require.lua"), {"mode=missing_module"});
  CHECK(missing.code == 1);
  CHECK(contains(missing.err, "module 'no_such_module' not found"));
}

TEST_CASE("a helper's vc.fail names the recipe line, exit 2", "[lua][require][errors]") {
  std::string path = test_recipe("require.lua");
  auto r = run_recipe_captured(path, {"mode=missing_dir"});
  CHECK(r.code == 2);
  CHECK(r.err ==
        path + ":11: dataset folder '" + vctest::test_recipe("no_such_folder") + "' is not a directory\n");
}

TEST_CASE("a UserError from a binding is one line with its location, exit 2", "[lua][errors]") {
  std::string path = test_recipe("user_error.lua");
  auto r = run_recipe_captured(path, {"mode=raise"});
  CHECK(r.code == 2);
  CHECK(r.err == path + ":10: cannot read /nonexistent/voxclone-test.txt: No such file or directory\n");
  auto caught = run_recipe_captured(path, {"mode=caught"});
  CHECK(caught.code == 0);
  CHECK(caught.out == "false\tcannot read /nonexistent/voxclone-test.txt: No such file or directory\n");
  auto fail = run_recipe_captured(path, {"mode=fail"});
  CHECK(fail.code == 2);
  CHECK(fail.err == path + ":8: dataset folder 'x' has no speakers\n");
}

TEST_CASE("os.exit ends the recipe through pcall and coroutines, a returned integer is the code",
          "[lua][exit]") {
  std::string path = test_recipe("exit.lua");
  auto r = run_recipe_captured(path, {"mode=exit"});
  CHECK(r.code == 3);
  CHECK(r.out.empty());
  auto co = run_recipe_captured(path, {"mode=coroutine"});
  CHECK(co.code == 5);
  CHECK(co.out.empty());
  CHECK(run_recipe_captured(path, {"mode=return"}).code == 4);
}

TEST_CASE("vc.fs helpers", "[lua][fs]") {
  std::string dir = vctest::scratch_dir("lua-fs");
  auto r = run_recipe_captured(test_recipe("fs.lua"), {"dir=" + dir});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out ==
        "isdir\ttrue\ttrue\tfalse\tfalse\n"
        "list\ta.txt,b.txt,c.wav\n"
        "glob\ta.txt,b.txt\n"
        "read\thello\nworld\treplaced\n"
        "parts\tr.tar.gz\t/p/q\tr.tar\n"
        "remove\ttrue\tfalse\n"
        "after\ta.txt,c.wav\n");
  std::ifstream in(dir + "/x/y/a.txt");
  std::string first;
  std::getline(in, first);
  CHECK(first == "hello");
}

TEST_CASE("vc.log formats like string.format, vc.progress reports", "[lua][log]") {
  auto r = run_recipe_captured(test_recipe("log.lua"));
  INFO(r.err);
  REQUIRE(r.code == 0);
  std::string all = r.out + r.err;
  CHECK(contains(all, "3 items in folder"));
  CHECK(contains(all, "100% plain"));
  CHECK(contains(all, "work: 3/3 it"));
  CHECK(contains(all, "ok (done)"));
  CHECK(contains(r.out, "done\n"));
}
