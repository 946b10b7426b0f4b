// Out-of-line destructors and default methods of the plugin interfaces: their vtables and typeinfo live in core.
#include "voxclone/interfaces.h"

#include "voxclone/error.h"

namespace voxclone {

SpeakerEncoder::~SpeakerEncoder() = default;
Synthesizer::~Synthesizer() = default;
Vocoder::~Vocoder() = default;
MelSettings Vocoder::expected_mel() const { return MelSettings{}; }
TrainResult Vocoder::train(const VocoderTrainRequest&) {
  throw UserError("this vocoder cannot be trained (no train() in its plugin)");
}
TextFrontend::~TextFrontend() = default;
Dataset::~Dataset() = default;

}  // namespace voxclone
