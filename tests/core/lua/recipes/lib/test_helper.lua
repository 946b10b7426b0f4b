-- A module for the require tests: found through <recipe dir>/lib and <recipe dir>/../lib.
local M = {}

function M.greet(who)
  return "hello " .. who
end

return M
