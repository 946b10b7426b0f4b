// Out-of-line members of the error types so their typeinfo is unique across plugins.
#include "voxclone/error.h"

namespace voxclone {

Error::Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
Error::~Error() = default;
UserError::UserError(const std::string& message) : Error(ErrorKind::User, message) {}
UserError::~UserError() = default;
InternalError::InternalError(const std::string& message) : Error(ErrorKind::Internal, message) {}
InternalError::~InternalError() = default;

}  // namespace voxclone
