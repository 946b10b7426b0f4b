// Test helpers: finding fixture files (tests/fixtures first, then ../shared/fixtures) and reading the
// reference .pt dictionaries written by the Python tools.
#pragma once

#include <ATen/core/Tensor.h>

#include <map>
#include <string>
#include <vector>

namespace vctest {

/// Path of `rel` under tests/fixtures/ if present there, else under ../shared/fixtures/ (or
/// $VOXCLONE_SHARED/fixtures), else "".
std::string find_fixture(const std::string& rel);

/// find_fixture, or end this test case as skipped (exit 77, reported by ctest) with a visible message.
std::string fixture_or_skip(const std::string& rel);

/// Path under ../shared/data (or $VOXCLONE_SHARED/data), or skip as above.
std::string shared_data_or_skip(const std::string& rel);

/// A whole file as text ("" when it cannot be read).
std::string read_text(const std::string& path);

/// The rows of an SV2TTS train.txt (or any '|'-separated file), split on '|'; empty lines skipped.
std::vector<std::vector<std::string>> train_rows(const std::string& path);

/// A plain dict[str, Tensor] saved by torch.save (zip format).
std::map<std::string, at::Tensor> load_pt_dict(const std::string& path);

/// Max |a - b| over all elements (both converted to float64).
double max_abs_diff(const at::Tensor& a, const at::Tensor& b);

/// A fresh empty directory under the build tree's test scratch folder, unique to this process.
std::string scratch_dir(const std::string& name);

/// Runs a shell command; returns its exit status (-1 if it did not exit normally). stdout and stderr
/// together go to `out` when given.
int run_command(const std::string& cmd, std::string* out = nullptr);

/// Returns when `program` is on the PATH; otherwise skips the case (exit 77) saying which package to install.
void program_or_skip(const std::string& program, const std::string& package);

/// A python3 that imports torch ($VOXCLONE_PYTHON, python3, /usr/bin/python3), or skip the case (exit 77).
std::string python_with_torch_or_skip();

/// Path of a built binary or plugin folder.
std::string voxclone_binary();
std::string plugin_dir();

}  // namespace vctest
