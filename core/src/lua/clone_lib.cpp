// Cloning in recipes: vc.cloner{...} holds the three models; cloner:clone{...} speaks a text in a voice.
//
//   local cloner = vc.cloner { models = "models/default.toml" }        -- or encoder=/synthesizer=/vocoder= specs
//   local r = cloner:clone { voices = { "me.wav" }, text = "Hello.", out = "out/hello.wav", seed = 3 }
//   vc.log.info("%s: %.2f s, similarity %.3f", r.path, r.seconds, r.similarity)
#include <ATen/ATen.h>

#include <memory>

#include "lua_support.h"
#include "lua_tensor.h"
#include "voxclone/clone.h"

namespace voxclone::lua {

struct LuaCloner {
  std::unique_ptr<Cloner> cloner;
};

template <>
struct LuaClass<LuaCloner> {
  static constexpr const char* name = "voxclone.cloner";
};

namespace {

int new_cloner(lua_State* L) {
  OptionTable o(L, 1, "vc.cloner");
  std::string models = o.string("models", "");
  std::string encoder = o.string("encoder", ""), synthesizer = o.string("synthesizer", "");
  std::string vocoder = o.string("vocoder", "");
  bool cache = o.boolean("cache", true);
  o.finish();
  ModelsConfig m = choose_models(nullptr, models, encoder, synthesizer, vocoder);
  LuaCloner c{std::make_unique<Cloner>(m, cache ? EmbeddingCache::default_dir() : "")};
  push_object(L, std::move(c));
  return 1;
}

int cloner_clone(lua_State* L) {
  Cloner& cloner = *check_object<LuaCloner>(L, 1).cloner;
  OptionTable o(L, 2, "cloner:clone");
  CloneRequest req;
  if (o.push("voices") != LUA_TNIL) req.voices = check_string_list(L, lua_gettop(L), "voices");
  lua_pop(L, 1);
  req.text = o.string("text", "");
  req.delimiter = o.string("delimiter", "");
  req.seed = o.integer("seed", req.seed);
  req.candidates = int(o.integer("candidates", req.candidates));
  req.pause_seconds = o.number("pause", req.pause_seconds);
  req.loudness_lufs = o.number("loudness", req.loudness_lufs);
  req.peak_dbfs = o.number("peak", req.peak_dbfs);
  req.max_steps = int(o.integer("max_steps", req.max_steps));
  req.preprocess_voices = o.boolean("preprocess", req.preprocess_voices);
  std::string out = o.string("out", ""), alignment = o.string("alignment", "");
  o.finish();
  check_clone_request(req);
  CloneResult r = cloner.clone(req);
  if (!out.empty()) write_clone_wav(out, r);
  bool wrote_alignment = !alignment.empty() && write_clone_alignment(alignment, r);

  lua_createtable(L, 0, 10);
  if (!out.empty()) {
    lua_pushstring(L, out.c_str());
    lua_setfield(L, -2, "path");
  }
  if (wrote_alignment) {
    lua_pushstring(L, alignment.c_str());
    lua_setfield(L, -2, "alignment");
  }
  lua_pushnumber(L, r.wav.seconds());
  lua_setfield(L, -2, "seconds");
  lua_pushnumber(L, r.similarities[size_t(r.chosen)]);
  lua_setfield(L, -2, "similarity");
  lua_pushinteger(L, r.chosen + 1);  // Lua counts from 1
  lua_setfield(L, -2, "take");
  lua_pushinteger(L, r.seed);
  lua_setfield(L, -2, "seed");
  lua_pushinteger(L, lua_Integer(r.pieces.size()));
  lua_setfield(L, -2, "pieces");
  lua_pushnumber(L, r.loudness.result_lufs);
  lua_setfield(L, -2, "lufs");
  push_audio(L, std::move(r.wav));
  lua_setfield(L, -2, "audio");
  return 1;
}

// cloner:embed(voices) → the reference embedding (a 1-D tensor), from the cache when it has it.
int cloner_embed(lua_State* L) {
  Cloner& cloner = *check_object<LuaCloner>(L, 1).cloner;
  push_tensor(L, cloner.voice_embedding(check_string_list(L, 2, "voices")));
  return 1;
}

int cloner_properties(lua_State* L) {
  std::string key = luaL_checkstring(L, 2);
  if (key != "sample_rate") return 0;
  lua_pushinteger(L, check_object<LuaCloner>(L, 1).cloner->sample_rate());
  return 1;
}

int cloner_tostring(lua_State* L) {
  lua_pushfstring(L, "cloner(%d Hz)", check_object<LuaCloner>(L, 1).cloner->sample_rate());
  return 1;
}

const luaL_Reg kMethods[] = {{"clone", protect<cloner_clone>}, {"embed", protect<cloner_embed>}, {nullptr, nullptr}};
const luaL_Reg kMeta[] = {{"__tostring", protect<cloner_tostring>}, {nullptr, nullptr}};
const luaL_Reg kFunctions[] = {{"cloner", protect<new_cloner>}, {nullptr, nullptr}};

void init(lua_State* L) { define_class<LuaCloner>(L, kMethods, kMeta, protect<cloner_properties>); }

}  // namespace

extern const Library kCloneLibrary = {nullptr, kFunctions, &init};

}  // namespace voxclone::lua
