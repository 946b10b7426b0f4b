// A plugin built (as it claims) against another LibTorch: the loader must refuse it without calling it.
#include <cstdlib>

#include "voxclone/registry.h"

namespace {
void register_all(voxclone::Registry&) { std::abort(); }  // must never run
const voxclone::PluginDescriptor descriptor{voxclone::kPluginAbiVersion, "test-bad-torch", "1.0.0", "0.4.1",
                                            "", &register_all};
}  // namespace
BOOST_DLL_ALIAS(descriptor, VOXCLONE_PLUGIN_SYMBOL)
