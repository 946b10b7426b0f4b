// Configuration values of one component (a plugin instance, a stage): typed keys with defaults,
// overridable one key at a time. TOML parsing lives in core; no toml++ type crosses this header.
//
//   Config c = Config::from_toml(text, "griffinlim");   // the [griffinlim] table of a config.toml
//   c.set_from_string("n_iter", "32");                   // --set griffinlim.n_iter=32
//   int n = c.get_int("n_iter");
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace voxclone {

/// A TOML-like value: bool, integer, float, string or array of values.
struct ConfigValue {
  using Array = std::vector<ConfigValue>;
  std::variant<bool, int64_t, double, std::string, Array> v;

  ConfigValue() : v(false) {}
  ConfigValue(bool b) : v(b) {}
  ConfigValue(int i) : v(int64_t(i)) {}
  ConfigValue(int64_t i) : v(i) {}
  ConfigValue(double d) : v(d) {}
  ConfigValue(const char* s) : v(std::string(s)) {}
  ConfigValue(std::string s) : v(std::move(s)) {}
  ConfigValue(Array a) : v(std::move(a)) {}

  const char* type_name() const;  ///< "bool", "integer", "float", "string", "array"
  std::string to_toml() const;    ///< the value as it would appear in a TOML file
};

/// An ordered set of keys with typed values. Keys may contain dots only as written in TOML
/// (nested tables are flattened: [a.b] c=1 → "b.c" inside table "a").
class Config {
 public:
  Config() = default;
  explicit Config(std::string name) : name_(std::move(name)) {}

  /// Parses TOML text; with `table`, only that top-level table (an absent table gives an empty Config).
  /// Throws UserError with the source name and line on syntax errors.
  static Config from_toml(const std::string& text, const std::string& table = "",
                          const std::string& source_name = "<string>");
  static Config from_toml_file(const std::string& path, const std::string& table = "");

  const std::string& name() const { return name_; }
  bool has(const std::string& key) const { return values_.count(key) != 0; }
  const ConfigValue& get(const std::string& key) const;  ///< UserError if unknown
  bool get_bool(const std::string& key) const;
  int64_t get_int(const std::string& key) const;
  double get_double(const std::string& key) const;  ///< integers convert
  std::string get_string(const std::string& key) const;
  std::vector<double> get_doubles(const std::string& key) const;  ///< an array of numbers

  /// Adds or replaces a key (defaults are declared this way).
  void define(const std::string& key, ConfigValue value);
  /// Replaces an existing key; the new value must have a compatible type (int → float is allowed).
  /// Unknown key → UserError listing the known keys.
  void set(const std::string& key, const ConfigValue& value);
  /// `text` is parsed as a TOML value (numbers, true/false, "strings", [arrays]); a bare word is a string.
  void set_from_string(const std::string& key, const std::string& text);
  /// Applies every key of `other` with set() (so unknown keys are errors).
  void merge(const Config& other);

  /// Keys in definition order.
  std::vector<std::string> keys() const { return order_; }
  /// `[name]` then `key = value` lines (or bare lines when the name is empty).
  std::string to_toml() const;

 private:
  std::string name_;
  std::vector<std::string> order_;
  std::map<std::string, ConfigValue> values_;
};

/// Writes `configs` as one TOML document to `path` atomically (the effective config next to an output).
void write_effective_config(const std::string& path, const std::vector<Config>& configs);

}  // namespace voxclone
