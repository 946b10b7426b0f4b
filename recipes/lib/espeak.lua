-- The espeak-ng command-line synthesizer from recipes: is it installed, its version, its voices and
-- variants, and batches of `espeak-ng -w FILE TEXT` runs spread over a few parallel lanes.
local vc = require "voxclone"

local M = {}

--- `s` as one word for /bin/sh.
function M.quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

local function capture(command)
  local pipe = io.popen(command .. " 2>&1")
  if not pipe then return nil end
  local text = pipe:read("a")
  local ok = pipe:close()
  return ok and text or nil
end

--- True when an `espeak-ng` program is on the PATH.
function M.available()
  return os.execute("command -v espeak-ng >/dev/null 2>&1") == true
end

--- The version number, e.g. "1.51" (the whole first line when it has no recognisable number).
function M.version()
  local text = capture("espeak-ng --version") or ""
  local line = text:match("[^\n]*")
  return line:match("text%-to%-speech:%s*(%S+)") or line
end

-- `espeak-ng --voices=X` rows: priority, language, age/gender, name, file, other languages.
local function voice_rows(filter)
  local rows = {}
  local text = capture("espeak-ng --voices=" .. M.quote(filter)) or ""
  for line in text:gmatch("[^\n]+") do
    local language, gender, file = line:match("^%s*%d+%s+(%S+)%s+%S*/(%a)%s+%S+%s+(%S+)")
    if language then rows[#rows + 1] = { language = language, gender = gender, file = file } end
  end
  return rows
end

--- Set of the language codes espeak-ng's own voices (not MBROLA's) offer for `language` ("en", "cmn").
function M.voices(language)
  local set = {}
  for _, row in ipairs(voice_rows(language)) do
    if not row.file:match("^mb/") then set[row.language] = true end
  end
  return set
end

--- Map from variant name ("m3", "f2", "klatt", ...) to "M" or "F".
function M.variants()
  local map = {}
  for _, row in ipairs(voice_rows("variant")) do
    local name = row.file:match("^!v/(.+)$")
    if name then map[name] = row.gender end
  end
  return map
end

--- Runs every job {voice=, pitch=, speed=, text=, wav=} (`espeak-ng -v voice -p pitch -s speed -w wav
--- text`, a 22,050 Hz WAV each) with up to `lanes` programs at a time. `log_dir` keeps each lane's
--- messages; a failed run stops the recipe naming the job and espeak-ng's message.
function M.synthesize(jobs, lanes, log_dir)
  local per_call = 400  -- keeps each shell command line far below the system's limit
  for first = 1, #jobs, per_call do
    local last = math.min(#jobs, first + per_call - 1)
    local lane_commands = {}
    for i = first, last do
      local j = jobs[i]
      local lane = (i - first) % lanes + 1
      local cmd = string.format("espeak-ng -v %s -p %d -s %d -w %s %s || { echo %s; exit 1; }",
        M.quote(j.voice), j.pitch, j.speed, M.quote(j.wav), M.quote(j.text),
        M.quote("failed: " .. j.voice .. " '" .. j.text .. "'"))
      lane_commands[lane] = (lane_commands[lane] and lane_commands[lane] .. "; " or "") .. cmd
    end
    local parts, logs = {}, {}
    for lane, commands in ipairs(lane_commands) do
      logs[lane] = vc.fs.join(log_dir, "lane" .. lane .. ".log")
      parts[#parts + 1] = string.format("( %s ) >%s 2>&1 & p%d=$!", commands, M.quote(logs[lane]), lane)
    end
    local waits = {}
    for lane = 1, #lane_commands do waits[#waits + 1] = string.format("wait $p%d || s=1", lane) end
    local script = table.concat(parts, "; ") .. "; s=0; " .. table.concat(waits, "; ") .. "; exit $s"
    local ok = os.execute(script)
    for lane, log in ipairs(logs) do
      local message = vc.fs.exists(log) and vc.fs.read_text(log) or ""
      vc.fs.remove(log)
      if not ok and message:match("failed: ") then
        vc.fail("espeak-ng " .. message:gsub("%s+", " "):gsub(" $", ""), 2)
      end
    end
    if not ok then vc.fail("espeak-ng: a batch of syntheses failed without a message", 2) end
  end
end

return M
