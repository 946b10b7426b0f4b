// Audio in recipes: vc.load_audio, vc.audio, and the audio object (rate, seconds, #, resample, save, …).
#include <cmath>
#include <map>

#include "lua_support.h"

namespace voxclone::lua {

namespace {

// Above this many samples :samples() refuses: a Lua table of numbers costs ~16 bytes a sample.
constexpr size_t kMaxTableSamples = size_t(1) << 22;

int check_rate(lua_State* L, int index) {
  lua_Integer rate = luaL_checkinteger(L, index);
  if (rate <= 0 || rate > 1000000)
    throw UserError("sample rate " + std::to_string(rate) + " is out of range");
  return int(rate);
}

int load_audio(lua_State* L) {
  std::string path = luaL_checkstring(L, 1);
  Waveform wav = lua_isnoneornil(L, 2) ? read_audio(path) : read_audio(path, check_rate(L, 2));
  push_audio(L, std::move(wav));
  return 1;
}

// vc.audio(samples, rate): an audio object from a list of numbers (tests, generated signals).
int make_audio(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  Waveform wav;
  wav.sample_rate = check_rate(L, 2);
  lua_Integer n = luaL_len(L, 1);
  wav.samples.reserve(size_t(n));
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_geti(L, 1, i);
    int ok = 0;
    lua_Number v = lua_tonumberx(L, -1, &ok);
    lua_pop(L, 1);
    if (!ok || !std::isfinite(v))
      throw UserError("vc.audio: sample " + std::to_string(i) + " is not a finite number");
    wav.samples.push_back(float(v));
  }
  push_audio(L, std::move(wav));
  return 1;
}

int audio_resample(lua_State* L) {
  const Waveform& wav = check_audio(L, 1);
  push_audio(L, resample(wav, check_rate(L, 2)));
  return 1;
}

int audio_save(lua_State* L) {
  const Waveform& wav = check_audio(L, 1);
  std::string path = luaL_checkstring(L, 2);
  OptionTable opts(L, 3, "audio:save");
  std::string format = opts.string("format", "pcm16");
  SampleFormat sf;
  if (format == "pcm16")
    sf = SampleFormat::Pcm16;
  else if (format == "float")
    sf = SampleFormat::Float32;
  else
    throw UserError("audio:save: format '" + format + "' is not one of pcm16, float");
  std::map<std::string, std::string> metadata;
  if (opts.push("metadata") != LUA_TNIL) {
    if (!lua_istable(L, -1)) throw UserError("audio:save: option 'metadata' must be a table of strings");
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      if (lua_type(L, -2) != LUA_TSTRING || !lua_isstring(L, -1))
        throw UserError("audio:save: option 'metadata' must map names to strings");
      metadata[lua_tostring(L, -2)] = lua_tostring(L, -1);  // numbers become text
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  opts.finish();
  write_wav(path, wav, sf, metadata);
  return 0;
}

int audio_samples(lua_State* L) {
  const Waveform& wav = check_audio(L, 1);
  if (wav.samples.size() > kMaxTableSamples)
    throw UserError("audio:samples(): " + std::to_string(wav.samples.size()) +
                    " samples is too many for a Lua table (at most " + std::to_string(kMaxTableSamples) +
                    ")");
  lua_createtable(L, int(wav.samples.size()), 0);
  for (size_t i = 0; i < wav.samples.size(); ++i) {
    lua_pushnumber(L, wav.samples[i]);
    lua_rawseti(L, -2, lua_Integer(i + 1));
  }
  return 1;
}

// RTVC's encoder preprocessing: 16 kHz, -30 dBFS (increase only), long silences trimmed.
int audio_preprocess_encoder(lua_State* L) {
  const Waveform& wav = check_audio(L, 1);
  OptionTable opts(L, 2, "audio:preprocess_encoder");
  double dbfs = opts.number("target_dbfs", -30.0);
  bool normalize = opts.boolean("normalize", true);
  bool trim = opts.boolean("trim_silence", true);
  opts.finish();
  push_audio(L, preprocess_for_encoder(wav, dbfs, normalize, trim));
  return 1;
}

int audio_properties(lua_State* L) {
  const Waveform& wav = check_audio(L, 1);
  std::string key = lua_tostring(L, 2);
  if (key == "rate")
    lua_pushinteger(L, wav.sample_rate);
  else if (key == "seconds")
    lua_pushnumber(L, wav.seconds());
  else if (key == "length")
    lua_pushinteger(L, lua_Integer(wav.samples.size()));
  else
    return 0;
  return 1;
}

int audio_len(lua_State* L) {
  lua_pushinteger(L, lua_Integer(check_audio(L, 1).samples.size()));
  return 1;
}

int audio_tostring(lua_State* L) {
  const Waveform& wav = check_audio(L, 1);
  lua_pushfstring(L, "audio(%d Hz, %d samples, %f s)", wav.sample_rate, int(wav.samples.size()),
                  wav.seconds());
  return 1;
}

const luaL_Reg kMethods[] = {
    {"resample", protect<audio_resample>},
    {"save", protect<audio_save>},
    {"samples", protect<audio_samples>},
    {"preprocess_encoder", protect<audio_preprocess_encoder>},
    {nullptr, nullptr},
};
const luaL_Reg kMeta[] = {
    {"__len", protect<audio_len>}, {"__tostring", protect<audio_tostring>}, {nullptr, nullptr}};

void init(lua_State* L) { define_class<Waveform>(L, kMethods, kMeta, protect<audio_properties>); }

const luaL_Reg kFunctions[] = {
    {"load_audio", protect<load_audio>},
    {"audio", protect<make_audio>},
    {nullptr, nullptr},
};

}  // namespace

extern const Library kAudioLibrary = {nullptr, kFunctions, init};

}  // namespace voxclone::lua
