-- Vocoder training stage (RTVC's vocoder_train.py): trains the named vocoder on an SV2TTS folder, from the
-- synthesizer's ground-truth mels (ground_truth) or the GTA mels of vocoder_preprocess.
--   voxclone run recipes/vocoder_train.lua run_id=my_run datasets_root=/data --ground_truth
--   voxclone run recipes/vocoder_train.lua run_id=small datasets_root=/data vocoder=wavernn --ground_truth \
--       model=voc_rnn_dims=128,voc_fc_dims=128 max_steps=2000
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
  vocoder = { type = "string", default = "wavernn", help = "which vocoder: runs stage vocoder_train_<vocoder>" },
  max_steps = { type = "int", default = 0, help = "stop at this step (0: the trainer's default, RTVC's epochs)" },
  max_seconds = { type = "number", default = 0, help = "stop after this many seconds, saving first (0: no limit)" },
  eval_every = { type = "int", default = -1, help = "steps between samples/evaluation (-1: at every save)" },
  seed = { type = "int", default = -1, help = "random seed (< 0: nondeterministic)" },
  holdout = { type = "int", default = 0, help = "utterances kept out of training and resynthesised at evaluation" },
  model = { type = "list", default = {}, help = "model/optimiser overrides, e.g. voc_rnn_dims=128,voc_lr=3e-4" },
}

if not args.datasets_root and not args.syn_dir then vc.fail("datasets_root (or syn_dir) is required") end

-- One stage per vocoder plugin, named vocoder_train_<name> (wavernn here; hifigan from its own plugin).
local stage = "vocoder_train_" .. args.vocoder
local known = false
for _, p in ipairs(vc.plugins()) do
  if p.kind == "stage" and p.name == stage then known = true end
end
if not known then vc.fail("no training stage for vocoder '" .. args.vocoder .. "' (stage " .. stage .. " not loaded)") end

local r = vc.stage(stage, {
  run_id = args.run_id, datasets_root = args.datasets_root or "", syn_dir = args.syn_dir or "",
  voc_dir = args.voc_dir or "", models_dir = args.models_dir, ground_truth = args.ground_truth,
  save_every = args.save_every, backup_every = args.backup_every, force_restart = args.force_restart,
  max_steps = args.max_steps, max_wall_seconds = args.max_seconds, eval_every = args.eval_every,
  seed = args.seed, holdout = args.holdout, model_overrides = args.model,
})
vc.log.info("%s: steps %d → %d%s, last loss %s; checkpoint %s", args.vocoder, r.start_step, r.end_step,
  r.interrupted and " (interrupted)" or "", r.last_loss and string.format("%.4f", r.last_loss) or "-", r.checkpoint)
