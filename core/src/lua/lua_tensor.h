// The tensor object shared by the bindings that hand tensors to recipes (npy, mels, embeddings).
#pragma once

#include <ATen/core/Tensor.h>

#include <optional>

#include "lua_support.h"
#include "voxclone/mel.h"

namespace voxclone::lua {

/// A tensor as a recipe holds it. A mel made by a synthesizer or vc.mel keeps the settings that produced
/// it, so a vocoder receives them; any other 2-D tensor is vocoded with RTVC's default settings.
struct LuaTensor {
  at::Tensor tensor;
  std::optional<MelSettings> mel;
};

template <>
struct LuaClass<LuaTensor> {
  static constexpr const char* name = "voxclone.tensor";
};

inline LuaTensor& check_tensor(lua_State* L, int index) { return check_object<LuaTensor>(L, index); }
inline void push_tensor(lua_State* L, at::Tensor t, std::optional<MelSettings> mel = std::nullopt) {
  push_object<LuaTensor>(L, LuaTensor{std::move(t), std::move(mel)});
}

}  // namespace voxclone::lua
