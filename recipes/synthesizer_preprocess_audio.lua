-- Synthesizer preprocessing, step 1 (RTVC synthesizer_preprocess_audio.py): LibriSpeech-style folders →
-- <out_dir>/{mels,audio}/*.npy and train.txt (SV2TTS/synthesizer layout).
local vc = require "voxclone"

local a = vc.args {
  description = "Cuts utterances on long silences (alignments), trims them and writes mels, audio and train.txt",
  datasets_root = { type = "path", required = true, help = "folder holding <dataset>/<subfolder>/..." },
  dataset = { type = "string", default = "LibriSpeech", help = "dataset folder name under datasets_root" },
  subfolders = { type = "list", default = "train-clean-100,train-clean-360", help = "comma-separated subsets" },
  out_dir = { type = "path", help = "output folder (default <datasets_root>/SV2TTS/synthesizer)" },
  workers = { type = "int", default = 4, help = "parallel speakers" },
  skip_existing = { type = "bool", default = false, help = "keep utterances already written" },
  no_alignments = { type = "bool", default = false, help = "use <utt>.txt transcripts instead of alignments" },
  max_mel_frames = { type = "int", default = 900, help = "drop longer utterances" },
}

local out = a.out_dir or vc.fs.join(a.datasets_root, "SV2TTS", "synthesizer")
local r = vc.stage("synthesizer_preprocess_audio", {
  datasets_root = a.datasets_root, dataset = a.dataset, subfolders = a.subfolders, out_dir = out,
  workers = a.workers, skip_existing = a.skip_existing, no_alignments = a.no_alignments,
  max_mel_frames = a.max_mel_frames,
})
vc.log.info("%d utterances (%.2f h) → %s", r.utterances, r.hours, r.train_txt)
