-- Stage recipes as data, so one definition serves the top-level recipe, every recipes/<corpus>/ variant and
-- recipes that chain stages (ESPnet's "settings over one shared pipeline").
--
-- A stage recipe is a module recipes/lib/stages/<name>.lua returning
--   {description = "...", args = {<vc.args specs>}, plan = function(a) return {step, ...} end}
-- where a step is {stage = "<vc.stage name>", opts = {...}, done = function(result) ... end (optional)}.
-- plan() only computes options: running them (or printing them, dry_run=true) is this module's job.
--
--   require("stage_recipe").main("encoder_preprocess")                                -- recipes/encoder_preprocess.lua
--   require("stage_recipe").main("encoder_preprocess", {datasets = "voxceleb1,voxceleb2"})   -- a corpus variant
--   local steps = require("stage_recipe").plan("synthesizer_train", {syn_dir = d, run_dir = r})  -- chaining
local vc = require "voxclone"

local M = {}

local function load(name)
  return require("stages." .. name)
end

local function split_list(text)
  local items = {}
  for item in text:gmatch("[^,]+") do
    item = item:gsub("^%s+", ""):gsub("%s+$", "")
    if item ~= "" then items[#items + 1] = item end
  end
  return items
end

--- Stops with a user error (exit 2) naming the recipe being run, like vc.args' own messages: the line of a
--- shared module would tell the user nothing.
function M.fail(message)
  vc.fail(vc.fs.basename(vc.recipe) .. ": " .. message, 0)
end

--- The vc.args spec of stage recipe `name` with `settings` as the defaults: a corpus variant's settings are
--- defaults the command line can still override. `settings.description` is put before the stage's own.
local function spec_with(name, recipe, settings)
  local spec = {description = recipe.description}
  for key, arg in pairs(recipe.args) do
    local copy = {}
    for field, value in pairs(arg) do copy[field] = value end
    spec[key] = copy
  end
  for key, value in pairs(settings) do
    if key == "description" then
      spec.description = value .. "\n\n" .. recipe.description
    elseif spec[key] == nil then
      -- A mistake in a shipped variant, not the user's: an ordinary error with its location (exit 1).
      error(string.format("stage recipe %s has no argument '%s' to set", name, key), 3)
    else
      spec[key].default = value
      spec[key].required = nil
    end
  end
  spec.dry_run = {type = "bool", default = false,
                  help = "print each stage with its effective options (checked by the stage) instead of running it"}
  return spec
end

local function format_value(v)
  if type(v) == "table" then
    local parts = {}
    for i, x in ipairs(v) do parts[i] = format_value(x) end
    return "[" .. table.concat(parts, ", ") .. "]"
  elseif type(v) == "string" then
    return string.format("%q", v)
  end
  return tostring(v)
end

--- Runs `steps` in order, or prints the configuration each stage would get (vc.stage_config checks every
--- option name and type against the stage, so a dry run refuses what a real run would).
function M.run(steps, dry_run)
  for _, step in ipairs(steps) do
    if dry_run then
      local config = vc.stage_config(step.stage, step.opts)
      local keys = {}
      for key in pairs(config) do keys[#keys + 1] = key end
      table.sort(keys)
      print("stage " .. step.stage)
      if step.opts.checkpoint then print("  checkpoint = " .. format_value(step.opts.checkpoint)) end
      for _, key in ipairs(keys) do print("  " .. key .. " = " .. format_value(config[key])) end
    else
      local result = vc.stage(step.stage, step.opts)
      if step.done then step.done(result) end
    end
  end
end

--- The whole recipe: arguments from the command line over `settings` (optional corpus defaults), then the
--- stage recipe's steps, run or (dry_run=true) printed.
function M.main(name, settings)
  local recipe = load(name)
  local a = vc.args(spec_with(name, recipe, settings or {}))
  M.run(recipe.plan(a), a.dry_run)
end

--- The steps of stage recipe `name` for `values` (argument name → value; defaults fill the rest), for a recipe
--- that chains several stage recipes. A name the stage recipe does not declare, or a required one left out,
--- is an error of the calling recipe.
function M.plan(name, values)
  local recipe = load(name)
  for key in pairs(values) do
    if recipe.args[key] == nil then error(string.format("stage recipe %s has no argument '%s'", name, key), 2) end
  end
  local a = {}
  for key, spec in pairs(recipe.args) do
    local v = values[key]
    if v == nil then v = spec.default end
    if spec.type == "list" and type(v) == "string" then v = split_list(v) end
    if v == nil and spec.required then
      error(string.format("stage recipe %s: argument '%s' is required", name, key), 2)
    end
    a[key] = v
  end
  -- Reading an undeclared name is a typo in plan(), as with vc.args' result.
  setmetatable(a, {__index = function(_, key)
    if recipe.args[key] == nil then error(string.format("stage recipe %s has no argument '%s'", name, key), 2) end
  end})
  return recipe.plan(a)
end

return M
