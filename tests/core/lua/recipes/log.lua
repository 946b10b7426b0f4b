-- vc.log formatting and a progress bar.
local vc = require "voxclone"
vc.log.info("%d items in %s", 3, "folder")
vc.log.warn("100% plain")
do
  local p <close> = vc.progress("work", 3)
  p:advance()
  p:postfix("ok")
  p:advance(2)
end
print("done")
