// Out-of-line destructors and defaults of the plugin interfaces: vtables and typeinfo live in core.
#include "voxclone/interfaces.h"

namespace voxclone {

SpeakerEncoder::~SpeakerEncoder() = default;
Synthesizer::~Synthesizer() = default;
Vocoder::~Vocoder() = default;
MelSettings Vocoder::expected_mel() const { return MelSettings{}; }
TextFrontend::~TextFrontend() = default;
Dataset::~Dataset() = default;
Stage::~Stage() = default;

}  // namespace voxclone
