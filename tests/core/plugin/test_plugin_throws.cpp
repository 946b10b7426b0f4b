// A plugin whose registration fails (it registers a name twice).
#include "voxclone/registry.h"

namespace {
using namespace voxclone;
std::unique_ptr<Vocoder> make(const CreateArgs&) { return nullptr; }
void register_all(Registry& r) {
  r.add<Vocoder>("dup", &make, "first");
  r.add<Vocoder>("dup", &make, "second");
}
}  // namespace
VOXCLONE_PLUGIN("test-throws", "0.0.1", register_all)
