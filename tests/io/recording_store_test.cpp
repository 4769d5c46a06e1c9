// The store: listing, resolving ids and prefixes, deleting.
#include "io/store/recording_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "engine/core/errors.h"
#include "io/hdf5/recording_file_writer.h"
#include "io/hdf5/session_recorder.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

using testing::TemporaryDirectory;

std::string add_recording(const std::string& store, const std::string& id, TimestampNs start) {
    Recording recording = testing::make_sample_recording();
    recording.info.recording_id = id;
    recording.info.recording_start_time_ns = start;
    const std::string path = store_path_for(store, id);
    write_recording_file(path, recording);
    return path;
}

TEST(RecordingStore, ListsNewestFirstAndReportsUnreadableFiles) {
    TemporaryDirectory store;
    add_recording(store.path(), "aaaa1111-0000-4000-8000-000000000001", 100);
    add_recording(store.path(), "bbbb2222-0000-4000-8000-000000000002", 300);
    add_recording(store.path(), "cccc3333-0000-4000-8000-000000000003", 200);
    testing::write_text(store.file("broken.h5"), "not hdf5");
    testing::write_text(store.file("notes.txt"), "ignored");
    const auto listed = list_store(store.path());
    ASSERT_EQ(listed.size(), 4u);
    EXPECT_EQ(listed[0].info->recording_id, "bbbb2222-0000-4000-8000-000000000002");
    EXPECT_EQ(listed[1].info->recording_id, "cccc3333-0000-4000-8000-000000000003");
    EXPECT_EQ(listed[2].info->recording_id, "aaaa1111-0000-4000-8000-000000000001");
    EXPECT_FALSE(listed[3].info.has_value());
    EXPECT_NE(listed[3].error.find("broken.h5: not an HDF5 file"), std::string::npos);
}

TEST(RecordingStore, ResolvesPathsIdsAndUniquePrefixes) {
    TemporaryDirectory store;
    const std::string a = add_recording(store.path(), "aaaa1111-0000-4000-8000-000000000001", 1);
    const std::string b = add_recording(store.path(), "aaaa2222-0000-4000-8000-000000000002", 2);
    EXPECT_EQ(resolve_recording(a, store.path()), a);
    EXPECT_EQ(resolve_recording("aaaa2222-0000-4000-8000-000000000002", store.path()), b);
    EXPECT_EQ(resolve_recording("aaaa1", store.path()), a);
    try {
        resolve_recording("aaaa", store.path());
        FAIL() << "an ambiguous prefix resolved";
    } catch (const UserError& error) {
        EXPECT_NE(std::string(error.what()).find("2 recordings in the store start with this id"), std::string::npos);
    }
    EXPECT_THROW(resolve_recording("zzzz", store.path()), UserError);
    EXPECT_THROW(resolve_recording("aa", store.path()), UserError);
    EXPECT_THROW(resolve_recording("missing/file.h5", store.path()), UserError);
}

TEST(RecordingStore, StoreDirectoryComesFromOptionThenEnvironmentThenDefault) {
    ::setenv("TAPEGRID_STORE", "/from/env", 1);
    EXPECT_EQ(resolve_store_directory(std::string("/from/option")), "/from/option");
    EXPECT_EQ(resolve_store_directory(std::nullopt), "/from/env");
    ::unsetenv("TAPEGRID_STORE");
    EXPECT_EQ(resolve_store_directory(std::nullopt), "recordings");
}

TEST(RecordingStore, DeleteRefusesARecordingBeingWritten) {
    TemporaryDirectory store;
    SessionRecorder recorder(store.path().string(), "s", 1, "x", nullptr, {"AAPL"});
    EXPECT_THROW(delete_recording(recorder.path()), UserError);
    EXPECT_TRUE(std::filesystem::exists(recorder.path()));
    recorder.stop_recording();
    delete_recording(recorder.path());
    EXPECT_FALSE(std::filesystem::exists(recorder.path()));
}

}  // namespace
}  // namespace tapegrid
