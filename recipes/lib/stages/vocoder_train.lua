-- Stage recipe vocoder_train (RTVC vocoder_train.py, MockingBird's with vocoder_type): trains the named vocoder
-- on an SV2TTS folder by running its stage vocoder_train_<vocoder>.
local vc = require "voxclone"
local stage_recipe = require "stage_recipe"

-- Options of a vocoder training stage that takes RTVC's arguments as they are (wavernn's, and the convention
-- for a new vocoder plugin); the stage derives the folders left empty from datasets_root.
local function rtvc_options(a)
  return {run_id = a.run_id, datasets_root = a.datasets_root or "", syn_dir = a.syn_dir or "",
          voc_dir = a.voc_dir or "",
          models_dir = a.models_dir, ground_truth = a.ground_truth, save_every = a.save_every,
          backup_every = a.backup_every, force_restart = a.force_restart, max_steps = a.max_steps,
          max_wall_seconds = a.max_seconds, eval_every = a.eval_every, seed = a.seed, holdout = a.holdout,
          model_overrides = a.model}
end

-- HiFi-GAN's stage has MockingBird's train.py options: its run folder is <models_dir>/<run_id>_hifigan and it
-- reads the synthesizer folder's ground-truth mels (MockingBird has no GTA path for HiFi-GAN).
local function hifigan_options(a)
  if not a.ground_truth then
    stage_recipe.fail("vocoder=hifigan trains on the ground-truth mels of syn_dir, as MockingBird's does: " ..
                      "add ground_truth=true")
  end
  if a.holdout > 0 then
    stage_recipe.fail("argument 'holdout': hifigan holds out 5% of the utterances itself " ..
                      "(recipes/vocoder_train_hifigan.lua takes validation folders)")
  end
  if a.max_steps <= 0 then
    stage_recipe.fail("vocoder=hifigan needs max_steps (MockingBird's 3100 epochs are not a step count)")
  end
  local model = {}
  for _, m in ipairs(a.model) do model[#model + 1] = m end
  if a.seed >= 0 then model[#model + 1] = "seed=" .. a.seed end
  local syn_dir = a.syn_dir or vc.fs.join(a.datasets_root, "SV2TTS", "synthesizer")
  return {data = {syn_dir}, run_dir = vc.fs.join(a.models_dir, a.run_id .. "_hifigan"), max_steps = a.max_steps,
          save_every = a.save_every, backup_every = a.backup_every,
          eval_every = a.eval_every >= 0 and a.eval_every or a.save_every, max_wall_seconds = a.max_seconds,
          force_restart = a.force_restart, model_overrides = model}
end

return {
  description = "Trains the vocoder from the synthesizer audios and the GTA synthesized mels, or ground truth mels " ..
    "(ground_truth). vocoder=NAME runs stage vocoder_train_NAME: wavernn (RTVC, <models_dir>/<run_id>/vocoder.pt) " ..
    "or hifigan (MockingBird, <models_dir>/<run_id>_hifigan/g_*.pt; ground-truth mels; needs max_steps). " ..
    "MockingBird's --config FILE.json is the global `voxclone --config FILE.json run ...`. To train HiFi-GAN " ..
    "on folders of plain audio or from a pretrained g_ file, use recipes/vocoder_train_hifigan.lua.",
  args = {
    run_id = {type = "string", required = true, help = "name of the run: outputs go to <models_dir>/<run_id>/"},
    datasets_root = {type = "path", help = "folder holding SV2TTS/ (syn_dir and voc_dir take priority)"},
    syn_dir = {type = "path", help = "default <datasets_root>/SV2TTS/synthesizer (mels, audio, train.txt)"},
    voc_dir = {type = "path", help = "default <datasets_root>/SV2TTS/vocoder (mels_gta, synthesized.txt)"},
    models_dir = {type = "path", default = "saved_models", help = "folder of the runs"},
    ground_truth = {type = "bool", default = false, help = "train on ground-truth mels (syn_dir/mels)"},
    save_every = {type = "int", default = 1000, help = "steps between checkpoints (0: only at the end)"},
    backup_every = {type = "int", default = 25000, help = "steps between backups (0: never)"},
    force_restart = {type = "bool", default = false, help = "start from scratch (an old checkpoint is moved aside)"},
    vocoder = {type = "string", default = "wavernn", help = "which vocoder (MockingBird's vocoder_type)"},
    max_steps = {type = "int", default = 0, help = "stop at this step (0: wavernn's default, RTVC's epochs)"},
    max_seconds = {type = "number", default = 0, help = "stop after this many seconds, saving first (0: no limit)"},
    eval_every = {type = "int", default = -1, help = "steps between samples/evaluation (-1: at every save)"},
    seed = {type = "int", default = -1, help = "random seed (< 0: the vocoder's default)"},
    holdout = {type = "int", default = 0, help = "wavernn: utterances kept out of training and resynthesised"},
    model = {type = "list", default = "", help = "model/optimiser overrides, e.g. voc_rnn_dims=128,voc_lr=3e-4"},
  },
  plan = function(a)
    if not a.datasets_root and not a.syn_dir then
      stage_recipe.fail("argument 'datasets_root': required unless syn_dir is given")
    end
    local stage = "vocoder_train_" .. a.vocoder
    local known = false
    for _, p in ipairs(vc.plugins()) do
      if p.kind == "stage" and p.name == stage then known = true end
    end
    if not known then
      stage_recipe.fail("no training stage for vocoder '" .. a.vocoder .. "' (stage " .. stage .. " not loaded)")
    end
    local opts = a.vocoder == "hifigan" and hifigan_options(a) or rtvc_options(a)
    return {{
      stage = stage,
      opts = opts,
      done = function(r)
        vc.log.info("%s: steps %d → %d%s, last loss %s; checkpoint %s", a.vocoder, r.start_step, r.end_step,
                    r.interrupted and " (interrupted)" or "",
                    r.last_loss and string.format("%.4f", r.last_loss) or "-", r.checkpoint)
      end,
    }}
  end,
}
