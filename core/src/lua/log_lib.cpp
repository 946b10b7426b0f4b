// vc.log (string.format-style messages into spdlog) and vc.progress (voxclone::Progress for recipes).
#include <memory>

#include "lua_support.h"
#include "voxclone/log.h"

namespace voxclone::lua {

namespace {

// With arguments, the message is string.format(fmt, ...); alone it is printed as it is (a '%' in a
// plain message needs no escaping).
std::string format_message(lua_State* L) {
  int n = lua_gettop(L);
  if (n <= 1) {
    size_t len = 0;
    const char* s = luaL_tolstring(L, 1, &len);
    return std::string(s, len);
  }
  luaL_checkstring(L, 1);
  lua_pushvalue(L, lua_upvalueindex(1));  // string.format
  lua_insert(L, 1);
  lua_call(L, n, 1);
  size_t len = 0;
  const char* s = lua_tolstring(L, -1, &len);
  return std::string(s, len);
}

template <spdlog::level::level_enum Level>
int log_at(lua_State* L) {
  std::string msg = format_message(L);
  spdlog::log(Level, "{}", msg);
  return 0;
}

// The formatting needs string.format as an upvalue, so these are added by init rather than by the table.
const luaL_Reg kLogFunctions[] = {
    {"trace", protect<log_at<spdlog::level::trace>>}, {"debug", protect<log_at<spdlog::level::debug>>},
    {"info", protect<log_at<spdlog::level::info>>},   {"warn", protect<log_at<spdlog::level::warn>>},
    {"error", protect<log_at<spdlog::level::err>>},   {nullptr, nullptr},
};

using ProgressPtr = std::unique_ptr<Progress>;

}  // namespace

template <>
struct LuaClass<ProgressPtr> {
  static constexpr const char* name = "voxclone.progress";
};

namespace {

Progress& check_progress(lua_State* L) {
  auto& p = check_object<ProgressPtr>(L, 1);
  if (!p) luaL_error(L, "progress bar used after finish()");
  return *p;
}

int progress_new(lua_State* L) {
  std::string label = luaL_checkstring(L, 1);
  lua_Integer total = luaL_optinteger(L, 2, 0);
  std::string unit = luaL_optstring(L, 3, "it");
  if (total < 0) return luaL_argerror(L, 2, "total must be >= 0");
  push_object<ProgressPtr>(L, std::make_unique<Progress>(label, int64_t(total), unit));
  return 1;
}

int progress_advance(lua_State* L) {
  Progress& p = check_progress(L);
  p.advance(int64_t(luaL_optinteger(L, 2, 1)));
  lua_settop(L, 1);
  return 1;
}

int progress_postfix(lua_State* L) {
  Progress& p = check_progress(L);
  p.set_postfix(luaL_checkstring(L, 2));
  lua_settop(L, 1);
  return 1;
}

// Finishing twice is harmless (a to-be-closed variable after an explicit finish()).
int progress_finish(lua_State* L) {
  auto& p = check_object<ProgressPtr>(L, 1);
  if (p) {
    p->finish();
    p.reset();
  }
  return 0;
}

const luaL_Reg kProgressMethods[] = {
    {"advance", protect<progress_advance>},
    {"postfix", protect<progress_postfix>},
    {"finish", protect<progress_finish>},
    {nullptr, nullptr},
};
const luaL_Reg kProgressMeta[] = {{"__close", protect<progress_finish>}, {nullptr, nullptr}};

void init(lua_State* L) {
  define_class<ProgressPtr>(L, kProgressMethods, kProgressMeta, nullptr);
  lua_newtable(L);
  lua_getglobal(L, "string");
  lua_getfield(L, -1, "format");
  lua_remove(L, -2);
  luaL_setfuncs(L, kLogFunctions, 1);
  lua_setfield(L, -2, "log");
}

const luaL_Reg kFunctions[] = {{"progress", protect<progress_new>}, {nullptr, nullptr}};

}  // namespace

extern const Library kLogLibrary = {nullptr, kFunctions, init};

}  // namespace voxclone::lua
