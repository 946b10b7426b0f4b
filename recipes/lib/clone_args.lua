-- The arguments every cloning recipe shares (models and take settings), and the cloner they describe.
local vc = require "voxclone"

local M = {}

--- Adds the shared arguments to a vc.args spec and returns it.
function M.add(spec)
  spec.models = { type = "path", help = "models file (default: the one voxclone clone uses)" }
  spec.encoder = { type = "string", help = "NAME[:CHECKPOINT], replaces the models file's encoder" }
  spec.synthesizer = { type = "string", help = "NAME[:CHECKPOINT], replaces the models file's synthesizer" }
  spec.vocoder = { type = "string", help = "NAME[:CHECKPOINT], replaces the models file's vocoder" }
  spec.seed = spec.seed or { type = "int", default = 0, help = "random seed of every clone" }
  spec.candidates = { type = "int", default = 1, help = "takes per clone; the one closest to the voice is kept" }
  spec.max_steps = { type = "int", default = 2000, help = "decoder step guard per sentence" }
  spec.overwrite = { type = "bool", default = false, help = "redo outputs that exist" }
  return spec
end

--- The cloner the parsed arguments name.
function M.cloner(a)
  return vc.cloner { models = a.models, encoder = a.encoder, synthesizer = a.synthesizer, vocoder = a.vocoder }
end

return M
