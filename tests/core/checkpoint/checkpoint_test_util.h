// Helpers of the checkpoint tests: finding a Python with torch, running the reference script, reading dumps.
#pragma once

#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

#include "voxclone/checkpoint.h"

namespace cktest {

/// A python3 that imports torch ($VOXCLONE_PYTHON, python3, /usr/bin/python3), or skip the case (exit 77).
std::string python_or_skip();

/// Runs tests/core/checkpoint/torch_reference.py with `args`; returns its exit status, output in `out`.
int run_reference(const std::string& args, std::string* out = nullptr);

/// One line of the dump manifest written by `torch_reference.py dump`.
struct ManifestEntry {
  std::string kind;  // tensor, int, float, bool, none, str
  std::string name;
  std::string value;  // dtype for tensors; hex UTF-8 for str
  std::string shape;  // tensors: "2,3,4"
};
std::vector<ManifestEntry> read_manifest(const std::string& path);

/// Values of every leaf that is not a tensor, flattened with the dump's naming.
std::vector<std::pair<std::string, voxclone::ckpt::Value>> flatten_scalars(const voxclone::ckpt::Value& v);

std::vector<char> read_bytes(const std::string& path);

}  // namespace cktest
