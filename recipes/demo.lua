-- The built-in demo: clone the sound of a reference clip. Until trained models are available this is the
-- analysis-resynthesis path: reference audio → synthesizer mel (80 × frames) → vocoder → WAV.
local vc = require "voxclone"

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."

local args = vc.args {
  description = "Analysis-resynthesis of a reference clip: audio → mel → vocoder → audio",
  audio = { type = "path", default = here .. "/../tests/fixtures/rtvc/encoder/input.wav",
            help = "reference audio (WAV, FLAC, OGG, MP3)" },
  out_dir = { type = "path", default = "out/demo", help = "folder for the outputs" },
  vocoder = { type = "string", default = "griffinlim", help = "vocoder plugin" },
  seed = { type = "int", default = 0, help = "random seed (Griffin-Lim initial phases)" },
}

vc.fs.mkdir(args.out_dir)
local audio = vc.load_audio(args.audio, 16000)
vc.log.info("reference: %s (%.2f s)", args.audio, audio.seconds)

local mel = vc.mel(audio, { type = "synthesizer" })
mel:save_npy(vc.fs.join(args.out_dir, "reference_mel.npy"))

local vocoder = vc.vocoder(args.vocoder, {})
local wav = vocoder:vocode(mel, { seed = args.seed })
local out = vc.fs.join(args.out_dir, "resynthesized.wav")
wav:save(out, { metadata = { comment = "voxclone demo: " .. args.vocoder .. " resynthesis of " .. args.audio } })
vc.write_config(out .. ".config.toml")
vc.log.info("wrote %s (%.2f s)", out, wav.seconds)
