// Force-included into every test file: Debian's LibTorch pulls in glog, whose CHECK(cond) would silently
// replace Catch2's CHECK (aborting instead of reporting). Include it first and drop glog's CHECK.
#pragma once
#include <c10/util/Logging.h>
#undef CHECK
