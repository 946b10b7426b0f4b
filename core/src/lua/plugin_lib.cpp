// Plugins in recipes: vc.encoder/synthesizer/vocoder/dataset/text create components through the Runtime
// (option tables become configuration overrides), the objects' methods, vc.plugins, vc.write_config.
#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "lua_tensor.h"
#include "voxclone/runtime.h"

namespace voxclone::lua {

/// A component created by a recipe, with the factory name it was created from.
template <class T>
struct Component {
  std::unique_ptr<T> object;
  std::string name;
};

template <>
struct LuaClass<Component<SpeakerEncoder>> {
  static constexpr const char* name = "voxclone.encoder";
};
template <>
struct LuaClass<Component<Synthesizer>> {
  static constexpr const char* name = "voxclone.synthesizer";
};
template <>
struct LuaClass<Component<Vocoder>> {
  static constexpr const char* name = "voxclone.vocoder";
};
template <>
struct LuaClass<Component<Dataset>> {
  static constexpr const char* name = "voxclone.dataset";
};
template <>
struct LuaClass<Component<TextFrontend>> {
  static constexpr const char* name = "voxclone.text";
};

namespace {

template <class T>
T& check_component(lua_State* L, int index) {
  return *check_object<Component<T>>(L, index).object;
}

// A Lua value as a configuration value: booleans, integers, floats, strings and lists of those.
ConfigValue to_config_value(lua_State* L, int index, const std::string& key) {
  switch (lua_type(L, index)) {
    case LUA_TBOOLEAN:
      return ConfigValue(bool(lua_toboolean(L, index)));
    case LUA_TNUMBER:
      if (lua_isinteger(L, index)) return ConfigValue(int64_t(lua_tointeger(L, index)));
      return ConfigValue(double(lua_tonumber(L, index)));
    case LUA_TSTRING:
      return ConfigValue(std::string(lua_tostring(L, index)));
    case LUA_TTABLE: {
      index = lua_absindex(L, index);
      lua_Integer n = luaL_len(L, index);
      lua_Integer entries = 0;
      lua_pushnil(L);
      while (lua_next(L, index) != 0) {
        lua_pop(L, 1);
        ++entries;
      }
      if (entries != n) throw UserError("option '" + key + "': a table value must be a list");
      ConfigValue::Array items;
      for (lua_Integer i = 1; i <= n; ++i) {
        lua_geti(L, index, i);
        items.push_back(to_config_value(L, -1, key + "[" + std::to_string(i) + "]"));
        lua_pop(L, 1);
      }
      return ConfigValue(std::move(items));
    }
    default:
      throw UserError("option '" + key + "': a " + std::string(luaL_typename(L, index)) +
                      " cannot be a configuration value");
  }
}

// An option table of vc.<kind>(name, opts) / vc.stage(name, opts): every key but `checkpoint` overrides one key
// of the configuration; Runtime::resolve_config refuses keys the component does not have.
void read_create_options(lua_State* L, int index, const std::string& what, std::string& checkpoint,
                         Overrides& overrides) {
  if (lua_isnoneornil(L, index)) return;
  luaL_checktype(L, index, LUA_TTABLE);
  std::vector<std::string> keys;
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) throw UserError(what + ": option names must be strings");
    keys.emplace_back(lua_tostring(L, -1));
  }
  std::sort(keys.begin(), keys.end());  // a stable order, whatever the table's hash order
  for (const auto& key : keys) {
    lua_getfield(L, index, key.c_str());
    if (key == "checkpoint") {
      if (lua_type(L, -1) != LUA_TSTRING) throw UserError("option 'checkpoint': expected a path string");
      checkpoint = lua_tostring(L, -1);
    } else {
      overrides.emplace_back(key, to_config_value(L, -1, key));
    }
    lua_pop(L, 1);
  }
}

// vc.<kind>(name[, {checkpoint=..., key=value, ...}])
template <class T>
int create(lua_State* L) {
  std::string name = luaL_checkstring(L, 1);
  std::string checkpoint;
  Overrides overrides;
  read_create_options(L, 2, std::string(kind_name(KindOf<T>::value)) + " " + name, checkpoint, overrides);
  auto object = Runtime::instance().create<T>(name, checkpoint, overrides);
  if (!object)
    throw InternalError(std::string(kind_name(KindOf<T>::value)) + " " + name + ": factory returned nothing");
  push_object<Component<T>>(L, Component<T>{std::move(object), name});
  return 1;
}

void push_config_value(lua_State* L, const ConfigValue& v) {
  if (auto b = std::get_if<bool>(&v.v))
    lua_pushboolean(L, *b);
  else if (auto i = std::get_if<int64_t>(&v.v))
    lua_pushinteger(L, lua_Integer(*i));
  else if (auto d = std::get_if<double>(&v.v))
    lua_pushnumber(L, *d);
  else if (auto s = std::get_if<std::string>(&v.v))
    lua_pushlstring(L, s->data(), s->size());
  else {
    const auto& a = std::get<ConfigValue::Array>(v.v);
    lua_createtable(L, int(a.size()), 0);
    for (size_t k = 0; k < a.size(); ++k) {
      push_config_value(L, a[k]);
      lua_rawseti(L, -2, lua_Integer(k + 1));
    }
  }
}

// vc.stage(name[, {checkpoint=..., key=value, ...}]) → table: creates the stage with those options and runs it.
int run_stage(lua_State* L) {
  std::string name = luaL_checkstring(L, 1);
  std::string checkpoint;
  Overrides overrides;
  read_create_options(L, 2, "stage " + name, checkpoint, overrides);
  auto stage = Runtime::instance().create<Stage>(name, checkpoint, overrides);
  if (!stage) throw InternalError("stage " + name + ": factory returned nothing");
  Config result = stage->run();
  lua_createtable(L, 0, int(result.keys().size()));
  for (const auto& key : result.keys()) {
    push_config_value(L, result.get(key));
    lua_setfield(L, -2, key.c_str());
  }
  return 1;
}

// vc.stage_config(name[, opts]) → table: the configuration vc.stage would create the stage with (defaults,
// --config, these options, --set) without running it. Names and types are checked as vc.stage checks them, so
// a recipe's dry run refuses what a real run would refuse at its start. `checkpoint` is left out.
int stage_config(lua_State* L) {
  std::string name = luaL_checkstring(L, 1);
  std::string checkpoint;
  Overrides overrides;
  read_create_options(L, 2, "stage " + name, checkpoint, overrides);
  Config config = Runtime::instance().resolve_config(Kind::Stage, name, overrides);
  lua_createtable(L, 0, int(config.keys().size()));
  for (const auto& key : config.keys()) {
    push_config_value(L, config.get(key));
    lua_setfield(L, -2, key.c_str());
  }
  return 1;
}

template <class T>
int component_tostring(lua_State* L) {
  const auto& c = check_object<Component<T>>(L, 1);
  lua_pushfstring(L, "%s(%s)", kind_name(KindOf<T>::value), c.name.c_str());
  return 1;
}

// Fields every component has: name, kind.
template <class T>
bool push_common_property(lua_State* L, const std::string& key) {
  if (key == "name")
    lua_pushstring(L, check_object<Component<T>>(L, 1).name.c_str());
  else if (key == "kind")
    lua_pushstring(L, kind_name(KindOf<T>::value));
  else
    return false;
  return true;
}

// ---- vocoder -------------------------------------------------------------------------------------

int vocoder_vocode(lua_State* L) {
  const auto& component = check_object<Component<Vocoder>>(L, 1);
  Vocoder& voc = *component.object;
  const LuaTensor& mel = check_tensor(L, 2);
  OptionTable opts(L, 3, "vocode");
  VocodeOptions o;
  o.seed = opts.integer("seed", -1);
  opts.finish();
  if (mel.tensor.dim() != 2)
    throw UserError("vocode: expected a mel of shape [num_mels, frames], got a " +
                    std::to_string(mel.tensor.dim()) + "-D tensor");
  // A mel from a synthesizer or vc.mel carries its settings: refuse a vocoder trained on other mels.
  if (mel.mel) check_mel_compatible(*mel.mel, voc.expected_mel(), "this mel", "vocoder " + component.name);
  Mel m;
  m.data = mel.tensor.to(at::kFloat);
  m.settings = mel.mel.value_or(MelSettings{});
  push_audio(L, voc.vocode(m, o));
  return 1;
}

int vocoder_properties(lua_State* L) {
  std::string key = lua_tostring(L, 2);
  if (push_common_property<Vocoder>(L, key)) return 1;
  if (key != "sample_rate") return 0;
  lua_pushinteger(L, check_component<Vocoder>(L, 1).sample_rate());
  return 1;
}

// ---- encoder -------------------------------------------------------------------------------------

int encoder_embed(lua_State* L) {
  SpeakerEncoder& enc = check_component<SpeakerEncoder>(L, 1);
  const Waveform& wav = check_audio(L, 2);
  OptionTable opts(L, 3, "embed");
  bool preprocess = opts.boolean("preprocess", true);
  opts.finish();
  push_tensor(L, enc.embed(wav, preprocess));
  return 1;
}

int encoder_properties(lua_State* L) {
  std::string key = lua_tostring(L, 2);
  if (push_common_property<SpeakerEncoder>(L, key)) return 1;
  SpeakerEncoder& enc = check_component<SpeakerEncoder>(L, 1);
  if (key == "sample_rate")
    lua_pushinteger(L, enc.sample_rate());
  else if (key == "embedding_size")
    lua_pushinteger(L, enc.embedding_size());
  else
    return 0;
  return 1;
}

// ---- synthesizer ---------------------------------------------------------------------------------

int synthesizer_synthesize(lua_State* L) {
  Synthesizer& syn = check_component<Synthesizer>(L, 1);
  std::vector<std::string> texts = check_string_list(L, 2, "synthesize: texts");
  at::Tensor embeds = check_tensor(L, 3).tensor;
  OptionTable opts(L, 4, "synthesize");
  SynthesisOptions o;
  o.max_steps = int(opts.integer("max_steps", o.max_steps));
  o.seed = opts.integer("seed", o.seed);
  opts.finish();
  if (texts.empty()) throw UserError("synthesize: no texts given");
  if (embeds.dim() == 1) embeds = embeds.unsqueeze(0).expand({int64_t(texts.size()), embeds.size(0)});
  if (embeds.dim() != 2 || embeds.size(0) != int64_t(texts.size()))
    throw UserError("synthesize: expected embeddings of shape [" + std::to_string(texts.size()) +
                    ", D] (one per text) or [D], got " + std::to_string(embeds.dim()) + "-D with " +
                    std::to_string(embeds.dim() ? embeds.size(0) : 0) + " rows");
  auto results = syn.synthesize(texts, embeds.to(at::kFloat).contiguous(), o);
  lua_createtable(L, int(results.size()), 0);
  for (size_t i = 0; i < results.size(); ++i) {
    lua_createtable(L, 0, 2);
    push_tensor(L, results[i].mel.data, results[i].mel.settings);
    lua_setfield(L, -2, "mel");
    if (results[i].alignment.defined()) {
      push_tensor(L, results[i].alignment);
      lua_setfield(L, -2, "alignment");
    }
    lua_rawseti(L, -2, lua_Integer(i + 1));
  }
  return 1;
}

int synthesizer_properties(lua_State* L) {
  std::string key = lua_tostring(L, 2);
  if (push_common_property<Synthesizer>(L, key)) return 1;
  if (key != "sample_rate") return 0;
  lua_pushinteger(L, check_component<Synthesizer>(L, 1).mel_settings().sample_rate);
  return 1;
}

// ---- text ----------------------------------------------------------------------------------------

int text_normalize(lua_State* L) {
  std::string s = check_component<TextFrontend>(L, 1).normalize(luaL_checkstring(L, 2));
  lua_pushlstring(L, s.data(), s.size());
  return 1;
}

int text_ids(lua_State* L) {
  std::vector<int64_t> ids = check_component<TextFrontend>(L, 1).to_ids(luaL_checkstring(L, 2));
  lua_createtable(L, int(ids.size()), 0);
  for (size_t i = 0; i < ids.size(); ++i) {
    lua_pushinteger(L, ids[i]);
    lua_rawseti(L, -2, lua_Integer(i + 1));
  }
  return 1;
}

int text_symbols(lua_State* L) {
  std::vector<std::string> symbols = check_component<TextFrontend>(L, 1).symbols();
  lua_createtable(L, int(symbols.size()), 0);
  for (size_t i = 0; i < symbols.size(); ++i) {
    lua_pushlstring(L, symbols[i].data(), symbols[i].size());
    lua_rawseti(L, -2, lua_Integer(i + 1));
  }
  return 1;
}

int text_properties(lua_State* L) {
  return push_common_property<TextFrontend>(L, lua_tostring(L, 2)) ? 1 : 0;
}

// ---- dataset -------------------------------------------------------------------------------------

void set_string(lua_State* L, const char* key, const std::string& value) {
  lua_pushlstring(L, value.data(), value.size());
  lua_setfield(L, -2, key);
}

void set_number(lua_State* L, const char* key, double value) {
  lua_pushnumber(L, value);
  lua_setfield(L, -2, key);
}

void push_utterance(lua_State* L, const Utterance& u) {
  lua_createtable(L, 0, 12);
  set_string(L, "id", u.id);
  set_string(L, "speaker", u.speaker);
  set_string(L, "subset", u.subset);
  set_string(L, "audio", u.audio);
  set_string(L, "text", u.text);
  set_string(L, "language", u.language);
  lua_pushinteger(L, u.sample_rate);
  lua_setfield(L, -2, "sample_rate");
  set_number(L, "seconds", u.seconds);
  set_number(L, "start", u.start);
  set_number(L, "end", u.end);
  lua_createtable(L, int(u.alignment.size()), 0);
  for (size_t i = 0; i < u.alignment.size(); ++i) {
    lua_createtable(L, 0, 3);
    set_string(L, "word", u.alignment[i].word);
    set_number(L, "start", u.alignment[i].start);
    set_number(L, "end", u.alignment[i].end);
    lua_rawseti(L, -2, lua_Integer(i + 1));
  }
  lua_setfield(L, -2, "alignment");
}

int dataset_list(lua_State* L) {
  Dataset& ds = check_component<Dataset>(L, 1);
  std::string root = luaL_checkstring(L, 2);
  std::vector<std::string> subsets;
  if (!lua_isnoneornil(L, 3)) subsets = check_string_list(L, 3, "dataset:list: subsets");
  DatasetListing listing = ds.list(root, subsets);
  lua_createtable(L, 0, 2);
  lua_createtable(L, int(listing.utterances.size()), 0);
  for (size_t i = 0; i < listing.utterances.size(); ++i) {
    push_utterance(L, listing.utterances[i]);
    lua_rawseti(L, -2, lua_Integer(i + 1));
  }
  lua_setfield(L, -2, "utterances");
  lua_createtable(L, int(listing.problems.size()), 0);
  for (size_t i = 0; i < listing.problems.size(); ++i) {
    lua_createtable(L, 0, 3);
    set_string(L, "file", listing.problems[i].file);
    lua_pushinteger(L, listing.problems[i].line);
    lua_setfield(L, -2, "line");
    set_string(L, "message", listing.problems[i].message);
    lua_rawseti(L, -2, lua_Integer(i + 1));
  }
  lua_setfield(L, -2, "problems");
  return 1;
}

int dataset_properties(lua_State* L) { return push_common_property<Dataset>(L, lua_tostring(L, 2)) ? 1 : 0; }

// ---- module functions ----------------------------------------------------------------------------

int vc_plugins(lua_State* L) {
  auto list = Runtime::instance().registry().list();
  lua_createtable(L, int(list.size()), 0);
  for (size_t i = 0; i < list.size(); ++i) {
    const FactoryInfo& f = list[i];
    lua_createtable(L, 0, 6);
    set_string(L, "kind", kind_name(f.kind));
    set_string(L, "name", f.name);
    set_string(L, "plugin", f.plugin);
    set_string(L, "version", f.plugin_version);
    set_string(L, "file", f.file);
    set_string(L, "summary", f.summary);
    lua_rawseti(L, -2, lua_Integer(i + 1));
  }
  return 1;
}

int vc_write_config(lua_State* L) {
  std::string path = luaL_checkstring(L, 1);
  write_effective_config(path, Runtime::instance().used_configs());
  lua_pushstring(L, path.c_str());
  return 1;
}

int vc_device(lua_State* L) {
  std::string d = Runtime::instance().device().str();
  lua_pushlstring(L, d.data(), d.size());
  return 1;
}

template <class T>
void define_component(lua_State* L, const luaL_Reg* methods, lua_CFunction properties) {
  const luaL_Reg meta[] = {{"__tostring", protect<component_tostring<T>>}, {nullptr, nullptr}};
  define_class<Component<T>>(L, methods, meta, properties);
}

const luaL_Reg kVocoderMethods[] = {{"vocode", protect<vocoder_vocode>}, {nullptr, nullptr}};
const luaL_Reg kEncoderMethods[] = {{"embed", protect<encoder_embed>}, {nullptr, nullptr}};
const luaL_Reg kSynthesizerMethods[] = {{"synthesize", protect<synthesizer_synthesize>}, {nullptr, nullptr}};
const luaL_Reg kTextMethods[] = {{"normalize", protect<text_normalize>},
                                 {"ids", protect<text_ids>},
                                 {"symbols", protect<text_symbols>},
                                 {nullptr, nullptr}};
const luaL_Reg kDatasetMethods[] = {{"list", protect<dataset_list>}, {nullptr, nullptr}};

void init(lua_State* L) {
  define_component<Vocoder>(L, kVocoderMethods, protect<vocoder_properties>);
  define_component<SpeakerEncoder>(L, kEncoderMethods, protect<encoder_properties>);
  define_component<Synthesizer>(L, kSynthesizerMethods, protect<synthesizer_properties>);
  define_component<TextFrontend>(L, kTextMethods, protect<text_properties>);
  define_component<Dataset>(L, kDatasetMethods, protect<dataset_properties>);
}

const luaL_Reg kFunctions[] = {
    {"encoder", protect<create<SpeakerEncoder>>},
    {"synthesizer", protect<create<Synthesizer>>},
    {"vocoder", protect<create<Vocoder>>},
    {"dataset", protect<create<Dataset>>},
    {"text", protect<create<TextFrontend>>},
    {"stage", protect<run_stage>},
    {"stage_config", protect<stage_config>},
    {"plugins", protect<vc_plugins>},
    {"write_config", protect<vc_write_config>},
    {"device", protect<vc_device>},
    {nullptr, nullptr},
};

}  // namespace

extern const Library kPluginLibrary = {nullptr, kFunctions, init};

}  // namespace voxclone::lua
