-- recipes/experiments/encoder_librispeech_mini.lua: evidence that GE2E training learns, on held-out speakers.
--
-- librispeech-mini has one recording per speaker. Training draws random 160-frame crops of each training
-- speaker's recording; evaluation cuts each HELD-OUT speaker's recording into non-overlapping segments, so
-- same-speaker pairs are different segments of the same recording (same session and channel).
-- The defaults are the run reported in plugins/encoders/ge2e/README.md (a small network, a high rate with warm-up
-- and cosine decay, ln-mel input, gain augmentation; about 15 minutes with 1 thread). RTVC's own settings
-- (utterances_per_speaker=10 learning_rate=1e-4 warmup_steps=0 decay_steps=0 model_hidden_size=256
-- model_embedding_size=256 model_num_layers=3 augment_gain_db=0 log_mel_input=false) learn far too slowly for a
-- 30-minute budget.
local vc = require "voxclone"

local a = vc.args {
  description = "Preprocess librispeech-mini, train GE2E on most speakers, report the EER on held-out speakers " ..
    "next to a log-mel mean/std baseline.",
  data = {type = "path", required = true, help = "the librispeech-mini folder (train-clean-100/...)"},
  out = {type = "path", default = "runs/encoder_mini", help = "work folder"},
  holdout_every = {type = "int", default = 6, help = "every Nth speaker (sorted) is held out"},
  speakers_per_batch = {type = "int", default = 64},
  utterances_per_speaker = {type = "int", default = 3},
  learning_rate = {type = "number", default = 2e-3},
  warmup_steps = {type = "int", default = 500, help = "linear learning-rate ramp (steps)"},
  decay_steps = {type = "int", default = 1200, help = "cosine decay of the rate to 0 at step N (set max_steps too)"},
  dropout = {type = "number", default = 0, help = "training only: between LSTM layers and before the projection"},
  partials_n_frames = {type = "int", default = 160, help = "training crop length (frames)"},
  weight_decay = {type = "number", default = 0, help = "Adam's L2 penalty"},
  augment_freq_mask = {type = "int", default = 0, help = "band mask of up to N mel channels per crop"},
  augment_time_mask = {type = "int", default = 0, help = "time mask of up to N frames per crop"},
  warp_speakers = {type = "number", default = 0, help = "add frequency-warped copies (1 - N, 1 + N) of every training speaker as new speakers"},
  augment_gain_db = {type = "number", default = 6, help = "random gain within ±N dB per crop"},
  model_hidden_size = {type = "int", default = 128, help = "LSTM width (RTVC: 256)"},
  model_embedding_size = {type = "int", default = 128, help = "embedding size (RTVC: 256)"},
  model_num_layers = {type = "int", default = 2, help = "LSTM layers (RTVC: 3)"},
  log_mel_input = {type = "bool", default = true, help = "the network reads a scaled ln(mel) (RTVC: the power mel)"},
  max_minutes = {type = "number", default = 28},
  max_steps = {type = "int", default = 1200},
  segment_frames = {type = "int", default = 300, help = "evaluation segment length (frames of 10 ms)"},
  threads = {type = "int", default = 1},
  seed = {type = "int", default = 1234, help = "initialisation and batch-drawing seed"},
  force_restart = {type = "bool", default = false},
}

local clean = vc.fs.join(a.out, "SV2TTS", "encoder")
vc.stage("encoder_preprocess", {datasets_root = a.data, out_dir = clean, datasets = {"librispeech"},
                                skip_existing = true})

local speakers, held_out = {}, {}
for _, name in ipairs(vc.fs.list(clean)) do
  if vc.fs.isdir(vc.fs.join(clean, name)) then speakers[#speakers + 1] = name end
end
for i, name in ipairs(speakers) do
  if i % a.holdout_every == 0 then held_out[#held_out + 1] = name end
end
vc.log.info("%d speakers: %d for training, %d held out", #speakers, #speakers - #held_out, #held_out)
vc.fs.write_text(vc.fs.join(a.out, "held_out.txt"), table.concat(held_out, "\n") .. "\n")

local t = vc.stage("encoder_train", {
  run_id = "mini", clean_data_root = clean, models_dir = a.out, exclude_speakers = held_out,
  speakers_per_batch = a.speakers_per_batch, utterances_per_speaker = a.utterances_per_speaker,
  learning_rate = a.learning_rate, warmup_steps = a.warmup_steps, decay_steps = a.decay_steps, dropout = a.dropout,
  partials_n_frames = a.partials_n_frames, weight_decay = a.weight_decay,
  augment_freq_mask = a.augment_freq_mask, augment_time_mask = a.augment_time_mask, augment_gain_db = a.augment_gain_db, warp_speakers = a.warp_speakers,
  model_hidden_size = a.model_hidden_size, model_embedding_size = a.model_embedding_size,
  model_num_layers = a.model_num_layers, log_mel_input = a.log_mel_input, max_minutes = a.max_minutes, max_steps = a.max_steps, vis_every = 10,
  umap_every = 200, save_every = 100, backup_every = 0, cache_utterances = true, threads = a.threads, seed = a.seed,
  force_restart = a.force_restart,
})
local e = vc.stage("encoder_eval", {checkpoint = t.checkpoint, clean_data_root = clean, speakers = held_out,
                                    segment_frames = a.segment_frames, max_segments = 4,
                                    out_json = vc.fs.join(a.out, "eval.json")})
vc.log.info("steps %d → %d; held-out EER %.4f vs baseline %.4f (%d speakers, %d segments, %d same / %d different pairs)",
            t.start_step, t.end_step, e.eer, e.baseline_eer, e.speakers, e.segments, e.same_pairs, e.different_pairs)
