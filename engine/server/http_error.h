// An answer other than success, with its HTTP status: what a handler throws for a client's
// mistake. The server turns it into {"success": false, "error": message}.
#pragma once

#include <stdexcept>
#include <string>

namespace tapegrid {

class HttpError : public std::runtime_error {
  public:
    HttpError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
    int status() const { return status_; }

  private:
    int status_;
};

}  // namespace tapegrid
