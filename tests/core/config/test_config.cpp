// Config: TOML tables, typed access, checked overrides, and the effective-config round trip.
#include <catch2/catch.hpp>

#include "fixtures.h"
#include "voxclone/config.h"
#include "voxclone/error.h"
#include "voxclone/files.h"

using namespace voxclone;

static const char* kToml = R"(
[tacotron]
tts_embed_dims = 512
tts_dropout = 0.5
tts_cleaner_names = ["english_cleaners"]
tts_schedule = [[2, 1e-3, 20000, 12], [2, 5e-4, 40000, 12]]
name = "rtvc"
use_lws = false
[tacotron.nested]
x = 1
[other]
y = 2
)";

TEST_CASE("a table is read with its types and nested keys flattened") {
  Config c = Config::from_toml(kToml, "tacotron");
  CHECK(c.name() == "tacotron");
  CHECK(c.get_int("tts_embed_dims") == 512);
  CHECK(c.get_double("tts_dropout") == 0.5);
  CHECK(c.get_double("tts_embed_dims") == 512.0);
  CHECK(c.get_string("name") == "rtvc");
  CHECK(c.get_bool("use_lws") == false);
  CHECK(c.get_int("nested.x") == 1);
  CHECK_FALSE(c.has("y"));
  auto schedule = std::get<ConfigValue::Array>(c.get("tts_schedule").v);
  REQUIRE(schedule.size() == 2);
  CHECK(std::get<double>(std::get<ConfigValue::Array>(schedule[1].v)[1].v) == 5e-4);
  CHECK(Config::from_toml(kToml, "absent").keys().empty());
}

TEST_CASE("overrides are checked: unknown keys and wrong types are user errors") {
  Config c = Config::from_toml(kToml, "tacotron");
  c.set_from_string("tts_dropout", "0");  // int widens to float
  CHECK(c.get_double("tts_dropout") == 0.0);
  c.set_from_string("tts_embed_dims", "256");
  CHECK(c.get_int("tts_embed_dims") == 256);
  c.set_from_string("name", "123");  // a string key keeps the text
  CHECK(c.get_string("name") == "123");
  c.set_from_string("name", "\"quoted\"");
  CHECK(c.get_string("name") == "quoted");
  c.set_from_string("tts_schedule", "[[1, 0.1, 10, 4]]");
  CHECK(std::get<ConfigValue::Array>(c.get("tts_schedule").v).size() == 1);
  CHECK_THROWS_WITH(c.set_from_string("tts_embed_dim", "3"),
                    Catch::Contains("unknown configuration key 'tts_embed_dim'") && Catch::Contains("tts_embed_dims"));
  CHECK_THROWS_WITH(c.set_from_string("tts_embed_dims", "2.5"), Catch::Contains("expects integer"));
  CHECK_THROWS_AS(c.set_from_string("use_lws", "maybe"), UserError);
  CHECK_THROWS_AS(c.get_int("name"), UserError);
  CHECK_THROWS_AS(c.get("missing"), UserError);
}

TEST_CASE("syntax errors name the source and line") {
  CHECK_THROWS_WITH(Config::from_toml("[a]\nx = = 1\n", "a", "my.toml"), Catch::StartsWith("my.toml:2:"));
  CHECK_THROWS_AS(Config::from_toml_file("/nonexistent/config.toml"), UserError);
}

TEST_CASE("the effective config written next to an output parses back to the same values") {
  Config c = Config::from_toml(kToml, "tacotron");
  c.set_from_string("name", "with \"quotes\"\tand tab");
  Config o = Config::from_toml(kToml, "other");
  std::string path = vctest::scratch_dir("config") + "/out.config.toml";
  write_effective_config(path, {c, o});
  std::string text = read_file(path);
  Config back = Config::from_toml(text, "tacotron", path);
  CHECK(back.keys() == c.keys());
  for (const auto& k : c.keys()) CHECK(back.get(k).to_toml() == c.get(k).to_toml());
  CHECK(Config::from_toml(text, "other").get_int("y") == 2);
}
