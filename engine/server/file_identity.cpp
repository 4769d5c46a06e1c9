// File identities, from stat(2).
#include "engine/server/file_identity.h"

#include <sys/stat.h>

namespace tapegrid {

std::optional<FileIdentity> file_identity(const std::string& path) {
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0 || !S_ISREG(status.st_mode)) return std::nullopt;
    return FileIdentity{status.st_size, status.st_mtim.tv_sec * 1'000'000'000LL + status.st_mtim.tv_nsec,
                        status.st_ino};
}

}  // namespace tapegrid
