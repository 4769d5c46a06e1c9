// A fixture for CLI commands that must be refused: a store and an output directory that a
// refused command must leave exactly as they were, and a folder for inputs.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace tapegrid::testing {

namespace fs = std::filesystem;

const char* const kHeader = "Date,Open,High,Low,Close,Volume\n";
const char* const kGoodRows = "2024-01-02,10,11,9,10.5,100\n2024-01-03,10.5,12,10,11,200\n";

inline std::string quoted(const std::string& path) {
    return "'" + path + "'";
}

// A store holding one small recording, an output directory holding one unrelated file, and a
// folder for inputs; every refused command must leave the first two exactly as they were.
class CliRefusal : public ::testing::Test {
  protected:
    void SetUp() override {
        fs::create_directories(inputs_);
        fs::create_directories(out_);
        testing::write_text(out_ + "/keep.txt", "unrelated");
        const CommandResult generated =
            run_tapegrid("generate --symbols 1 --bars 20 --seed 3 --store " + quoted(store_));
        ASSERT_EQ(generated.exit_code, 0) << generated.err;
    }

    std::string input(const std::string& name, const std::string& text) const {
        const std::string path = inputs_ + "/" + name;
        testing::write_text(path, text);
        return path;
    }

    // Runs `arguments` with --store, expects exit 2 with every fragment in stderr, and checks that
    // the store and the output directory did not change.
    CommandResult expect_refused(const std::string& arguments, const std::vector<std::string>& fragments) {
        const auto store_before = snapshot_directory(store_);
        const auto out_before = snapshot_directory(out_);
        const CommandResult result = run_tapegrid(arguments + " --store " + quoted(store_));
        EXPECT_EQ(result.exit_code, 2) << arguments << "\nstderr: " << result.err;
        for (const auto& fragment : fragments)
            EXPECT_NE(result.err.find(fragment), std::string::npos)
                << "missing '" << fragment << "' in stderr: " << result.err;
        EXPECT_EQ(snapshot_directory(store_), store_before) << "the store changed: " << arguments;
        EXPECT_EQ(snapshot_directory(out_), out_before) << "the output directory changed: " << arguments;
        return result;
    }

    // A bad CSV is refused both into the store and into an -o file, and names the file.
    void expect_import_refused(const std::string& csv, std::vector<std::string> fragments) {
        fragments.insert(fragments.begin(), csv);
        for (const std::string& output : {std::string(), " -o " + quoted(out_ + "/rec.h5")}) {
            expect_refused("import " + quoted(csv) + output, fragments);
            EXPECT_FALSE(fs::exists(out_ + "/rec.h5"));
        }
    }

    // A generated two-symbol recording outside the store.
    std::string generated_recording(const std::string& name) const {
        const std::string path = inputs_ + "/" + name;
        const CommandResult result = run_tapegrid("generate --symbols 2 --bars 5000 --seed 11 -o " + quoted(path));
        EXPECT_EQ(result.exit_code, 0) << result.err;
        return path;
    }

    testing::TemporaryDirectory root_;
    const std::string inputs_ = root_.file("inputs");
    const std::string out_ = root_.file("out");
    const std::string store_ = root_.file("store");
};

}  // namespace tapegrid::testing
