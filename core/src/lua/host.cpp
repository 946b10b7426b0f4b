// The recipe host: a fresh Lua state per run, strict globals, `require` paths, the error handler with
// traceback, and the mapping of a recipe's outcome to an exit code.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "lua_host.h"
#include "lua_support.h"

namespace fs = std::filesystem;

namespace voxclone::lua {

namespace {

// Splits `key=value`, `--key=value`, `--flag`, `--help`. Throws UserError for anything else.
void parse_recipe_args(Host& h, const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      h.help = true;
      continue;
    }
    bool dashed = a.rfind("--", 0) == 0;
    std::string s = dashed ? a.substr(2) : a;
    RecipeArg r;
    auto eq = s.find('=');
    if (eq == std::string::npos) {
      if (!dashed) throw UserError(h.recipe_name + ": argument '" + a + "': expected key=value");
      r.key = s;
      r.has_value = false;
    } else {
      r.key = s.substr(0, eq);
      r.value = s.substr(eq + 1);
    }
    if (r.key.empty() || r.key[0] == '-')
      throw UserError(h.recipe_name + ": argument '" + a + "': expected key=value");
    for (const auto& prev : h.args)
      if (prev.key == r.key) throw UserError(h.recipe_name + ": argument '" + r.key + "': given twice");
    h.args.push_back(std::move(r));
  }
}

std::string executable_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

// <recipe dir>/lib, <recipe dir>/../lib, $VOXCLONE_LUA_PATH, the repository's recipes/lib (source tree
// this was built from, then the install's share folder next to the executable).
std::string module_path(const std::string& recipe) {
  fs::path dir = fs::absolute(recipe).parent_path();
  std::vector<std::string> patterns = {(dir / "lib" / "?.lua").string(),
                                       (dir.parent_path() / "lib" / "?.lua").string()};
  if (const char* env = std::getenv("VOXCLONE_LUA_PATH"); env != nullptr && *env != '\0')
    patterns.emplace_back(env);
  std::vector<fs::path> shared;
#ifdef VOXCLONE_SOURCE_DIR
  shared.push_back(fs::path(VOXCLONE_SOURCE_DIR) / "recipes" / "lib");
#endif
  std::string exe = executable_dir();
  if (!exe.empty()) shared.push_back(fs::path(exe) / ".." / "share" / "voxclone" / "recipes" / "lib");
  for (const auto& p : shared) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) patterns.push_back((fs::weakly_canonical(p, ec) / "?.lua").string());
  }
  std::string out;
  for (const auto& p : patterns) out += (out.empty() ? "" : ";") + p;
  return out;
}

// Lua's lua.c msghandler: a traceback for real errors; a user error or an exit request stays as it is.
int message_handler(lua_State* L) {
  if (lua_touserdata(L, 1) == exit_sentinel()) return 1;
  const char* msg = lua_tostring(L, 1);
  if (msg == nullptr) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  const Host& h = host(L);
  if (!h.user_error.empty() && std::string(msg).find(h.user_error) != std::string::npos) {
    lua_pushstring(L, msg);
    return 1;
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

int strict_index(lua_State* L) {
  return luaL_error(L, "undefined global '%s' (declare it with local)", luaL_tolstring(L, 2, nullptr));
}

int strict_newindex(lua_State* L) {
  return luaL_error(L, "assignment to undeclared global '%s' (declare it with local)",
                    luaL_tolstring(L, 2, nullptr));
}

int os_exit(lua_State* L) {
  int code = 0;
  if (lua_isboolean(L, 1))
    code = lua_toboolean(L, 1) ? EXIT_SUCCESS : EXIT_FAILURE;
  else
    code = int(luaL_optinteger(L, 1, EXIT_SUCCESS));
  raise_exit(L, code);
}

// pcall, xpcall and coroutine.resume must not swallow os.exit: they re-raise the exit request.
const char kExitGuard[] = R"lua(
local sentinel, pcall, xpcall, resume, error = ...
local function pass(ok, ...)
  if not ok and (...) == sentinel then error(sentinel, 0) end
  return ok, ...
end
_G.pcall = function(f, ...) return pass(pcall(f, ...)) end
_G.xpcall = function(f, handler, ...)
  return pass(xpcall(f, function(e) if e == sentinel then return e end return handler(e) end, ...))
end
coroutine.resume = function(co, ...) return pass(resume(co, ...)) end
)lua";

int setup_state(lua_State* L) {
  const Host& h = host(L);
  luaL_openlibs(L);

  lua_getglobal(L, "package");
  std::string path = module_path(h.recipe_path);
  lua_pushlstring(L, path.data(), path.size());
  lua_setfield(L, -2, "path");
  lua_pushliteral(L, "");  // no C modules: they would be built against another Lua
  lua_setfield(L, -2, "cpath");
  lua_getfield(L, -1, "preload");
  lua_pushcfunction(L, protect<open_module>);
  lua_setfield(L, -2, "voxclone");
  lua_pop(L, 2);

  lua_getglobal(L, "os");
  lua_pushcfunction(L, os_exit);
  lua_setfield(L, -2, "exit");
  lua_pop(L, 1);

  if (luaL_loadbuffer(L, kExitGuard, sizeof kExitGuard - 1, "=exit_guard") != LUA_OK) return lua_error(L);
  lua_pushlightuserdata(L, exit_sentinel());
  lua_getglobal(L, "pcall");
  lua_getglobal(L, "xpcall");
  lua_getglobal(L, "coroutine");
  lua_getfield(L, -1, "resume");
  lua_remove(L, -2);
  lua_getglobal(L, "error");
  lua_call(L, 5, 0);

  // Strict globals, last: everything defined so far is declared.
  lua_pushglobaltable(L);
  lua_newtable(L);
  lua_pushcfunction(L, strict_index);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, strict_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_setmetatable(L, -2);
  lua_pop(L, 1);
  return 0;
}

struct StateCloser {
  void operator()(lua_State* L) const { lua_close(L); }
};

std::string file_name(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  return name.empty() ? path : name;
}

// Reports a failed pcall and returns the exit code.
int report_failure(lua_State* L, int status, const Host& h) {
  if (h.exiting && lua_touserdata(L, -1) == exit_sentinel()) return h.exit_code;
  if (status == LUA_ERRMEM) {
    std::fprintf(stderr, "%s: out of memory\n", h.recipe_path.c_str());
    return 1;
  }
  const char* msg = lua_tostring(L, -1);
  std::string text = msg != nullptr ? msg : "(error object is not a string)";
  if (!h.user_error.empty() && text.find(h.user_error) != std::string::npos) {
    // A user mistake: one line. Prefix the recipe location unless the message already carries one.
    if (text == h.user_error) text = h.user_error_where + text;
    std::fprintf(stderr, "%s\n", text.c_str());
    return 2;
  }
  std::fprintf(stderr, "%s\n", text.c_str());
  return 1;
}

}  // namespace

int run_recipe(const std::string& path, const std::vector<std::string>& args) {
  Host h;
  h.recipe_path = path;
  h.recipe_name = file_name(path);
  int code = 1;
  try {
    parse_recipe_args(h, args);
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
      throw UserError("cannot open recipe '" + path +
                      "': " + (fs::exists(path, ec) ? "not a regular file" : "no such file"));

    std::unique_ptr<lua_State, StateCloser> state(luaL_newstate());
    lua_State* L = state.get();
    if (L == nullptr) throw InternalError("cannot create a Lua state (out of memory)");
    *static_cast<Host**>(lua_getextraspace(L)) = &h;

    lua_pushcfunction(L, message_handler);
    int handler = lua_gettop(L);
    lua_pushcfunction(L, protect<setup_state>);
    int status = lua_pcall(L, 0, 0, handler);
    if (status != LUA_OK) throw InternalError(std::string("Lua set-up failed: ") + lua_tostring(L, -1));

    status = luaL_loadfilex(L, path.c_str(), "t");
    if (status == LUA_ERRFILE) throw UserError(lua_tostring(L, -1));
    if (status != LUA_OK) {
      std::fprintf(stderr, "%s\n", lua_tostring(L, -1));  // a syntax error: file:line: message
      code = 1;
    } else {
      status = lua_pcall(L, 0, 1, handler);
      if (status != LUA_OK) {
        code = report_failure(L, status, h);
      } else if (!h.args_declared && (h.help || !h.args.empty())) {
        if (h.help) {
          std::printf("usage: voxclone run %s\n\nThis recipe declares no arguments.\n", path.c_str());
          code = 0;
        } else {
          std::fprintf(stderr, "%s: argument '%s': unknown (this recipe declares no arguments)\n",
                       h.recipe_name.c_str(), h.args.front().key.c_str());
          code = 2;
        }
      } else if (lua_isinteger(L, -1)) {
        code = int(lua_tointeger(L, -1));
      } else {
        code = 0;
      }
    }
    state.reset();  // runs the finalisers (plugins, progress bars) before the streams are flushed
  } catch (const Error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    code = e.exit_code();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: internal error: %s\n", h.recipe_path.c_str(), error_text(e).c_str());
    code = 1;
  }
  std::fflush(stdout);
  std::fflush(stderr);
  return code;
}

}  // namespace voxclone::lua
