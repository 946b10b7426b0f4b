// The stages the GE2E plugin registers: encoder_preprocess, encoder_train, encoder_eval.
#pragma once

#include <memory>

#include "voxclone/interfaces.h"

namespace voxclone::ge2e {

std::unique_ptr<Stage> make_preprocess_stage(const CreateArgs& args);
std::unique_ptr<Stage> make_train_stage(const CreateArgs& args);
std::unique_ptr<Stage> make_eval_stage(const CreateArgs& args);

}  // namespace voxclone::ge2e
