-- require through <recipe dir>/../lib.
local helper = require "test_helper"
print(helper.greet("from sub"))
