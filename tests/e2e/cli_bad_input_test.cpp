// The CLI given bad input: exit 2, a message naming the file and the problem, nothing written.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::run_tapegrid;
using testing::snapshot_directory;

const char* const kHeader = "Date,Open,High,Low,Close,Volume\n";
const char* const kGoodRows = "2024-01-02,10,11,9,10.5,100\n2024-01-03,10.5,12,10,11,200\n";

std::string quoted(const std::string& path) {
    return "'" + path + "'";
}

// A store holding one small recording, an output directory holding one unrelated file, and a
// folder for inputs; every refused command must leave the first two exactly as they were.
class CliBadInput : public ::testing::Test {
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

TEST_F(CliBadInput, GoodCsvImportsSoTheFailuresBelowAreTheInputs) {
    const std::string csv = input("good.csv", std::string(kHeader) + kGoodRows);
    const CommandResult result = run_tapegrid("import " + quoted(csv) + " -o " + quoted(out_ + "/good.h5"));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_TRUE(fs::is_regular_file(out_ + "/good.h5"));
}

TEST_F(CliBadInput, ImportOfMissingFileNamesIt) {
    expect_import_refused(inputs_ + "/absent.csv", {"cannot open: No such file or directory"});
}

TEST_F(CliBadInput, ImportOfEmptyCsvSaysItIsEmpty) {
    expect_import_refused(input("empty.csv", ""), {"the file is empty"});
}

TEST_F(CliBadInput, ImportWithoutCloseColumnNamesTheColumn) {
    expect_import_refused(input("noclose.csv", "Date,Open,High,Low,Volume\n2024-01-02,1,1,1,0\n"),
                          {":1: missing column 'close'", "--map close=NAME"});
}

TEST_F(CliBadInput, ImportOfGarbageLineGivesItsLineNumber) {
    const std::string text = std::string(kHeader) + kGoodRows + "2024-01-04,10,11,x9,10.5,100\n";
    expect_import_refused(input("garbage.csv", text), {":4: column 'Low': expected a number, found 'x9'"});
}

TEST_F(CliBadInput, ImportOfNaNCloseNamesRowAndValue) {
    const std::string text = std::string(kHeader) + kGoodRows + "2024-01-04,10,11,9,nan,100\n";
    expect_import_refused(input("nan.csv", text), {":4: close: expected a finite positive price, found nan"});
}

TEST_F(CliBadInput, ImportOfNegativePriceNamesRowAndValue) {
    const std::string text = std::string(kHeader) + "2024-01-02,-10,11,9,10.5,100\n" + "2024-01-03,10,11,9,10,1\n";
    expect_import_refused(input("negative.csv", text), {":2: open: expected a finite positive price, found -10"});
}

TEST_F(CliBadInput, ImportOfHighBelowLowNamesBoth) {
    const std::string text = std::string(kHeader) + kGoodRows + "2024-01-04,10,8,12,10,100\n";
    expect_import_refused(input("inverted.csv", text), {":4: expected low <= high, found low 12 > high 8"});
}

TEST_F(CliBadInput, ImportOfOutOfOrderTimestampsNamesBoth) {
    const std::string text = std::string(kHeader) + kGoodRows + "2024-01-01,10,11,9,10.5,100\n";
    expect_import_refused(input("order.csv", text),
                          {":4: timestamp 2024-01-01T00:00:00Z is before the previous bar's 2024-01-03T00:00:00Z"});
}

TEST_F(CliBadInput, ImportOfDuplicatedTimestampNamesIt) {
    const std::string text = std::string(kHeader) + kGoodRows + "2024-01-03,10,11,9,10.5,100\n";
    expect_import_refused(input("dup.csv", text), {":4: duplicated timestamp 2024-01-03T00:00:00Z"});
}

TEST_F(CliBadInput, UnknownOptionIsAUserError) {
    const std::string csv = input("good.csv", std::string(kHeader) + kGoodRows);
    expect_refused("import " + quoted(csv) + " --no-such-option",
                   {"unrecognised option '--no-such-option'", "usage: tapegrid import"});
    expect_refused("export --bogus 1", {"unrecognised option '--bogus'"});
    expect_refused("no-such-command", {"unknown command 'no-such-command'"});
}

TEST_F(CliBadInput, ImportRefusesToOverwriteExistingOutput) {
    const std::string csv = input("good.csv", std::string(kHeader) + kGoodRows);
    const std::string existing = out_ + "/keep.txt";
    expect_refused("import " + quoted(csv) + " -o " + quoted(existing), {existing + ": already exists"});
    EXPECT_EQ(testing::read_text(existing), "unrelated");
}

TEST_F(CliBadInput, ShowOfRandomBytesSaysNotHdf5) {
    std::mt19937 random(1);
    std::string bytes(8192, '\0');
    for (auto& byte : bytes) byte = static_cast<char>(random());
    const std::string path = input("random.h5", bytes);
    expect_refused("recordings show " + quoted(path), {path, "not an HDF5 file"});
    expect_refused("export " + quoted(path) + " --format csv -o " + quoted(out_ + "/x"), {path, "not an HDF5 file"});
    EXPECT_FALSE(fs::exists(out_ + "/x"));
}

TEST_F(CliBadInput, TruncatedRecordingIsRefusedNotCrashed) {
    const std::string whole = generated_recording("whole.h5");
    const std::string truncated = inputs_ + "/truncated.h5";
    fs::copy_file(whole, truncated);
    fs::resize_file(truncated, fs::file_size(whole) / 2);
    expect_refused("recordings show " + quoted(truncated), {truncated, "truncated"});
    expect_refused("export " + quoted(truncated) + " --format csv -o " + quoted(out_ + "/x"), {truncated, "truncated"});
    EXPECT_FALSE(fs::exists(out_ + "/x"));
}

TEST_F(CliBadInput, RecordingWithCorruptedMiddleIsRefusedNotCrashed) {
    const std::string whole = generated_recording("whole.h5");
    const auto size = fs::file_size(whole);
    // Three places, so that the bytes hit whatever lies there: column chunks, heaps or headers.
    for (const int percent : {60, 20, 90}) {
        SCOPED_TRACE(std::to_string(percent) + "%");
        const std::string path = inputs_ + "/corrupt-" + std::to_string(percent) + ".h5";
        fs::copy_file(whole, path);
        {
            std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
            file.seekp(static_cast<std::streamoff>(size * percent / 100));
            std::mt19937 random(static_cast<unsigned>(percent));
            std::string bytes(4096, '\0');
            for (auto& byte : bytes) byte = static_cast<char>(random());
            file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
            ASSERT_TRUE(file.good());
        }
        ASSERT_EQ(fs::file_size(path), size);
        const CommandResult result =
            expect_refused("export " + quoted(path) + " --format csv -o " + quoted(out_ + "/x"), {path, "corrupted"});
        EXPECT_LT(result.exit_code, 128) << "crashed: " << result.err;
        EXPECT_FALSE(fs::exists(out_ + "/x"));
    }
}

TEST_F(CliBadInput, ExportOfUnknownRecordingIdNamesIt) {
    expect_refused("export 0badc0de-0000-4000-8000-000000000000 --format csv -o " + quoted(out_ + "/x"),
                   {"'0badc0de-0000-4000-8000-000000000000': no such recording"});
    expect_refused("export 0badc0de --format json -o " + quoted(out_ + "/x"), {"'0badc0de': no such recording"});
    EXPECT_FALSE(fs::exists(out_ + "/x"));
}

}  // namespace
}  // namespace tapegrid
