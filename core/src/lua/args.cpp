// vc.args: declares a recipe's arguments, parses `key=value` from the command line, prints --help.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "lua_support.h"

namespace voxclone::lua {

namespace {

const char* const kTypes[] = {"string", "int", "number", "bool", "path", "list"};

struct ArgSpec {
  std::string name, type, help;
  bool required = false;
  bool has_default = false;
  std::string default_text;  ///< for the help text
};

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string item = trim(text.substr(start, comma - start));
    if (!item.empty()) out.push_back(item);
    start = comma + 1;
  }
  return out;
}

void push_string_list(lua_State* L, const std::vector<std::string>& items) {
  lua_createtable(L, int(items.size()), 0);
  for (size_t i = 0; i < items.size(); ++i) {
    lua_pushlstring(L, items[i].data(), items[i].size());
    lua_rawseti(L, -2, lua_Integer(i + 1));
  }
}

// Pushes the value of `text` as `type`; returns false (pushing nothing) if it does not parse.
bool push_parsed(lua_State* L, const std::string& type, const std::string& text) {
  if (type == "int") {
    if (text.empty()) return false;
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(text.c_str(), &end, 10);
    if (*end != '\0' || errno == ERANGE) return false;
    lua_pushinteger(L, lua_Integer(v));
  } else if (type == "number") {
    if (text.empty()) return false;
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (*end != '\0' || !std::isfinite(v)) return false;
    lua_pushnumber(L, v);
  } else if (type == "bool") {
    std::string t = text;
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (t == "true" || t == "yes" || t == "on" || t == "1")
      lua_pushboolean(L, 1);
    else if (t == "false" || t == "no" || t == "off" || t == "0")
      lua_pushboolean(L, 0);
    else
      return false;
  } else if (type == "list") {
    push_string_list(L, split_list(text));
  } else {  // string, path
    if (type == "path" && text.empty()) return false;
    lua_pushlstring(L, text.data(), text.size());
  }
  return true;
}

// Checks a declared default (at stack top) against its type; returns its help text or raises.
std::string check_default(lua_State* L, const ArgSpec& spec) {
  int t = lua_type(L, -1);
  bool ok = false;
  std::string shown;
  if (spec.type == "int") {
    ok = lua_isinteger(L, -1);
    if (ok) shown = std::to_string(lua_tointeger(L, -1));
  } else if (spec.type == "number") {
    ok = t == LUA_TNUMBER;
    if (ok) {
      shown = luaL_tolstring(L, -1, nullptr);
      lua_pop(L, 1);
    }
  } else if (spec.type == "bool") {
    ok = t == LUA_TBOOLEAN;
    if (ok) shown = lua_toboolean(L, -1) ? "true" : "false";
  } else if (spec.type == "list") {
    ok = t == LUA_TTABLE || t == LUA_TSTRING;
    if (t == LUA_TTABLE) {
      lua_Integer n = luaL_len(L, -1);
      for (lua_Integer i = 1; ok && i <= n; ++i) {
        ok = lua_geti(L, -1, i) == LUA_TSTRING;
        if (ok) shown += (i > 1 ? "," : "") + std::string(lua_tostring(L, -1));
        lua_pop(L, 1);
      }
    } else if (ok) {
      shown = lua_tostring(L, -1);
    }
  } else {
    ok = t == LUA_TSTRING;
    if (ok) shown = lua_tostring(L, -1);
  }
  if (!ok)
    luaL_error(L, "vc.args: argument '%s': default must be a %s, got %s", spec.name.c_str(),
               spec.type.c_str(), luaL_typename(L, -1));
  return shown;
}

void print_help(const Host& h, const std::string& description, const std::vector<ArgSpec>& specs) {
  std::string out = "usage: voxclone run " + h.recipe_path + " [key=value ...]\n";
  if (!description.empty()) out += "\n" + description + "\n";
  if (!specs.empty()) {
    out += "\narguments:\n";
    size_t width = 0;
    std::vector<std::string> heads;
    for (const auto& s : specs) {
      heads.push_back(s.name + "=<" + s.type + ">");
      width = std::max(width, heads.back().size());
    }
    for (size_t i = 0; i < specs.size(); ++i) {
      const auto& s = specs[i];
      std::string line = "  " + heads[i] + std::string(width - heads[i].size() + 2, ' ') + s.help;
      if (s.required)
        line += s.help.empty() ? "(required)" : " (required)";
      else if (s.has_default)
        line += (s.help.empty() ? "(default: " : " (default: ") + s.default_text + ")";
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
  }
  out += "\nValues: int, number, bool (true/false/yes/no/on/off/1/0), list (comma-separated).\n";
  std::fputs(out.c_str(), stdout);
  std::fflush(stdout);
}

// __index of the result table: a declared argument without a value reads as nil, a typo raises.
int args_index(lua_State* L) {
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) {
    lua_pushnil(L);
    return 1;
  }
  return luaL_error(L, "no argument '%s' is declared in vc.args", luaL_tolstring(L, 2, nullptr));
}

int vc_args(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  Host& h = host(L);
  if (h.args_declared) return luaL_error(L, "vc.args called twice");
  h.args_declared = true;

  std::string description;
  std::vector<ArgSpec> specs;
  lua_newtable(L);  // 2: result
  lua_newtable(L);  // 3: declared names
  lua_pushnil(L);
  while (lua_next(L, 1) != 0) {
    if (lua_type(L, -2) != LUA_TSTRING) return luaL_error(L, "vc.args: argument names must be strings");
    std::string name = lua_tostring(L, -2);
    if (name == "description") {
      description = luaL_checkstring(L, -1);
      lua_pop(L, 1);
      continue;
    }
    if (!lua_istable(L, -1))
      return luaL_error(L, "vc.args: argument '%s': expected a table {type=..., default=..., help=...}",
                        name.c_str());
    int t = lua_gettop(L);
    ArgSpec spec;
    spec.name = name;
    lua_pushnil(L);
    while (lua_next(L, t) != 0) {
      std::string field = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
      if (field != "type" && field != "default" && field != "required" && field != "help")
        return luaL_error(L,
                          "vc.args: argument '%s': unknown field '%s' (known: default, help, required, type)",
                          name.c_str(), field.c_str());
      lua_pop(L, 1);
    }
    lua_getfield(L, t, "type");
    spec.type = lua_isnil(L, -1) ? "string" : luaL_checkstring(L, -1);
    lua_pop(L, 1);
    if (std::find(std::begin(kTypes), std::end(kTypes), spec.type) == std::end(kTypes))
      return luaL_error(
          L, "vc.args: argument '%s': unknown type '%s' (known: bool, int, list, number, path, string)",
          name.c_str(), spec.type.c_str());
    lua_getfield(L, t, "help");
    if (!lua_isnil(L, -1)) spec.help = luaL_checkstring(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, t, "required");
    spec.required = lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (lua_getfield(L, t, "default") != LUA_TNIL) {
      if (spec.required)
        return luaL_error(L, "vc.args: argument '%s' is required and has a default", name.c_str());
      spec.has_default = true;
      spec.default_text = check_default(L, spec);
      if (spec.type == "list" && lua_type(L, -1) == LUA_TSTRING) {
        std::string text = lua_tostring(L, -1);
        lua_pop(L, 1);
        push_string_list(L, split_list(text));
      } else if (spec.type == "list") {  // a copy, so the recipe's spec table is not shared
        std::vector<std::string> items = split_list(spec.default_text);
        lua_pop(L, 1);
        push_string_list(L, items);
      }
      lua_setfield(L, 2, name.c_str());
    } else {
      lua_pop(L, 1);
    }
    lua_pushboolean(L, 1);
    lua_setfield(L, 3, name.c_str());
    specs.push_back(std::move(spec));
    lua_pop(L, 1);  // the spec table
  }
  std::sort(specs.begin(), specs.end(), [](const ArgSpec& a, const ArgSpec& b) { return a.name < b.name; });

  if (h.help) {
    print_help(h, description, specs);
    raise_exit(L, 0);
  }

  for (const auto& a : h.args) {
    auto it = std::find_if(specs.begin(), specs.end(), [&](const ArgSpec& s) { return s.name == a.key; });
    if (it == specs.end()) {
      std::string known;
      for (const auto& s : specs) known += (known.empty() ? "" : ", ") + s.name;
      raise_user_error(L,
                       h.recipe_name + ": argument '" + a.key +
                           "': unknown (known: " + (known.empty() ? "none" : known) + ")",
                       0);
    }
    if (!a.has_value) {
      if (it->type != "bool")
        raise_user_error(
            L,
            h.recipe_name + ": argument '" + a.key + "': expected a value (" + a.key + "=<" + it->type + ">)",
            0);
      lua_pushboolean(L, 1);
    } else if (!push_parsed(L, it->type, a.value)) {
      raise_user_error(
          L, h.recipe_name + ": argument '" + a.key + "': expected " + it->type + ", got '" + a.value + "'",
          0);
    }
    lua_setfield(L, 2, a.key.c_str());
  }
  for (const auto& s : specs) {
    if (s.required && lua_getfield(L, 2, s.name.c_str()) == LUA_TNIL)
      raise_user_error(
          L, h.recipe_name + ": argument '" + s.name + "': required (" + s.name + "=<" + s.type + ">)", 0);
    if (s.required) lua_pop(L, 1);
  }

  lua_newtable(L);  // metatable of the result
  lua_pushvalue(L, 3);
  lua_pushcclosure(L, args_index, 1);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, 2);
  lua_settop(L, 2);
  return 1;
}

const luaL_Reg kFunctions[] = {{"args", protect<vc_args>}, {nullptr, nullptr}};

}  // namespace

extern const Library kArgsLibrary = {nullptr, kFunctions, nullptr};

}  // namespace voxclone::lua
