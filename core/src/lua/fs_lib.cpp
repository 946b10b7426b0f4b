// vc.fs: the file helpers recipes need (paths, listing with a glob, atomic text writes).
#include <fnmatch.h>

#include <algorithm>
#include <filesystem>

#include "lua_support.h"
#include "voxclone/files.h"

namespace fs = std::filesystem;

namespace voxclone::lua {

namespace {

std::string check_path(lua_State* L, int index) {
  size_t n = 0;
  const char* s = luaL_checklstring(L, index, &n);
  return std::string(s, n);
}

int push_string(lua_State* L, const std::string& s) {
  lua_pushlstring(L, s.data(), s.size());
  return 1;
}

int fs_exists(lua_State* L) {
  std::error_code ec;
  lua_pushboolean(L, fs::exists(check_path(L, 1), ec));
  return 1;
}

int fs_isdir(lua_State* L) {
  std::error_code ec;
  lua_pushboolean(L, fs::is_directory(check_path(L, 1), ec));
  return 1;
}

int fs_mkdir(lua_State* L) {
  std::string p = check_path(L, 1);
  std::error_code ec;
  fs::create_directories(p, ec);
  if (ec || !fs::is_directory(p)) {
    std::string why = ec ? ec.message() : "a file is in the way";
    throw UserError("cannot create directory '" + p + "': " + why);
  }
  return push_string(L, p);
}

int fs_list(lua_State* L) {
  std::string dir = check_path(L, 1);
  const char* pattern = luaL_optstring(L, 2, nullptr);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw UserError("cannot list '" + dir + "': not a directory");
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (pattern == nullptr || fnmatch(pattern, name.c_str(), FNM_PERIOD) == 0) names.push_back(name);
  }
  if (ec) throw UserError("cannot list '" + dir + "': " + ec.message());
  std::sort(names.begin(), names.end());
  lua_createtable(L, int(names.size()), 0);
  for (size_t i = 0; i < names.size(); ++i) {
    push_string(L, names[i]);
    lua_rawseti(L, -2, lua_Integer(i + 1));
  }
  return 1;
}

int fs_join(lua_State* L) {
  int n = lua_gettop(L);
  if (n == 0) return luaL_error(L, "fs.join needs at least one path");
  fs::path p = check_path(L, 1);
  for (int i = 2; i <= n; ++i) p /= check_path(L, i);
  return push_string(L, p.string());
}

int fs_basename(lua_State* L) { return push_string(L, fs::path(check_path(L, 1)).filename().string()); }
int fs_dirname(lua_State* L) { return push_string(L, fs::path(check_path(L, 1)).parent_path().string()); }
int fs_stem(lua_State* L) { return push_string(L, fs::path(check_path(L, 1)).stem().string()); }

int fs_read_text(lua_State* L) { return push_string(L, read_file(check_path(L, 1))); }

// Atomic (temporary file + rename, core's write_file_atomic): readers never see half a file.
int fs_write_text(lua_State* L) {
  std::string p = check_path(L, 1);
  size_t n = 0;
  const char* text = luaL_checklstring(L, 2, &n);
  write_file_atomic(p, std::string(text, n));
  return push_string(L, p);
}

// A file or an empty directory; returns whether something was removed.
int fs_absolute(lua_State* L) {
  return push_string(L, std::filesystem::absolute(check_path(L, 1)).lexically_normal().string());
}

// Copies a file atomically (a checkpoint published while another process may be reading the old one).
int fs_copy(lua_State* L) {
  std::string from = check_path(L, 1), to = check_path(L, 2);
  AtomicFile out(to);
  std::error_code ec;
  std::filesystem::copy_file(from, out.temp_path(), std::filesystem::copy_options::overwrite_existing, ec);
  if (ec) throw UserError("cannot copy " + from + " to " + to + ": " + ec.message());
  out.commit();
  return push_string(L, to);
}

int fs_remove(lua_State* L) {
  std::string p = check_path(L, 1);
  std::error_code ec;
  bool removed = fs::remove(p, ec);
  if (ec) throw UserError("cannot remove '" + p + "': " + ec.message());
  lua_pushboolean(L, removed);
  return 1;
}

const luaL_Reg kFunctions[] = {
    {"exists", protect<fs_exists>},       {"isdir", protect<fs_isdir>},
    {"mkdir", protect<fs_mkdir>},         {"list", protect<fs_list>},
    {"join", protect<fs_join>},           {"basename", protect<fs_basename>},
    {"dirname", protect<fs_dirname>},     {"stem", protect<fs_stem>},
    {"read_text", protect<fs_read_text>}, {"write_text", protect<fs_write_text>},
    {"remove", protect<fs_remove>},       {"copy", protect<fs_copy>},
    {"absolute", protect<fs_absolute>},
    {nullptr, nullptr},
};

}  // namespace

extern const Library kFsLibrary = {"fs", kFunctions, nullptr};

}  // namespace voxclone::lua
