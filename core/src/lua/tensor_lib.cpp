// Tensors in recipes: shape/dtype queries, .npy I/O, small tensors to and from Lua tables, and vc.mel.
#include <ATen/ATen.h>

#include <cctype>
#include <sstream>

#include "lua_tensor.h"
#include "voxclone/dsp.h"
#include "voxclone/dtype.h"
#include "voxclone/npy.h"

namespace voxclone::lua {

namespace {

constexpr int64_t kMaxListElements = 1 << 20;

at::ScalarType dtype_from_name(const std::string& name) {
  for (at::ScalarType t : {at::kFloat, at::kDouble, at::kLong, at::kInt, at::kShort, at::kByte, at::kBool})
    if (dtype_name(t) == name) return t;
  throw UserError("unknown dtype '" + name + "' (known: float32, float64, int64, int32, int16, uint8, bool)");
}

int tensor_shape(lua_State* L) {
  const at::Tensor& t = check_tensor(L, 1).tensor;
  lua_createtable(L, int(t.dim()), 0);
  for (int64_t i = 0; i < t.dim(); ++i) {
    lua_pushinteger(L, t.size(i));
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

int tensor_dim(lua_State* L) {
  lua_pushinteger(L, check_tensor(L, 1).tensor.dim());
  return 1;
}

// size(i): 1-based like everything in Lua; negative counts from the end (-1: last dimension).
int tensor_size(lua_State* L) {
  const at::Tensor& t = check_tensor(L, 1).tensor;
  lua_Integer i = luaL_checkinteger(L, 2);
  int64_t d = t.dim();
  int64_t k = i > 0 ? i - 1 : d + i;
  if (i == 0 || k < 0 || k >= d)
    return luaL_argerror(L, 2,
                         lua_pushfstring(L, "dimension %d out of range for a %d-D tensor", int(i), int(d)));
  lua_pushinteger(L, t.size(k));
  return 1;
}

int tensor_numel(lua_State* L) {
  lua_pushinteger(L, check_tensor(L, 1).tensor.numel());
  return 1;
}

int tensor_dtype(lua_State* L) {
  std::string s = dtype_name(check_tensor(L, 1).tensor.scalar_type());
  lua_pushstring(L, s.c_str());
  return 1;
}

int tensor_save_npy(lua_State* L) {
  const at::Tensor& t = check_tensor(L, 1).tensor;
  std::string path = luaL_checkstring(L, 2);
  write_npy(path, t.device().is_cpu() ? t : t.cpu());
  return 0;
}

void push_element(lua_State* L, const at::Tensor& t, int64_t i, bool floating, bool boolean) {
  if (boolean)
    lua_pushboolean(L, t.data_ptr<bool>()[i]);
  else if (floating)
    lua_pushnumber(L, t.data_ptr<double>()[i]);
  else
    lua_pushinteger(L, t.data_ptr<int64_t>()[i]);
}

int tensor_tolist(lua_State* L) {
  const at::Tensor& src = check_tensor(L, 1).tensor;
  if (src.dim() > 2)
    throw UserError("tensor:tolist(): only for 0-, 1- and 2-D tensors (this one is " +
                    std::to_string(src.dim()) + "-D)");
  if (src.numel() > kMaxListElements)
    throw UserError("tensor:tolist(): " + std::to_string(src.numel()) +
                    " elements is too many for a Lua table");
  bool boolean = src.scalar_type() == at::kBool;
  bool floating = at::isFloatingType(src.scalar_type());
  at::Tensor t = src.to(at::kCPU, boolean ? at::kBool : floating ? at::kDouble : at::kLong).contiguous();
  if (t.dim() == 0) {
    push_element(L, t, 0, floating, boolean);
    return 1;
  }
  int64_t rows = t.size(0);
  lua_createtable(L, int(rows), 0);
  if (t.dim() == 1) {
    for (int64_t i = 0; i < rows; ++i) {
      push_element(L, t, i, floating, boolean);
      lua_rawseti(L, -2, i + 1);
    }
    return 1;
  }
  int64_t cols = t.size(1);
  for (int64_t r = 0; r < rows; ++r) {
    lua_createtable(L, int(cols), 0);
    for (int64_t c = 0; c < cols; ++c) {
      push_element(L, t, r * cols + c, floating, boolean);
      lua_rawseti(L, -2, c + 1);
    }
    lua_rawseti(L, -2, r + 1);
  }
  return 1;
}

int tensor_tostring(lua_State* L) {
  const at::Tensor& t = check_tensor(L, 1).tensor;
  std::ostringstream s;
  s << "tensor(" << dtype_name(t.scalar_type()) << ", [";
  for (int64_t i = 0; i < t.dim(); ++i) s << (i ? ", " : "") << t.size(i);
  s << "]";
  if (!t.device().is_cpu()) s << ", " << t.device().str();
  s << ")";
  lua_pushstring(L, s.str().c_str());
  return 1;
}

int tensor_len(lua_State* L) {
  const at::Tensor& t = check_tensor(L, 1).tensor;
  lua_pushinteger(L, t.dim() == 0 ? 0 : t.size(0));
  return 1;
}

int load_npy(lua_State* L) {
  push_tensor(L, read_npy(luaL_checkstring(L, 1)));
  return 1;
}

// vc.tensor(values[, dtype]): a 1-D list or a 2-D list of equal-length rows.
int make_tensor(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  at::ScalarType dtype = dtype_from_name(luaL_optstring(L, 2, "float32"));
  std::vector<double> values;
  int64_t rows = luaL_len(L, 1), cols = -1;
  auto read_number = [&](int64_t r, int64_t c) {
    int ok = 0;
    double v = lua_tonumberx(L, -1, &ok);
    if (!ok && lua_isboolean(L, -1)) v = lua_toboolean(L, -1), ok = 1;
    if (!ok)
      throw UserError("vc.tensor: element " + std::to_string(r) + (c > 0 ? "," + std::to_string(c) : "") +
                      " is a " + luaL_typename(L, -1) + ", expected a number");
    values.push_back(v);
  };
  for (int64_t r = 1; r <= rows; ++r) {
    lua_geti(L, 1, r);
    if (lua_istable(L, -1)) {
      int64_t n = luaL_len(L, -1);
      if (cols < 0 && r == 1) cols = n;
      if (cols != n)
        throw UserError("vc.tensor: rows have different lengths (" + std::to_string(cols) + " and " +
                        std::to_string(n) + ")");
      for (int64_t c = 1; c <= n; ++c) {
        lua_geti(L, -1, c);
        read_number(r, c);
        lua_pop(L, 1);
      }
    } else {
      if (cols >= 0) throw UserError("vc.tensor: mixes rows and numbers");
      read_number(r, 0);
    }
    lua_pop(L, 1);
  }
  at::Tensor t = at::from_blob(values.data(), {int64_t(values.size())}, at::kDouble).clone();
  if (cols >= 0) t = t.reshape({rows, cols});
  push_tensor(L, t.to(dtype));
  return 1;
}

// vc.mel(audio, {type="synthesizer"|"encoder"}): RTVC's mels. The synthesizer mel is 80 × frames with the
// default settings (16 kHz audio); the encoder mel is frames × 40.
int make_mel(lua_State* L) {
  const Waveform& wav = check_audio(L, 1);
  OptionTable opts(L, 2, "vc.mel");
  std::string type = opts.string("type", "synthesizer");
  opts.finish();
  if (type == "synthesizer") {
    MelSettings s;
    if (wav.sample_rate != s.sample_rate)
      throw UserError("vc.mel: the synthesizer mel needs " + std::to_string(s.sample_rate) +
                      " Hz audio, got " + std::to_string(wav.sample_rate) + " Hz (use audio:resample first)");
    push_tensor(L, synthesizer_mel(wav.samples, s), s);
  } else if (type == "encoder") {
    if (wav.sample_rate != 16000)
      throw UserError("vc.mel: the encoder mel needs 16000 Hz audio, got " + std::to_string(wav.sample_rate) +
                      " Hz (use audio:resample or audio:preprocess_encoder first)");
    push_tensor(L, encoder_mel(wav.samples, wav.sample_rate));
  } else {
    throw UserError("vc.mel: type '" + type + "' is not one of synthesizer, encoder");
  }
  return 1;
}

const luaL_Reg kMethods[] = {
    {"shape", protect<tensor_shape>},   {"dim", protect<tensor_dim>},
    {"size", protect<tensor_size>},     {"numel", protect<tensor_numel>},
    {"dtype", protect<tensor_dtype>},   {"save_npy", protect<tensor_save_npy>},
    {"tolist", protect<tensor_tolist>}, {nullptr, nullptr},
};
const luaL_Reg kMeta[] = {
    {"__tostring", protect<tensor_tostring>}, {"__len", protect<tensor_len>}, {nullptr, nullptr}};

void init(lua_State* L) { define_class<LuaTensor>(L, kMethods, kMeta, nullptr); }

const luaL_Reg kFunctions[] = {
    {"load_npy", protect<load_npy>},
    {"tensor", protect<make_tensor>},
    {"mel", protect<make_mel>},
    {nullptr, nullptr},
};

}  // namespace

extern const Library kTensorLibrary = {nullptr, kFunctions, init};

}  // namespace voxclone::lua
