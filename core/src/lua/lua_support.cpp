// Implementation of the bindings' toolkit: error raising, option tables, class metatables.
#include "lua_support.h"

#include <cmath>

namespace voxclone::lua {

Host& host(lua_State* L) { return **static_cast<Host**>(lua_getextraspace(L)); }

void* exit_sentinel() {
  static char sentinel;
  return &sentinel;
}

void raise_user_error(lua_State* L, const std::string& message, int level) {
  Host& h = host(L);
  h.user_error = message;
  h.user_error_where.clear();
  if (level > 0) {
    luaL_where(L, level);
    h.user_error_where = lua_tostring(L, -1);
    lua_pop(L, 1);
  }
  lua_pushlstring(L, message.data(), message.size());
  lua_error(L);
  std::abort();  // lua_error does not return
}

void raise_error(lua_State* L, const std::string& message) {
  luaL_where(L, 1);
  lua_pushlstring(L, message.data(), message.size());
  lua_concat(L, 2);
  lua_error(L);
  std::abort();
}

void raise_exit(lua_State* L, int code) {
  Host& h = host(L);
  h.exiting = true;
  h.exit_code = code;
  lua_pushlightuserdata(L, exit_sentinel());
  lua_error(L);
  std::abort();
}

std::string error_text(const std::exception& e) {
  std::string s = e.what();
  for (const char* cut : {"\nException raised from ", "\nframe #"}) {
    auto pos = s.find(cut);
    if (pos != std::string::npos) s.erase(pos);
  }
  return s;
}

// ---- OptionTable ---------------------------------------------------------------------------------

OptionTable::OptionTable(lua_State* L, int index, std::string what) : L_(L), what_(std::move(what)) {
  if (lua_isnoneornil(L, index)) {
    index_ = 0;
  } else {
    luaL_checktype(L, index, LUA_TTABLE);
    index_ = lua_absindex(L, index);
  }
}

int OptionTable::push(const char* key) {
  known_.insert(key);
  if (index_ == 0) {
    lua_pushnil(L_);
    return LUA_TNIL;
  }
  return lua_getfield(L_, index_, key);
}

bool OptionTable::has(const char* key) {
  bool present = push(key) != LUA_TNIL;
  lua_pop(L_, 1);
  return present;
}

int64_t OptionTable::integer(const char* key, int64_t fallback) {
  int t = push(key);
  int64_t v = fallback;
  if (t != LUA_TNIL) {
    int ok = 0;
    lua_Integer i = lua_tointegerx(L_, -1, &ok);
    if (!ok || t != LUA_TNUMBER) {
      std::string shown = t == LUA_TNUMBER ? "a fraction" : luaL_typename(L_, -1);
      lua_pop(L_, 1);
      throw UserError(what_ + ": option '" + key + "': expected an integer, got " + shown);
    }
    v = i;
  }
  lua_pop(L_, 1);
  return v;
}

double OptionTable::number(const char* key, double fallback) {
  int t = push(key);
  double v = fallback;
  if (t != LUA_TNIL) {
    if (t != LUA_TNUMBER) {
      std::string type = luaL_typename(L_, -1);
      lua_pop(L_, 1);
      throw UserError(what_ + ": option '" + key + "': expected a number, got " + type);
    }
    v = lua_tonumber(L_, -1);
  }
  lua_pop(L_, 1);
  return v;
}

bool OptionTable::boolean(const char* key, bool fallback) {
  int t = push(key);
  bool v = fallback;
  if (t != LUA_TNIL) {
    if (t != LUA_TBOOLEAN) {
      std::string type = luaL_typename(L_, -1);
      lua_pop(L_, 1);
      throw UserError(what_ + ": option '" + key + "': expected true or false, got " + type);
    }
    v = lua_toboolean(L_, -1);
  }
  lua_pop(L_, 1);
  return v;
}

std::string OptionTable::string(const char* key, const std::string& fallback) {
  int t = push(key);
  std::string v = fallback;
  if (t != LUA_TNIL) {
    if (t != LUA_TSTRING) {
      std::string type = luaL_typename(L_, -1);
      lua_pop(L_, 1);
      throw UserError(what_ + ": option '" + key + "': expected a string, got " + type);
    }
    size_t n = 0;
    const char* s = lua_tolstring(L_, -1, &n);
    v.assign(s, n);
  }
  lua_pop(L_, 1);
  return v;
}

void OptionTable::finish() {
  if (index_ == 0) return;
  lua_pushnil(L_);
  while (lua_next(L_, index_) != 0) {
    lua_pop(L_, 1);
    std::string key = lua_type(L_, -1) == LUA_TSTRING ? lua_tostring(L_, -1) : "";
    if (key.empty() || !known_.count(key)) {
      std::string shown = key.empty() ? std::string("a ") + luaL_typename(L_, -1) + " key" : "'" + key + "'";
      lua_pop(L_, 1);
      std::string list;
      for (const auto& k : known_) list += (list.empty() ? "" : ", ") + k;
      throw UserError(what_ + ": unknown option " + shown + " (known: " + (list.empty() ? "none" : list) +
                      ")");
    }
  }
}

// ---- classes -------------------------------------------------------------------------------------

// __index: methods first, then the class's properties; anything else is an error (strict, like globals).
static int class_index(lua_State* L) {
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
  lua_pop(L, 1);
  auto properties = reinterpret_cast<lua_CFunction>(lua_touserdata(L, lua_upvalueindex(2)));
  if (properties != nullptr && lua_type(L, 2) == LUA_TSTRING) {
    lua_settop(L, 2);
    if (properties(L) > 0) return 1;
  }
  const char* key = luaL_tolstring(L, 2, nullptr);  // pushes: evaluate before the class name
  lua_getfield(L, lua_upvalueindex(3), "__name");
  return luaL_error(L, "%s has no field or method '%s'", lua_tostring(L, -1), key);
}

static int class_newindex(lua_State* L) {
  const char* key = luaL_tolstring(L, 2, nullptr);
  luaL_getmetafield(L, 1, "__name");
  return luaL_error(L, "cannot set field '%s' of %s", key, lua_tostring(L, -1));
}

void define_class(lua_State* L, const char* name, const luaL_Reg* methods, const luaL_Reg* meta,
                  lua_CFunction properties, lua_CFunction gc) {
  luaL_newmetatable(L, name);
  int mt = lua_gettop(L);
  if (meta != nullptr) luaL_setfuncs(L, meta, 0);
  lua_pushcfunction(L, gc);
  lua_setfield(L, mt, "__gc");
  lua_newtable(L);
  if (methods != nullptr) luaL_setfuncs(L, methods, 0);
  lua_pushlightuserdata(L, reinterpret_cast<void*>(properties));
  lua_pushvalue(L, mt);
  lua_pushcclosure(L, class_index, 3);
  lua_setfield(L, mt, "__index");
  lua_pushcfunction(L, class_newindex);
  lua_setfield(L, mt, "__newindex");
  lua_pushliteral(L, "voxclone object");  // getmetatable() from a recipe sees this, not the internals
  lua_setfield(L, mt, "__metatable");
  lua_pop(L, 1);
}

std::vector<std::string> check_string_list(lua_State* L, int index, const char* what) {
  std::vector<std::string> out;
  if (lua_type(L, index) == LUA_TSTRING) {
    out.emplace_back(lua_tostring(L, index));
    return out;
  }
  if (lua_type(L, index) != LUA_TTABLE)
    throw UserError(std::string(what) + ": expected a list of strings, got " + luaL_typename(L, index));
  lua_Integer n = luaL_len(L, index);
  for (lua_Integer i = 1; i <= n; ++i) {
    if (lua_geti(L, index, i) != LUA_TSTRING) {
      std::string type = luaL_typename(L, -1);
      lua_pop(L, 1);
      throw UserError(std::string(what) + ": item " + std::to_string(i) + " is a " + type +
                      ", expected a string");
    }
    out.emplace_back(lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  return out;
}

}  // namespace voxclone::lua
