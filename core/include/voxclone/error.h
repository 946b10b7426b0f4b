// The one error type that crosses the plugin boundary: user mistakes (exit 2) vs internal failures (exit 1).
#pragma once

#include <stdexcept>
#include <string>

namespace voxclone {

enum class ErrorKind { User, Internal };

/// Thrown by core and plugins alike. `what()` is one line saying what and where.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message);
  ~Error() override;  // out of line: the vtable and typeinfo live in libvoxclone_core only
  ErrorKind kind() const noexcept { return kind_; }
  /// 2 for user errors (bad input, usage), 1 for internal failures.
  int exit_code() const noexcept { return kind_ == ErrorKind::User ? 2 : 1; }

 private:
  ErrorKind kind_;
};

/// Bad input, bad option, missing file: the user can fix it. Exit code 2.
class UserError : public Error {
 public:
  explicit UserError(const std::string& message);
  ~UserError() override;
};

/// A bug or an environment failure. Exit code 1.
class InternalError : public Error {
 public:
  explicit InternalError(const std::string& message);
  ~InternalError() override;
};

}  // namespace voxclone
