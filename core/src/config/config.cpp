// Config: typed keys with defaults, TOML parsing (toml++) and writing, and checked overrides.
#include "voxclone/config.h"

#include <toml++/toml.h>

#include <cmath>
#include <cstdio>
#include <sstream>

#include "voxclone/error.h"
#include "voxclone/files.h"

namespace voxclone {

namespace {

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

ConfigValue from_node(const toml::node& node, const std::string& where) {
  if (auto v = node.as_boolean()) return ConfigValue(v->get());
  if (auto v = node.as_integer()) return ConfigValue(int64_t(v->get()));
  if (auto v = node.as_floating_point()) return ConfigValue(v->get());
  if (auto v = node.as_string()) return ConfigValue(v->get());
  if (auto arr = node.as_array()) {
    ConfigValue::Array out;
    for (const auto& el : *arr) out.push_back(from_node(el, where));
    return ConfigValue(std::move(out));
  }
  throw UserError(where + ": unsupported TOML value (dates and inline tables are not configuration values)");
}

void flatten(const toml::table& table, const std::string& prefix, Config& out, const std::string& where) {
  for (const auto& [k, node] : table) {
    std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (auto sub = node.as_table())
      flatten(*sub, key, out, where);
    else
      out.define(key, from_node(node, where + ": key '" + key + "'"));
  }
}

toml::table parse_toml(const std::string& text, const std::string& source_name) {
  try {
    return toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << source_name << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
        << e.description();
    throw UserError(msg.str());
  }
}

// Whether `v` may replace a value of type `old` (integers widen to floats).
bool compatible(const ConfigValue& old, const ConfigValue& v) {
  if (old.v.index() == v.v.index()) return true;
  return std::holds_alternative<double>(old.v) && std::holds_alternative<int64_t>(v.v);
}

std::string where(const std::string& name) { return name.empty() ? std::string() : " of [" + name + "]"; }

}  // namespace

const char* ConfigValue::type_name() const {
  switch (v.index()) {
    case 0: return "bool";
    case 1: return "integer";
    case 2: return "float";
    case 3: return "string";
    default: return "array";
  }
}

std::string ConfigValue::to_toml() const {
  if (auto b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (auto i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (auto d = std::get_if<double>(&v)) {
    if (std::isnan(*d)) return "nan";
    if (std::isinf(*d)) return *d > 0 ? "inf" : "-inf";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    std::string s = buf;
    if (s.find_first_of(".eE") == std::string::npos) s += ".0";
    return s;
  }
  if (auto s = std::get_if<std::string>(&v)) return quote(*s);
  const auto& arr = std::get<Array>(v);
  std::string out = "[";
  for (size_t i = 0; i < arr.size(); ++i) out += (i ? ", " : "") + arr[i].to_toml();
  return out + "]";
}

Config Config::from_toml(const std::string& text, const std::string& table, const std::string& source_name) {
  toml::table root = parse_toml(text, source_name);
  Config out(table);
  if (table.empty()) {
    flatten(root, "", out, source_name);
    return out;
  }
  if (auto node = root.get(table)) {
    auto sub = node->as_table();
    if (!sub) throw UserError(source_name + ": '" + table + "' must be a table");
    flatten(*sub, "", out, source_name + " [" + table + "]");
  }
  return out;
}

Config Config::from_toml_file(const std::string& path, const std::string& table) {
  return from_toml(read_file(path, 64 << 20), table, path);
}

const ConfigValue& Config::get(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) throw UserError("configuration" + where(name_) + " has no key '" + key + "'");
  return it->second;
}

bool Config::get_bool(const std::string& key) const {
  if (auto b = std::get_if<bool>(&get(key).v)) return *b;
  throw UserError("configuration key '" + key + "'" + where(name_) + " must be a bool");
}

int64_t Config::get_int(const std::string& key) const {
  if (auto i = std::get_if<int64_t>(&get(key).v)) return *i;
  throw UserError("configuration key '" + key + "'" + where(name_) + " must be an integer");
}

double Config::get_double(const std::string& key) const {
  const auto& v = get(key).v;
  if (auto d = std::get_if<double>(&v)) return *d;
  if (auto i = std::get_if<int64_t>(&v)) return double(*i);
  throw UserError("configuration key '" + key + "'" + where(name_) + " must be a number");
}

std::string Config::get_string(const std::string& key) const {
  if (auto s = std::get_if<std::string>(&get(key).v)) return *s;
  throw UserError("configuration key '" + key + "'" + where(name_) + " must be a string");
}

std::vector<double> Config::get_doubles(const std::string& key) const {
  const auto* arr = std::get_if<ConfigValue::Array>(&get(key).v);
  std::vector<double> out;
  if (arr) {
    for (const auto& el : *arr) {
      if (auto d = std::get_if<double>(&el.v))
        out.push_back(*d);
      else if (auto i = std::get_if<int64_t>(&el.v))
        out.push_back(double(*i));
      else
        arr = nullptr;
      if (!arr) break;
    }
  }
  if (!arr) throw UserError("configuration key '" + key + "'" + where(name_) + " must be an array of numbers");
  return out;
}

void Config::define(const std::string& key, ConfigValue value) {
  if (!values_.count(key)) order_.push_back(key);
  values_[key] = std::move(value);
}

void Config::set(const std::string& key, const ConfigValue& value) {
  auto it = values_.find(key);
  if (it == values_.end()) {
    std::string known;
    for (const auto& k : order_) known += (known.empty() ? "" : ", ") + k;
    throw UserError("unknown configuration key '" + key + "'" + where(name_) +
                    " (known: " + (known.empty() ? "none" : known) + ")");
  }
  if (!compatible(it->second, value))
    throw UserError("configuration key '" + key + "'" + where(name_) + " expects " + it->second.type_name() +
                    ", got " + value.type_name() + " " + value.to_toml());
  if (std::holds_alternative<double>(it->second.v) && std::holds_alternative<int64_t>(value.v))
    it->second = ConfigValue(double(std::get<int64_t>(value.v)));
  else
    it->second = value;
}

void Config::set_from_string(const std::string& key, const std::string& text) {
  ConfigValue parsed(text);  // a bare word is a string
  try {
    toml::table t = toml::parse("v = " + text);
    parsed = from_node(*t.get("v"), "value of '" + key + "'");
  } catch (const toml::parse_error&) {
  }
  // A string key keeps the literal text even if it looks like a number ("--set x.name=123").
  auto it = values_.find(key);
  if (it != values_.end() && std::holds_alternative<std::string>(it->second.v) &&
      !std::holds_alternative<std::string>(parsed.v))
    parsed = ConfigValue(text);
  set(key, parsed);
}

void Config::merge(const Config& other) {
  for (const auto& k : other.order_) set(k, other.values_.at(k));
}

std::string Config::to_toml() const {
  std::ostringstream out;
  if (!name_.empty()) out << "[" << name_ << "]\n";
  for (const auto& k : order_) {
    bool bare = !k.empty() && k.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                  "0123456789_-.") == std::string::npos;
    out << (bare ? k : quote(k)) << " = " << values_.at(k).to_toml() << "\n";
  }
  return out.str();
}

void write_effective_config(const std::string& path, const std::vector<Config>& configs) {
  std::string text = "# Effective configuration (defaults with every override applied), written by voxclone\n";
  for (const auto& c : configs) text += "\n" + c.to_toml();
  write_file_atomic(path, text);
}

}  // namespace voxclone
