// Bad recordings are refused with a message naming the file, the dataset, what was expected and found.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>

#include "engine/core/errors.h"
#include "io/hdf5/hdf5_attribute.h"
#include "io/hdf5/hdf5_handle.h"
#include "io/hdf5/recording_file_writer.h"
#include "io/hdf5/recording_reader.h"
#include "io/hdf5/recording_recovery.h"
#include "io/hdf5/recording_seal.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

using testing::TemporaryDirectory;

// The message of the UserError that `action` throws ("" when it throws none).
template <class Action>
std::string user_error_of(Action action) {
    try {
        action();
    } catch (const UserError& error) {
        return error.what();
    }
    return "";
}

std::string write_sample(const TemporaryDirectory& directory, const std::string& name,
                         void (*edit)(Recording&) = nullptr) {
    Recording recording = testing::make_sample_recording();
    if (edit != nullptr) edit(recording);
    const std::string path = directory.file(name);
    write_recording_file(path, recording);
    return path;
}

// Edits the file with HDF5, as another program could, then reseals it so that the edit
// reaches tapegrid's own checks (an unresealed edit is refused as corruption).
void with_file(const std::string& path, void (*edit)(hid_t file)) {
    {
        h5::Handle file = h5::open_file(path, H5F_ACC_RDWR, H5P_DEFAULT, path);
        edit(file.get());
    }
    seal_recording(path);
}

TEST(RecordingBadInput, MissingFileIsNamed) {
    const std::string message = user_error_of([] { load_recording("/nonexistent/x.h5"); });
    EXPECT_NE(message.find("/nonexistent/x.h5: no such file"), std::string::npos) << message;
}

TEST(RecordingBadInput, TruncatedFileIsRefused) {
    TemporaryDirectory directory;
    const std::string path = write_sample(directory, "t.h5");
    const auto size = std::filesystem::file_size(path);
    std::filesystem::resize_file(path, size / 2);
    const std::string message = user_error_of([&] { load_recording(path); });
    EXPECT_EQ(message.find(path + ": size mismatch: " + std::to_string(size / 2 - 512) +
                           " bytes after the header, the seal says " + std::to_string(size - 512) +
                           ": the file was truncated, corrupted or changed by another program"),
              0u)
        << message;
}

TEST(RecordingBadInput, TruncatedUnsealedFileIsRefusedByHdf5) {
    TemporaryDirectory directory;
    const std::string path = write_sample(directory, "u.h5");
    // An unsealed file (a recorder died before sealing it) is checked by HDF5 alone.
    h5::Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose).reset();
    std::string bytes = testing::read_text(path);
    bytes.replace(0, 512, std::string("tapegrid recording\nseal: none\n").append(512 - 30, '\0'));
    testing::write_text(path, bytes.substr(0, bytes.size() / 2));
    const std::string message = user_error_of([&] { load_recording(path); });
    EXPECT_NE(message.find(path + ": cannot open the recording (truncated or corrupted file?): truncated file"),
              std::string::npos)
        << message;
}

TEST(RecordingBadInput, RandomBytesAreNotHdf5) {
    TemporaryDirectory directory;
    const std::string path = directory.file("random.h5");
    std::mt19937 random(1);
    std::string bytes(10'000, '\0');
    for (auto& byte : bytes) byte = static_cast<char>(random());
    testing::write_text(path, bytes);
    const std::string message = user_error_of([&] { read_recording_info(path); });
    EXPECT_NE(message.find(path + ": not an HDF5 file"), std::string::npos) << message;
}

TEST(RecordingBadInput, RandomBytesInsideTheDataAreDetected) {
    TemporaryDirectory directory;
    const std::string path = write_sample(directory, "r.h5");
    // Corrupt every 64-byte block after the user block in turn: the seal catches each one
    // before HDF5 parses anything (a corrupted B-tree node could crash HDF5 itself).
    const auto size = std::filesystem::file_size(path);
    const std::string pristine = testing::read_text(path);
    std::mt19937 random(2);
    int refused = 0;
    int corrupted_blocks = 0;
    for (std::size_t offset = 512; offset + 64 < size; offset += 4093, ++corrupted_blocks) {
        std::string corrupted = pristine;
        for (std::size_t i = 0; i < 64; ++i) corrupted[offset + i] = static_cast<char>(random());
        testing::write_text(path, corrupted);
        const std::string message = user_error_of([&] { load_recording(path); });
        refused += message.find(path + ": checksum mismatch: xxh3-64-tree-4m ") == 0;
    }
    EXPECT_EQ(refused, corrupted_blocks);
    EXPECT_GT(corrupted_blocks, 10);
}

TEST(RecordingBadInput, AnEditWithoutResealingIsReportedAsCorruption) {
    TemporaryDirectory directory;
    const std::string path = write_sample(directory, "edited.h5");
    {
        h5::Handle file = h5::open_file(path, H5F_ACC_RDWR, H5P_DEFAULT, path);
        h5::write_attribute(file.get(), "description", std::string("edited elsewhere"));
    }
    const std::string message = user_error_of([&] { load_recording(path); });
    EXPECT_EQ(message.find(path + ": size mismatch"), 0u) << message;
    EXPECT_NE(message.find("`tapegrid recover --reseal " + path + "` accepts it"), std::string::npos) << message;
    // Resealing accepts the edit once the file passes every other check.
    EXPECT_TRUE(recover_recording(path, RecoverOptions{.reseal = true}).changed);
    EXPECT_EQ(load_recording(path).info.description, "edited elsewhere");
}

TEST(RecordingBadInput, WrongFormatVersionIsRefused) {
    TemporaryDirectory directory;
    const std::string path = write_sample(directory, "v.h5");
    with_file(path, [](hid_t file) { h5::write_attribute(file, "format_version", std::int64_t{99}); });
    const std::string message = user_error_of([&] { load_recording(path); });
    EXPECT_EQ(message, path + ": format_version 99 is not supported; this tapegrid reads format_version 1");
}

TEST(RecordingBadInput, MissingFormatVersionIsNotARecording) {
    TemporaryDirectory directory;
    const std::string path = write_sample(directory, "nv.h5");
    with_file(path, [](hid_t file) { H5Adelete(file, "format_version"); });
    const std::string message = user_error_of([&] { read_recording_info(path); });
    EXPECT_EQ(message, path + ": not a tapegrid recording: the root attribute 'format_version' is missing");
}

TEST(RecordingBadInput, MissingColumnIsNamed) {
    TemporaryDirectory directory;
    const std::string path = write_sample(directory, "mc.h5");
    with_file(path, [](hid_t file) { H5Ldelete(file, "market_data/MSFT/close", H5P_DEFAULT); });
    const std::string message = user_error_of([&] { load_recording(path); });
    EXPECT_EQ(message, path + ": /market_data/MSFT: missing column 'close'");
}

TEST(RecordingBadInput, NanPriceIsRefusedWithRowAndTime) {
    TemporaryDirectory directory;
    const std::string path = write_sample(
        directory, "nan.h5", [](Recording& r) { r.bars[0].close[3] = std::numeric_limits<double>::quiet_NaN(); });
    const std::string message = user_error_of([&] { load_recording(path); });
    // Row 3 of AAPL is minute 3 after 2023-11-14T22:13:20Z.
    EXPECT_EQ(message, path +
                           ": /market_data/AAPL: row 3 (2023-11-14T22:16:20Z): close: expected a finite "
                           "positive price, found nan");
}

TEST(RecordingBadInput, NegativePriceIsRefused) {
    TemporaryDirectory directory;
    const std::string path = write_sample(directory, "neg.h5", [](Recording& r) { r.bars[1].low[0] = -1.0; });
    const std::string message = user_error_of([&] { load_recording(path); });
    EXPECT_EQ(message, path +
                           ": /market_data/MSFT: row 0 (2023-11-14T22:15:20Z): low: expected a finite "
                           "positive price, found -1");
}

TEST(RecordingBadInput, HighBelowLowIsRefused) {
    TemporaryDirectory directory;
    const std::string path = write_sample(directory, "hl.h5", [](Recording& r) { r.bars[0].high[1] = 90.0; });
    const std::string message = user_error_of([&] { load_recording(path); });
    EXPECT_EQ(message, path +
                           ": /market_data/AAPL: row 1 (2023-11-14T22:14:20Z): expected low <= high, found "
                           "low 100.15 > high 90");
}

TEST(RecordingBadInput, TimestampsOutOfOrderAreRefused) {
    TemporaryDirectory directory;
    const std::string path = write_sample(
        directory, "order.h5", [](Recording& r) { std::swap(r.bars[0].timestamp_ns[2], r.bars[0].timestamp_ns[3]); });
    const std::string message = user_error_of([&] { load_recording(path); });
    EXPECT_EQ(message, path +
                           ": /market_data/AAPL: row 3 (2023-11-14T22:15:20Z): timestamp 2023-11-14T22:15:20Z "
                           "is before the previous bar's 2023-11-14T22:16:20Z (timestamps must strictly increase)");
}

TEST(RecordingBadInput, DuplicatedTimestampsAreRefused) {
    TemporaryDirectory directory;
    const std::string path =
        write_sample(directory, "dup.h5", [](Recording& r) { r.bars[1].timestamp_ns[2] = r.bars[1].timestamp_ns[1]; });
    const std::string message = user_error_of([&] { load_recording(path); });
    EXPECT_EQ(message, path +
                           ": /market_data/MSFT: row 2 (2023-11-14T22:16:20Z): duplicated timestamp "
                           "2023-11-14T22:16:20Z (timestamps must strictly increase)");
}

TEST(RecordingBadInput, ColumnOfTheWrongLengthIsRefused) {
    TemporaryDirectory directory;
    const std::string path = write_sample(directory, "len.h5");
    with_file(path, [](hid_t file) {
        const hid_t dataset = H5Dopen2(file, "market_data/AAPL/volume", H5P_DEFAULT);
        const hsize_t dims[1] = {4};
        H5Dset_extent(dataset, dims);
        H5Dclose(dataset);
    });
    const std::string message = user_error_of([&] { load_recording(path); });
    EXPECT_EQ(message, path + ": /market_data/AAPL/volume: expected 6 rows like the timestamp column, found 4");
}

}  // namespace
}  // namespace tapegrid
