// The CLI given bad input: exit 2, a message naming the file and the problem, nothing written.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "tests/e2e/cli_refusal_fixture.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::run_tapegrid;
using testing::snapshot_directory;

using CliBadInput = testing::CliRefusal;
using testing::kGoodRows;
using testing::kHeader;
using testing::quoted;

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
