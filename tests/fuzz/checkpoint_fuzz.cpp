// libFuzzer target for the checkpoint reader: any input must load or raise voxclone::UserError, nothing else.
#include <cstddef>
#include <cstdint>

#include "voxclone/checkpoint.h"
#include "voxclone/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    auto root = voxclone::ckpt::load_from_memory(data, size, "fuzz");
    // Walk the result the way callers do, so a malformed tree that slipped through would show up here.
    for (const auto& [name, t] : voxclone::ckpt::flatten_state_dict(root)) {
      if (t.numel() > 0) (void)t.sum();
    }
  } catch (const voxclone::UserError&) {
  }
  return 0;
}
