-- Helpers shared by recipes: text lists, output paths, saving audio with its effective configuration.
local vc = require "voxclone"

local M = {}

--- The lines of a text file, trimmed, without blank lines and '#' comments (lists of texts, speakers).
function M.read_lines(path)
  local lines = {}
  for line in (vc.fs.read_text(path) .. "\n"):gmatch("([^\n]*)\n") do
    line = line:gsub("^%s+", ""):gsub("%s+$", "")
    if line ~= "" and line:sub(1, 1) ~= "#" then lines[#lines + 1] = line end
  end
  return lines
end

--- Creates `dir` when needed and returns dir/stem.ext.
function M.output_path(dir, stem, ext)
  vc.fs.mkdir(dir)
  return vc.fs.join(dir, stem .. "." .. ext)
end

--- Saves `audio` to `path` (options as audio:save) and the effective configuration of every component
--- created so far next to it (same stem, .toml). Returns both paths.
function M.save_with_config(audio, path, opts)
  audio:save(path, opts)
  local config = vc.fs.join(vc.fs.dirname(path), vc.fs.stem(path) .. ".toml")
  vc.write_config(config)
  return path, config
end

--- Stops the recipe with a user error (exit code 2) naming the caller's line unless `path` is a folder.
function M.require_dir(path, what)
  if not vc.fs.isdir(path) then
    vc.fail(string.format("%s '%s' is not a directory", what or "folder", path), 2)
  end
  return path
end

--- Seconds as "h:mm:ss" (or "m:ss" under an hour) for log lines.
function M.format_seconds(seconds)
  local s = math.floor(seconds + 0.5)
  if s >= 3600 then
    return string.format("%d:%02d:%02d", s // 3600, (s // 60) % 60, s % 60)
  end
  return string.format("%d:%02d", s // 60, s % 60)
end

return M
