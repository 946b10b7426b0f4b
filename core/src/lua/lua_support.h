// Internal toolkit of the Lua bindings: host state, C++ → Lua error conversion, option tables, userdata.
// Includes no torch header, so the pure host files (state, args, fs, log) stay quick to compile.
#pragma once

#include <lua.hpp>
#include <new>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "voxclone/audio.h"
#include "voxclone/error.h"

namespace voxclone::lua {

/// One command-line argument of a recipe.
struct RecipeArg {
  std::string key, value;
  bool has_value = true;  ///< false for a bare `--flag`
};

/// Per-run state, reachable from any lua_State of the run through the main thread's extra space.
struct Host {
  std::string recipe_path;  ///< as given on the command line
  std::string recipe_name;  ///< its file name, the prefix of argument errors
  std::vector<RecipeArg> args;
  bool help = false;
  bool args_declared = false;  ///< vc.args was called
  std::string user_error;      ///< message of the last UserError raised into Lua
  std::string user_error_where;
  bool exiting = false;
  int exit_code = 0;
};

Host& host(lua_State* L);

/// Raises a Lua error that the host reports as a user mistake: exit code 2, the message on one line,
/// preceded by a recipe location: `level` as in Lua's error() (1: the caller of the binding; 0: none).
[[noreturn]] void raise_user_error(lua_State* L, const std::string& message, int level = 1);
/// Raises an ordinary Lua error (exit code 1, with traceback) prefixed by the calling location.
[[noreturn]] void raise_error(lua_State* L, const std::string& message);
/// Ends the recipe with `code` (os.exit, vc.args --help); pcall in the recipe does not catch it.
[[noreturn]] void raise_exit(lua_State* L, int code);
/// The value identifying the exit request in error objects.
void* exit_sentinel();

/// what() of an exception, cut before a LibTorch backtrace.
std::string error_text(const std::exception& e);

/// Calls F and converts every C++ exception it throws into a Lua error (UserError → raise_user_error).
/// Lua's own errors (thrown as non-std exceptions by the C++ build of Lua) pass through untouched.
template <lua_CFunction F>
int protect(lua_State* L) {
  std::string message;
  bool user = false;
  try {
    return F(L);
  } catch (const UserError& e) {
    message = e.what();
    user = true;
  } catch (const std::bad_alloc&) {
    message = "out of memory";
  } catch (const Error& e) {
    message = e.what();
  } catch (const std::exception& e) {
    message = "internal error: " + error_text(e);
  }
  // Raised outside the handlers so the C++ exception is gone before Lua unwinds.
  if (user) raise_user_error(L, message);
  raise_error(L, message);
}

/// One group of functions of the `voxclone` module. `field` nullptr: the functions go into the module
/// table itself; otherwise into a sub-table (vc.fs, vc.log). `init` (optional) runs first with the module
/// table on top of the stack: metatables of userdata classes, constants.
struct Library {
  const char* field;
  const luaL_Reg* functions;
  void (*init)(lua_State* L);
};

/// Pushes the `voxclone` module table (the `require "voxclone"` loader).
int open_module(lua_State* L);

// ---- option tables -------------------------------------------------------------------------------

/// Reads an optional table argument of a binding key by key and refuses keys nobody asked for:
///   OptionTable o(L, 2, "vocode"); int64_t seed = o.integer("seed", -1); o.finish();
class OptionTable {
 public:
  OptionTable(lua_State* L, int index, std::string what);
  bool has(const char* key);
  int64_t integer(const char* key, int64_t fallback);
  double number(const char* key, double fallback);
  bool boolean(const char* key, bool fallback);
  std::string string(const char* key, const std::string& fallback);
  /// Pushes the raw value (nil when absent) and marks the key known.
  int push(const char* key);
  /// UserError naming the first unknown key and the known ones.
  void finish();

 private:
  lua_State* L_;
  int index_;  ///< 0: no table given
  std::string what_;
  std::set<std::string> known_;
};

// ---- userdata classes ----------------------------------------------------------------------------

/// Specialise with `static constexpr const char* name = "voxclone.xxx";` for each class.
template <class T>
struct LuaClass;

/// Creates the metatable of a class: `methods` reachable through __index, `meta` (__tostring, __len …)
/// set on the metatable, `properties` (may be null) pushes the field named by stack[2] of the object at
/// stack[1] and returns 1, or returns 0 if there is no such field. __gc destroys the C++ object.
void define_class(lua_State* L, const char* name, const luaL_Reg* methods, const luaL_Reg* meta,
                  lua_CFunction properties, lua_CFunction gc);

template <class T>
int destroy_object(lua_State* L) {
  if (void* p = luaL_testudata(L, 1, LuaClass<T>::name)) {
    static_cast<T*>(p)->~T();
    lua_pushnil(L);  // a finalised object can still be reached from other finalisers: make it inert
    lua_setmetatable(L, 1);
  }
  return 0;
}

template <class T>
T& push_object(lua_State* L, T value) {
  void* p = lua_newuserdatauv(L, sizeof(T), 0);
  T* obj = new (p) T(std::move(value));
  luaL_setmetatable(L, LuaClass<T>::name);
  return *obj;
}

template <class T>
T& check_object(lua_State* L, int index) {
  return *static_cast<T*>(luaL_checkudata(L, index, LuaClass<T>::name));
}

template <class T>
void define_class(lua_State* L, const luaL_Reg* methods, const luaL_Reg* meta, lua_CFunction properties) {
  define_class(L, LuaClass<T>::name, methods, meta, properties, &destroy_object<T>);
}

// ---- shared value types --------------------------------------------------------------------------

template <>
struct LuaClass<Waveform> {
  static constexpr const char* name = "voxclone.audio";
};
inline Waveform& check_audio(lua_State* L, int index) { return check_object<Waveform>(L, index); }
inline void push_audio(lua_State* L, Waveform wav) { push_object<Waveform>(L, std::move(wav)); }

/// A list of strings (a Lua sequence, or one string as a one-element list).
std::vector<std::string> check_string_list(lua_State* L, int index, const char* what);

}  // namespace voxclone::lua
