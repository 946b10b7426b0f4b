-- Makes a deterministic synthetic speech corpus with espeak-ng: English speakers in LibriSpeech's layout
-- with exact word alignments, Mandarin speakers in AISHELL-3's. Same arguments → byte-identical files.
local vc = require "voxclone"
local espeak = require "espeak"
local random = require "seeded_random"
local sentences = require "synthetic_text"

local args = vc.args {
  description = "Synthetic speech corpus from espeak-ng voices: English in LibriSpeech layout (train-clean-100, "
    .. "test-clean, word alignments), Mandarin in AISHELL-3 layout (train, test). Deterministic.",
  out_dir = { type = "path", default = "out/synthetic", help = "folder that receives LibriSpeech/, aishell3/, README.txt" },
  english_speakers = { type = "int", default = 24, help = "English speakers in all, the held-out ones included" },
  utterances = { type = "int", default = 12, help = "utterances per English speaker" },
  test_speakers = { type = "int", default = 4, help = "English speakers held out under test-clean" },
  mandarin_speakers = { type = "int", default = 4, help = "Mandarin speakers in all (0: no Mandarin part)" },
  mandarin_utterances = { type = "int", default = 10, help = "utterances per Mandarin speaker" },
  mandarin_test_speakers = { type = "int", default = 1, help = "Mandarin speakers held out under test" },
  seed = { type = "int", default = 1, help = "chooses voices, pitches, speeds, sentences and pauses" },
  jobs = { type = "int", default = 2, help = "espeak-ng programs run at once (the output does not depend on it)" },
}

local kEnglishRate, kMandarinRate = 16000, 44100
local kEnglishVoices = { "en-gb", "en-us", "en-gb-scotland", "en-gb-x-rp", "en-gb-x-gbclan", "en-gb-x-gbcwmd",
  "en-029", "en-us-nyc" }
local kMandarinVoice = "cmn-latn-pinyin"
local kVariants = { "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "f1", "f2", "f3", "f4", "f5" }
local kSilence = 0.002   -- |sample| below this at a word's edges is trimmed (about -54 dBFS)
local kEdgeKeep = 0.004  -- seconds kept on each side of the trimmed word, so onsets are not cut
local kFade = 0.002      -- seconds of linear fade at both ends: some words start voiced at espeak's first sample
local kMarker = "Synthetic speech corpus made by voxclone's recipes/make_synthetic_corpus.lua"

-- Argument checks: one line, exit code 2.
local function check_range(name, lo, hi)
  local v = args[name]
  if v < lo or v > hi then vc.fail(string.format("argument '%s': %d is outside %d..%d", name, v, lo, hi), 2) end
end
check_range("english_speakers", 0, 9999)
check_range("utterances", 1, 9999)
-- With no speakers of a language its held-out count does not matter (the defaults stay valid with 0).
check_range("test_speakers", 0, args.english_speakers > 0 and args.english_speakers or 9999)
check_range("mandarin_speakers", 0, 999)
check_range("mandarin_utterances", 1, 9999)
check_range("mandarin_test_speakers", 0, args.mandarin_speakers > 0 and args.mandarin_speakers or 9999)
check_range("jobs", 1, 64)
if args.english_speakers + args.mandarin_speakers == 0 then
  vc.fail("nothing to make: english_speakers and mandarin_speakers are both 0")
end
if not espeak.available() then
  vc.fail("espeak-ng is not installed (Debian: apt-get install espeak-ng, or run scripts/setup)")
end

-- Speakers ---------------------------------------------------------------------------------------------

-- Every (voice, variant) pair in a seeded order; speaker i takes pair i, and when there are more speakers
-- than pairs the pairs come round again with other pitch and speed settings.
local function plan_speakers(count, voices, stream, pitch_for, speed_range)
  local variant_sex = espeak.variants()
  local pairs_ = {}
  for _, voice in ipairs(voices) do
    for _, variant in ipairs(kVariants) do
      if variant_sex[variant] then
        pairs_[#pairs_ + 1] = { voice = voice .. "+" .. variant, sex = variant_sex[variant] }
      end
    end
  end
  if #pairs_ == 0 then vc.fail("espeak-ng offers none of the voice variants " .. table.concat(kVariants, ", ")) end
  pairs_ = random.new(args.seed, stream):shuffled(pairs_)
  local speakers, used = {}, {}
  for i = 1, count do
    local pair = pairs_[(i - 1) % #pairs_ + 1]
    local r = random.new(args.seed, stream, i)
    local s
    repeat
      s = { voice = pair.voice, sex = pair.sex, pitch = r:int(pitch_for[pair.sex][1], pitch_for[pair.sex][2]),
            speed = r:int(speed_range[1], speed_range[2]), gain = r:int(45, 90) / 100 }
    until not used[s.voice .. "/" .. s.pitch .. "/" .. s.speed]
    used[s.voice .. "/" .. s.pitch .. "/" .. s.speed] = true
    speakers[i] = s
  end
  return speakers
end

local english, mandarin, zh_frontend = {}, {}, nil
if args.english_speakers > 0 then
  local installed, voices = espeak.voices("en"), {}
  for _, v in ipairs(kEnglishVoices) do
    if installed[v] then voices[#voices + 1] = v end
  end
  if #voices == 0 then vc.fail("espeak-ng has none of the English voices " .. table.concat(kEnglishVoices, ", ")) end
  english = plan_speakers(args.english_speakers, voices, 1, { M = { 30, 60 }, F = { 45, 80 } }, { 135, 185 })
  for i, s in ipairs(english) do
    s.id = tostring(10000 + i)
    s.chapter = tostring(200000 + i)
    s.subset = i <= args.english_speakers - args.test_speakers and "train-clean-100" or "test-clean"
  end
end
if args.mandarin_speakers > 0 then
  -- espeak-ng's "cmn" voice reads its dictionary's pinyin with English letter names ("jin1" → "jin one");
  -- "cmn-latn-pinyin" reads tone-numbered pinyin as Mandarin, so it speaks exactly the content.txt readings.
  if not espeak.voices("cmn")[kMandarinVoice] then
    vc.fail("espeak-ng has no '" .. kMandarinVoice .. "' voice (needed for Mandarin; mandarin_speakers=0 skips it)")
  end
  mandarin = plan_speakers(args.mandarin_speakers, { kMandarinVoice }, 4, { M = { 35, 60 }, F = { 50, 80 } },
    { 120, 165 })
  zh_frontend = vc.text("mandarin")  -- before any work: a missing language pack fails at once
  for i, s in ipairs(mandarin) do
    s.id = string.format("SSB%04d", 9000 + i)
    s.subset = i <= args.mandarin_speakers - args.mandarin_test_speakers and "train" or "test"
  end
end

-- Output folder -----------------------------------------------------------------------------------------

local out = args.out_dir
local readme_path = vc.fs.join(out, "README.txt")
local work = vc.fs.join(out, ".synthesis")
local ours = vc.fs.exists(readme_path) and vc.fs.read_text(readme_path):sub(1, #kMarker) == kMarker
for _, name in ipairs { "LibriSpeech", "aishell3", ".synthesis" } do
  local path = vc.fs.join(out, name)
  if vc.fs.exists(path) then
    if not ours and name ~= ".synthesis" then
      vc.fail(string.format("%s already exists and %s does not say this recipe made it; choose another out_dir",
        path, readme_path))
    end
    if not os.execute("rm -rf -- " .. espeak.quote(path)) then vc.fail("cannot remove the old " .. path) end
  end
end
vc.fs.mkdir(work)

local function write_readme()
  local lines = {
    kMarker .. " (voxclone " .. vc.version .. ", espeak-ng " .. espeak.version() .. ").",
    "",
    "Every utterance is espeak-ng speech, no recording of a person. The same arguments and espeak-ng",
    "version give byte-identical files.",
    "",
    string.format("Arguments: english_speakers=%d utterances=%d test_speakers=%d mandarin_speakers=%d "
      .. "mandarin_utterances=%d mandarin_test_speakers=%d seed=%d", args.english_speakers, args.utterances,
      args.test_speakers, args.mandarin_speakers, args.mandarin_utterances, args.mandarin_test_speakers, args.seed),
    "",
    "LibriSpeech/ (16 kHz mono FLAC): <subset>/<speaker>/<chapter>/<speaker>-<chapter>-<NNNN>.flac,",
    "<speaker>-<chapter>.trans.txt (upper case) and <speaker>-<chapter>.alignment.txt (librispeech-alignments",
    "format: words and end times, \"\" = silence). Each word was synthesized on its own (espeak-ng -v VOICE",
    "-p PITCH -s SPEED), its silent edges trimmed, and the words joined with seeded pauses, so the word",
    "times are exact to the millisecond.",
    "aishell3/ (44.1 kHz mono 16-bit WAV): <subset>/wav/<speaker>/<speaker><MMMM>.wav and <subset>/content.txt",
    "(characters and tone-numbered pinyin from voxclone's Mandarin text frontend); espeak-ng's",
    "cmn-latn-pinyin voice speaks that pinyin, so audio and transcript agree syllable for syllable.",
    "",
    "speaker   subset           voice                      pitch speed gain sex",
  }
  for _, group in ipairs { english, mandarin } do
    for _, s in ipairs(group) do
      lines[#lines + 1] = string.format("%-9s %-16s %-26s %5d %5d %4.2f %s", s.id, s.subset, s.voice, s.pitch,
        s.speed, s.gain, s.sex)
    end
  end
  vc.fs.write_text(readme_path, table.concat(lines, "\n") .. "\n")
end
write_readme()

-- Audio assembly ----------------------------------------------------------------------------------------

-- Loads an espeak-ng WAV at `rate`, cuts its silent edges (keeping kEdgeKeep), fades the ends in and out
-- so that joined words do not click, and removes the file.
local function load_trimmed(path, rate)
  local s = vc.load_audio(path, rate):samples()
  vc.fs.remove(path)
  local first, last = 1, #s
  while first <= last and math.abs(s[first]) < kSilence do first = first + 1 end
  while last >= first and math.abs(s[last]) < kSilence do last = last - 1 end
  if first > last then vc.fail("espeak-ng wrote silence only: " .. path) end
  local keep = math.floor(kEdgeKeep * rate + 0.5)
  first, last = math.max(1, first - keep), math.min(#s, last + keep)
  local out = table.move(s, first, last, 1, {})
  local fade = math.min(math.floor(kFade * rate + 0.5), #out // 2)
  for k = 1, fade do
    local g = k / (fade + 1)
    out[k], out[#out + 1 - k] = out[k] * g, out[#out + 1 - k] * g
  end
  return out
end

-- A growing list of samples with the speaker's gain applied.
local function new_track(rate, gain)
  return { samples = {}, n = 0, rate = rate, gain = gain }
end

local function add_samples(track, samples)
  local out, n, g = track.samples, track.n, track.gain
  for k = 1, #samples do out[n + k] = samples[k] * g end
  track.n = n + #samples
end

local function add_silence(track, seconds)
  local out, n = track.samples, track.n
  local count = math.floor(seconds * track.rate + 0.5)
  for k = 1, count do out[n + k] = 0 end
  track.n = n + count
end

local function track_seconds(track)
  return string.format("%.3f", track.n / track.rate)
end

local total = #english * args.utterances + #mandarin * args.mandarin_utterances
local progress <close> = vc.progress("synthetic corpus", total, "utt")
local seconds = { en = 0, zh = 0 }

-- English -----------------------------------------------------------------------------------------------

local function make_english_speaker(index, s)
  local r = random.new(args.seed, 3, index)
  local texts = {}
  for u = 1, args.utterances do texts[u] = sentences.english(r) end

  -- Each distinct word once per speaker.
  local jobs, wav_of = {}, {}
  for _, words in ipairs(texts) do
    for _, w in ipairs(words) do
      if not wav_of[w] then
        wav_of[w] = vc.fs.join(work, string.format("%s_%d.wav", s.id, #jobs + 1))
        jobs[#jobs + 1] = { voice = s.voice, pitch = s.pitch, speed = s.speed, text = w, wav = wav_of[w] }
      end
    end
  end
  espeak.synthesize(jobs, args.jobs, work)
  local word_audio = {}
  for _, job in ipairs(jobs) do word_audio[job.text] = load_trimmed(job.wav, kEnglishRate) end

  local dir = vc.fs.mkdir(vc.fs.join(out, "LibriSpeech", s.subset, s.id, s.chapter))
  local trans, align = {}, {}
  for u, words in ipairs(texts) do
    local id = string.format("%s-%s-%04d", s.id, s.chapter, u - 1)
    local track = new_track(kEnglishRate, s.gain)
    local labels, ends = {}, {}
    local function mark(label)
      labels[#labels + 1] = label
      ends[#ends + 1] = track_seconds(track)
    end
    add_silence(track, r:uniform(0.15, 0.35))
    mark("")
    for k, w in ipairs(words) do
      if k > 1 then
        local pause = r:chance(0.45) and 0 or (r:chance(0.75) and r:uniform(0.03, 0.12) or r:uniform(0.2, 0.4))
        if pause > 0 then
          add_silence(track, pause)
          mark("")
        end
      end
      add_samples(track, word_audio[w])
      mark(w:upper())
    end
    add_silence(track, r:uniform(0.2, 0.45))
    mark("")
    vc.audio(track.samples, kEnglishRate):save(vc.fs.join(dir, id .. ".flac"))
    trans[#trans + 1] = id .. " " .. table.concat(words, " "):upper()
    align[#align + 1] = string.format('%s "%s" "%s"', id, table.concat(labels, ","), table.concat(ends, ","))
    seconds.en = seconds.en + track.n / kEnglishRate
    progress:advance()
  end
  local stem = vc.fs.join(dir, s.id .. "-" .. s.chapter)
  vc.fs.write_text(stem .. ".trans.txt", table.concat(trans, "\n") .. "\n")
  vc.fs.write_text(stem .. ".alignment.txt", table.concat(align, "\n") .. "\n")
end

-- LibriSpeech's speaker and chapter lists, same columns.
local function write_librispeech_lists()
  local root = vc.fs.join(out, "LibriSpeech")
  local spk = { "; Synthetic speakers (espeak-ng voices); columns as LibriSpeech's SPEAKERS.TXT",
    ";ID    |SEX| SUBSET           |MINUTES| NAME" }
  local ch = { "; Synthetic chapters, one per speaker; columns as LibriSpeech's CHAPTERS.TXT",
    ";ID     |READER|MINUTES| SUBSET           | PROJ.|BOOK ID| CH. TITLE          | PROJECT TITLE" }
  for _, s in ipairs(english) do
    local minutes = string.format("%5.2f", s.seconds / 60)
    spk[#spk + 1] = string.format("%-6s | %s | %-16s | %s | espeak-ng %s p%d s%d", s.id, s.sex, s.subset, minutes,
      s.voice, s.pitch, s.speed)
    ch[#ch + 1] = string.format("%-7s | %-5s| %s | %-16s | 00000|      0 | Synthetic          | Synthetic", s.chapter,
      s.id, minutes, s.subset)
  end
  vc.fs.write_text(vc.fs.join(root, "SPEAKERS.TXT"), table.concat(spk, "\n") .. "\n")
  vc.fs.write_text(vc.fs.join(root, "CHAPTERS.TXT"), table.concat(ch, "\n") .. "\n")
end

for i, s in ipairs(english) do
  local before = seconds.en
  make_english_speaker(i, s)
  s.seconds = seconds.en - before
end
if #english > 0 then write_librispeech_lists() end

-- Mandarin ----------------------------------------------------------------------------------------------

local content = { train = {}, test = {} }

local function make_mandarin_speaker(index, s, frontend)
  local r = random.new(args.seed, 5, index)
  local items, jobs = {}, {}
  for u = 1, args.mandarin_utterances do
    local hanzi = sentences.mandarin(r)
    local syllables = {}
    for p in frontend:normalize(hanzi):gmatch("%S+") do syllables[#syllables + 1] = p end
    local chars = {}
    for _, c in utf8.codes(hanzi) do chars[#chars + 1] = utf8.char(c) end
    if #syllables ~= #chars then
      error(string.format("the Mandarin frontend gave %d syllables for the %d characters of %s", #syllables,
        #chars, hanzi))
    end
    local pairs_ = {}
    for k, c in ipairs(chars) do
      if not syllables[k]:match("^[a-z]+[1-5]$") then
        error(string.format("the Mandarin frontend read %s in %s as '%s'", c, hanzi, syllables[k]))
      end
      pairs_[#pairs_ + 1] = c .. " " .. syllables[k]
    end
    local id = string.format("%s%04d", s.id, u)
    items[u] = { id = id, line = id .. ".wav\t" .. table.concat(pairs_, " ") }
    jobs[u] = { voice = s.voice, pitch = s.pitch, speed = s.speed, text = table.concat(syllables, " "),
                wav = vc.fs.join(work, id .. ".wav") }
  end
  espeak.synthesize(jobs, args.jobs, work)
  local dir = vc.fs.mkdir(vc.fs.join(out, "aishell3", s.subset, "wav", s.id))
  for u, item in ipairs(items) do
    local track = new_track(kMandarinRate, s.gain)
    add_silence(track, r:uniform(0.2, 0.45))
    add_samples(track, load_trimmed(jobs[u].wav, kMandarinRate))
    add_silence(track, r:uniform(0.25, 0.5))
    vc.audio(track.samples, kMandarinRate):save(vc.fs.join(dir, item.id .. ".wav"))
    local lines = content[s.subset]
    lines[#lines + 1] = item.line
    seconds.zh = seconds.zh + track.n / kMandarinRate
    progress:advance()
  end
end

if #mandarin > 0 then
  for i, s in ipairs(mandarin) do make_mandarin_speaker(i, s, zh_frontend) end
  for _, subset in ipairs { "train", "test" } do
    if #content[subset] > 0 then
      vc.fs.write_text(vc.fs.join(out, "aishell3", subset, "content.txt"), table.concat(content[subset], "\n") .. "\n")
    end
  end
end

progress:finish()
vc.fs.remove(work)
if #english > 0 then
  vc.log.info("English: %d speakers, %d utterances, %.1f min in %s", #english, #english * args.utterances,
    seconds.en / 60, vc.fs.join(out, "LibriSpeech"))
end
if #mandarin > 0 then
  vc.log.info("Mandarin: %d speakers, %d utterances, %.1f min in %s", #mandarin,
    #mandarin * args.mandarin_utterances, seconds.zh / 60, vc.fs.join(out, "aishell3"))
end
