-- recipes/voxceleb/encoder_preprocess.lua: the encoder's VoxCeleb data (RTVC: VoxCeleb1 anglophones, VoxCeleb2 dev).
require("stage_recipe").main("encoder_preprocess", {
  description = "VoxCeleb1 (the speakers of the nationalities RTVC keeps, from vox1_meta.csv) and VoxCeleb2 " ..
    "(dev, AAC decoded with FFmpeg). VoxCeleb has no transcripts: it serves the encoder only.",
  datasets = "voxceleb1,voxceleb2",
})
