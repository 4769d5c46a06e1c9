// Dependencies point down only: every #include of the sources stays within what the layer table
// of docs/ARCHITECTURE.md allows its folder (the table is the one place the layers are written).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = TAPEGRID_SOURCE_DIR;

// folder -> the folders it may include, from the table's rows: | `folder/` | holds | `a/`, `b/` |
// "every folder above" allows every folder of the rows before.
std::map<std::string, std::set<std::string>> layer_table() {
    std::ifstream in(kSource / "docs/ARCHITECTURE.md");
    const std::regex row(R"(^\| `([a-z0-9_/]+)/` \|.*\|(.*)\|$)");
    const std::regex folder(R"(`([a-z0-9_/]+)/`)");
    std::map<std::string, std::set<std::string>> allowed;
    std::vector<std::string> above;
    for (std::string line; std::getline(in, line);) {
        std::smatch match;
        if (!std::regex_match(line, match, row)) continue;
        const std::string name = match[1];
        const std::string may_include = match[2];
        std::set<std::string> folders;
        if (may_include.find("every folder above") != std::string::npos) folders.insert(above.begin(), above.end());
        for (std::sregex_iterator it(may_include.begin(), may_include.end(), folder), end; it != end; ++it)
            folders.insert((*it)[1]);
        allowed[name] = folders;
        above.push_back(name);
    }
    return allowed;
}

struct Include {
    std::string file;  // relative to the source tree
    int line;
    std::string target;
};

std::vector<Include> project_includes() {
    std::vector<Include> includes;
    const std::regex include(R"re(^\s*#\s*include\s+"([^"]+)")re");
    for (const char* root : {"engine", "io", "strategies"}) {
        for (const auto& entry : fs::recursive_directory_iterator(kSource / root)) {
            const std::string extension = entry.path().extension().string();
            if (!entry.is_regular_file() || (extension != ".h" && extension != ".cpp")) continue;
            std::ifstream in(entry.path());
            int number = 0;
            for (std::string line; std::getline(in, line);) {
                ++number;
                std::smatch match;
                if (std::regex_search(line, match, include))
                    includes.push_back({fs::relative(entry.path(), kSource).string(), number, match[1]});
            }
        }
    }
    return includes;
}

TEST(Layering, TheTableNamesEverySourceFolder) {
    const auto allowed = layer_table();
    ASSERT_GE(allowed.size(), 10u) << "docs/ARCHITECTURE.md's layer table was not found";
    for (const char* root : {"engine", "io"})
        for (const auto& entry : fs::directory_iterator(kSource / root))
            if (entry.is_directory()) {
                const std::string folder = fs::relative(entry.path(), kSource).string();
                EXPECT_TRUE(allowed.count(folder)) << folder << " has no row in docs/ARCHITECTURE.md's layer table";
            }
    EXPECT_TRUE(allowed.count("strategies"));
    EXPECT_TRUE(allowed.at("engine/core").empty()) << "the bottom layer includes nothing of the project";
}

TEST(Layering, EveryIncludePointsDown) {
    const auto allowed = layer_table();
    std::ostringstream violations;
    std::size_t checked = 0;
    for (const Include& include : project_includes()) {
        ++checked;
        const std::string from = fs::path(include.file).parent_path().string();
        const std::string to = fs::path(include.target).parent_path().string();
        if (to == from) continue;
        const auto rule = allowed.find(from);
        if (rule == allowed.end() || !rule->second.count(to))
            violations << include.file << ":" << include.line << ": includes " << include.target << ", but " << from
                       << "/ may not include " << to << "/ (docs/ARCHITECTURE.md)\n";
    }
    EXPECT_GT(checked, 300u);
    EXPECT_EQ(violations.str(), "");
}

}  // namespace
}  // namespace tapegrid
