// A plugin whose descriptor claims a future ABI version: the loader must refuse it without calling it.
#include <cstdlib>

#include "voxclone/registry.h"

namespace {
void register_all(voxclone::Registry&) { std::abort(); }  // must never run
const voxclone::PluginDescriptor descriptor{voxclone::kPluginAbiVersion + 41, "test-bad-abi", "9.9.9",
                                            VOXCLONE_TORCH_VERSION_STRING, "", &register_all};
}  // namespace
BOOST_DLL_ALIAS(descriptor, VOXCLONE_PLUGIN_SYMBOL)
