// Loopback addresses and token comparison.
#include "engine/server/server_options.h"

#include <arpa/inet.h>

namespace tapegrid {

bool is_loopback_host(const std::string& host) {
    if (host == "localhost" || host == "::1") return true;
    in_addr address{};
    if (::inet_pton(AF_INET, host.c_str(), &address) != 1) return false;
    return (ntohl(address.s_addr) >> 24) == 127;
}

bool tokens_equal(const std::string& presented, const std::string& expected) {
    // Every byte of the longer one is looked at whatever the others hold, so the time taken
    // tells an attacker nothing about how much of a guess was right.
    const std::size_t length = std::max(presented.size(), expected.size());
    unsigned difference = presented.size() == expected.size() ? 0U : 1U;
    for (std::size_t i = 0; i < length; ++i) {
        const unsigned char a = i < presented.size() ? static_cast<unsigned char>(presented[i]) : 0;
        const unsigned char b = i < expected.size() ? static_cast<unsigned char>(expected[i]) : 0;
        difference |= static_cast<unsigned>(a ^ b);
    }
    return difference == 0;
}

}  // namespace tapegrid
