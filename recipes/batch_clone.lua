-- Batch cloning from a CSV/TSV list with the columns reference, text, output and optionally seed.
-- Resumable: a row whose output already exists (a WAV voxclone wrote) is skipped. A bad row is reported and the
-- rest go on; the report lists every row's outcome, and the exit code is 2 if any row failed.
--   voxclone run recipes/batch_clone.lua list=jobs.tsv
--   jobs.tsv:  reference<TAB>text<TAB>output<TAB>seed
--              voices/anna.wav<TAB>Good morning, everyone.<TAB>out/anna_1.wav<TAB>3
-- Relative paths in the list are relative to the list's folder.
local vc = require "voxclone"
local clone_args = require "clone_args"
local delimited = require "delimited"

local a = vc.args(clone_args.add {
  description = "Clones every row of a CSV/TSV list (reference, text, output[, seed]); resumable",
  list = { type = "path", required = true, help = "the list: .csv or .tsv with a header row" },
  report = { type = "path", help = "outcome of every row as TSV (default: <list>.report.tsv)" },
  seed = { type = "int", default = 0, help = "seed of rows without one" },
})

local text = vc.fs.read_text(a.list)
local rows, header = delimited.read(a.list, text)
if not rows then vc.fail(a.list .. ": " .. header, 2) end
local columns = {}
for _, name in ipairs(header) do columns[name] = true end
for _, need in ipairs { "reference", "text", "output" } do
  if not columns[need] then
    vc.fail(string.format("%s: no '%s' column (the header must name reference, text, output[, seed])", a.list, need), 2)
  end
end

local base = vc.fs.dirname(a.list)
local function resolve(p) return vc.fs.join(base, p) end  -- an absolute p stays as it is

local cloner = clone_args.cloner(a)
local report_path = a.report or (a.list .. ".report.tsv")
local report = { "line\tstatus\toutput\tmessage" }
local done, skipped, failed = 0, 0, 0
local progress = vc.progress("batch_clone", #rows, "row")

-- One row; returns status, message. Errors inside (unreadable audio, empty text ...) come back from pcall.
local function clone_row(row)
  if row.extra then return "failed", "more fields than the header names" end
  local ref, out, words = row.reference or "", row.output or "", row.text or ""
  if ref == "" or out == "" then return "failed", "reference and output are required" end
  if not out:match("%.wav$") then return "failed", "output must be a .wav file" end
  local seed = a.seed
  if row.seed and row.seed ~= "" then
    seed = math.tointeger(tonumber(row.seed))
    if not seed then return "failed", "seed '" .. row.seed .. "' is not an integer" end
  end
  out = resolve(out)
  if vc.fs.exists(out) and not a.overwrite then return "skipped", "output exists" end
  vc.fs.mkdir(vc.fs.dirname(out))
  local ok, r = pcall(cloner.clone, cloner, { voices = { resolve(ref) }, text = words, out = out, seed = seed,
                                             candidates = a.candidates, max_steps = a.max_steps })
  if not ok then return "failed", tostring(r):gsub("[\r\n]+", " ") end
  return "done", string.format("%.2f s, similarity %.3f", r.seconds, r.similarity)
end

for _, row in ipairs(rows) do
  local status, message = clone_row(row)
  if status == "done" then
    done = done + 1
  elseif status == "skipped" then
    skipped = skipped + 1
  else
    failed = failed + 1
    vc.log.error("%s line %d: %s", a.list, row.line, message)
  end
  report[#report + 1] = string.format("%d\t%s\t%s\t%s", row.line, status, row.output or "", message)
  vc.fs.write_text(report_path, table.concat(report, "\n") .. "\n")  -- kept current: an interrupted run leaves it
  progress:advance(1)
end
progress:finish()

vc.log.info("%d rows: %d cloned, %d skipped (already done), %d failed; report %s", #rows, done, skipped, failed,
            report_path)
if failed > 0 then vc.fail(string.format("%d of %d rows failed (see %s)", failed, #rows, report_path), 0) end
