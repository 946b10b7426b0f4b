// `voxclone convert IN OUT`: re-writes any readable PyTorch checkpoint (zip or legacy) in the zip format.
#include <iostream>
#include <memory>
#include <string>

#include "command.h"
#include "voxclone/checkpoint.h"

namespace voxclone::cli {

namespace {

struct ConvertArgs {
  std::string in;
  std::string out;
};

void setup_convert(CLI::App& app) {
  auto args = std::make_shared<ConvertArgs>();
  auto* cmd =
      app.add_subcommand("convert", "Re-write a PyTorch checkpoint (zip or legacy format) in the zip format");
  cmd->add_option("IN", args->in, "Checkpoint to read (torch.save file)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("OUT", args->out, "Checkpoint to write (zip format, readable by torch.load)")->required();
  cmd->callback([args] {
    ckpt::Value root = ckpt::load(args->in);
    ckpt::save(args->out, root);
    std::cout << "wrote " << args->out << " (" << ckpt::flatten_state_dict(root).size() << " tensors)\n";
  });
}

}  // namespace

VOXCLONE_COMMAND(90, setup_convert);

}  // namespace voxclone::cli
