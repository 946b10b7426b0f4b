-- Vocoder training stage (RTVC's vocoder_train.py): trains the named vocoder on an SV2TTS folder, from the
-- synthesizer's ground-truth mels (ground_truth) or the GTA mels of vocoder_preprocess.
--   voxclone run recipes/vocoder_train.lua run_id=my_run datasets_root=/data --ground_truth
--   voxclone run recipes/vocoder_train.lua run_id=small datasets_root=/data vocoder=wavernn \
--       voc_rnn_dims=128 voc_fc_dims=128 max_steps=2000
local vc = require "voxclone"

local args = vc.args {
  description = "Trains the vocoder from the synthesizer audios and the GTA synthesized mels, or ground truth mels.",
  run_id = { type = "string", required = true, help = "name of the run: outputs go to <models_dir>/<run_id>/" },
  datasets_root = { type = "path", help = "folder holding SV2TTS/ (syn_dir and voc_dir take priority)" },
  syn_dir = { type = "path", help = "default <datasets_root>/SV2TTS/synthesizer (mels, audio, train.txt)" },
  voc_dir = { type = "path", help = "default <datasets_root>/SV2TTS/vocoder (mels_gta, synthesized.txt)" },
  models_dir = { type = "path", default = "saved_models", help = "folder of the runs" },
  ground_truth = { type = "bool", default = false, help = "train on ground-truth mels (syn_dir/mels)" },
  save_every = { type = "int", default = 1000, help = "steps between checkpoints (0: only at the end)" },
  backup_every = { type = "int", default = 25000, help = "steps between backups (0: never)" },
  force_restart = { type = "bool", default = false, help = "start from scratch (an old checkpoint is moved aside)" },
  vocoder = { type = "string", default = "wavernn", help = "which vocoder to train (wavernn, hifigan, ...)" },
  max_steps = { type = "int", help = "stop at this step (default: the trainer's, RTVC's epoch count for wavernn)" },
  max_seconds = { type = "int", default = 0, help = "stop after this many seconds, saving first (0: no limit)" },
  eval_every = { type = "int", help = "steps between samples/evaluation (default: save_every)" },
  seed = { type = "int", default = -1, help = "random seed (< 0: nondeterministic)" },
  holdout = { type = "int", default = 0, help = "utterances kept out of training and resynthesised at evaluation" },
  set = { type = "list", default = "", help = "model/optimiser settings, key:value pairs (voc_rnn_dims:128,voc_lr:0.0002)" },
}

if not args.datasets_root and not args.syn_dir then vc.fail("datasets_root (or syn_dir) is required") end

local opts = {
  vocoder = args.vocoder, run_id = args.run_id, models_dir = args.models_dir, ground_truth = args.ground_truth,
  save_every = args.save_every, backup_every = args.backup_every, force_restart = args.force_restart,
  max_seconds = args.max_seconds, seed = args.seed, holdout = args.holdout,
  datasets_root = args.datasets_root, syn_dir = args.syn_dir, voc_dir = args.voc_dir,
  max_steps = args.max_steps, eval_every = args.eval_every,
}
for _, pair in ipairs(args.set) do
  local key, value = pair:match("^([%w_]+):(.+)$")
  if not key then vc.fail("set: expected key:value, got '" .. pair .. "'") end
  local list = value:match("^%[(.*)%]$")
  if list then
    local items = {}
    for item in list:gmatch("[^%s;]+") do items[#items + 1] = math.tointeger(tonumber(item)) or tonumber(item) end
    opts[key] = items
  elseif value == "true" or value == "false" then
    opts[key] = value == "true"
  else
    opts[key] = math.tointeger(tonumber(value)) or tonumber(value) or value
  end
end

local result = vc.train_vocoder(opts)
vc.log.info("%s: steps %d → %d%s, last loss %s", args.vocoder, result.start_step, result.end_step,
  result.interrupted and " (interrupted)" or "", result.last_loss and string.format("%.4f", result.last_loss) or "-")
