// The stages the Tacotron plugin registers for recipes: SV2TTS preprocessing, training, GTA mel export.
#pragma once

#include "voxclone/registry.h"

namespace voxclone::tacotron {

/// stage:synthesizer_train and stage:synthesizer_gta (tacotron_train.cpp).
void register_training_stages(Registry& r);
/// stage:synthesizer_preprocess_audio and stage:synthesizer_preprocess_embeds (preprocess.cpp).
void register_preprocess_stages(Registry& r);

}  // namespace voxclone::tacotron
