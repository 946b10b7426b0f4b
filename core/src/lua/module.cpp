// The `voxclone` Lua module: one list of binding libraries, each a table of C functions. Adding a group of
// functions (stage functions, say) is one file that defines a Library and one line in kLibraries.
#include <filesystem>

#include "lua_support.h"

namespace voxclone::lua {

extern const Library kArgsLibrary;
extern const Library kFsLibrary;
extern const Library kLogLibrary;
extern const Library kAudioLibrary;
extern const Library kTensorLibrary;
extern const Library kPluginLibrary;
extern const Library kCloneLibrary;

namespace {

const Library* const kLibraries[] = {
    &kArgsLibrary, &kFsLibrary, &kLogLibrary, &kAudioLibrary, &kTensorLibrary, &kPluginLibrary, &kCloneLibrary,
};

// vc.fail(message[, level]): the recipe reports a user mistake itself (exit code 2, one line). `level` as
// in error(): 1 (default) names the line calling vc.fail, 2 its caller (for helpers in recipes/lib).
int vc_fail(lua_State* L) {
  size_t n = 0;
  const char* msg = luaL_checklstring(L, 1, &n);
  lua_Integer level = luaL_optinteger(L, 2, 1);
  raise_user_error(L, std::string(msg, n), int(level));
}

const luaL_Reg kCoreFunctions[] = {{"fail", vc_fail}, {nullptr, nullptr}};

}  // namespace

int open_module(lua_State* L) {
  const Host& h = host(L);
  lua_newtable(L);
  int module = lua_gettop(L);
  luaL_setfuncs(L, kCoreFunctions, 0);
  lua_pushliteral(L, VOXCLONE_VERSION);
  lua_setfield(L, module, "version");
  lua_pushlstring(L, h.recipe_path.data(), h.recipe_path.size());
  lua_setfield(L, module, "recipe");
  std::string dir = std::filesystem::path(h.recipe_path).parent_path().string();
  lua_pushstring(L, dir.empty() ? "." : dir.c_str());
  lua_setfield(L, module, "recipe_dir");
  // The running voxclone binary, so a recipe can start another recipe or command as a child process.
  std::error_code ec;
  std::string exe = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  lua_pushstring(L, ec ? "voxclone" : exe.c_str());
  lua_setfield(L, module, "executable");

  for (const Library* lib : kLibraries) {
    if (lib->init != nullptr) {
      lib->init(L);
      lua_settop(L, module);
    }
    if (lib->functions == nullptr) continue;
    if (lib->field == nullptr) {
      luaL_setfuncs(L, lib->functions, 0);
    } else {
      if (lua_getfield(L, module, lib->field) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, module, lib->field);
      }
      luaL_setfuncs(L, lib->functions, 0);
      lua_pop(L, 1);
    }
  }
  return 1;
}

}  // namespace voxclone::lua
