-- recipes/experiments/tacotron_ljspeech_mini.lua: evidence that Tacotron training learns to align, on real speech.
--
-- Preprocesses ljspeech-mini (32 LJSpeech utterances, one speaker), embeds it with a GE2E checkpoint and trains a
-- reduced Tacotron on the CPU for a fixed time. Every eval_interval steps the training stage writes the attention
-- plot, the predicted-vs-target mel plot and a Griffin-Lim WAV, and logs the attention's focus and diagonality
-- (tacotron_train.cpp: attention_figures) to train_log.csv. Threads: `voxclone --threads N run ...`.
local vc = require "voxclone"

local a = vc.args {
  description = "Train a reduced Tacotron on ljspeech-mini and report when its attention becomes diagonal.",
  data = {type = "path", required = true, help = "the ljspeech-mini (LJSpeech-1.1 layout) folder"},
  encoder = {type = "path", required = true, help = "GE2E checkpoint for the speaker embeddings"},
  embedding_size = {type = "int", default = 256, help = "the encoder's embedding size"},
  out = {type = "path", default = "runs/tacotron_ljspeech_mini", help = "work folder"},
  r = {type = "int", default = 5, help = "frames per decoder step"},
  learning_rate = {type = "number", default = 1e-3},
  batch_size = {type = "int", default = 8},
  max_minutes = {type = "number", default = 60},
  max_steps = {type = "int", default = 100000},
  eval_interval = {type = "int", default = 100},
  guided_attention = {type = "number", default = 0,
                      help = "weight of the guided attention loss (Tachibana et al. 2018; 0 = RTVC's losses only)"},
  seed = {type = "int", default = 1},
  force_restart = {type = "bool", default = false},
}

local syn_dir = vc.fs.join(a.out, "SV2TTS", "synthesizer")
vc.stage("synthesizer_preprocess_audio", {datasets_root = a.data, reader = "ljspeech", subfolders = {},
                                          out_dir = syn_dir, skip_existing = true})
vc.stage("synthesizer_preprocess_embeds", {syn_dir = syn_dir, checkpoint = a.encoder})

-- RTVC's structure at a quarter to a half of its widths (hparams.py values in comments).
local overrides = {"tts_embed_dims=256",     -- 512
                   "tts_encoder_dims=128",   -- 256
                   "tts_decoder_dims=128",   -- 128
                   "tts_postnet_dims=128",   -- 512
                   "tts_lstm_dims=256",      -- 1024
                   "tts_num_highways=2",     -- 4
                   "speaker_embedding_size=" .. a.embedding_size}
local t = vc.stage("synthesizer_train", {
  syn_dir = syn_dir, run_dir = a.out, model_overrides = overrides,
  tts_schedule = {{a.r, a.learning_rate, a.max_steps, a.batch_size}}, max_steps = a.max_steps,
  max_wall_seconds = a.max_minutes * 60, tts_eval_interval = a.eval_interval, save_every = 100, seed = a.seed,
  guided_attention_weight = a.guided_attention,
  force_restart = a.force_restart,
})
vc.log.info("steps %d → %d, loss %.3f → %.3f; log: %s; plots: %s", t.start_step, t.end_step, t.first_loss,
            t.last_loss, vc.fs.join(a.out, "train_log.csv"), vc.fs.join(a.out, "samples"))
