// Fuzzes the HDF5 recording reader: a mutated recording file through every way tapegrid reads one.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/hdf5/hdf5_handle.h"
#include "io/hdf5/recording_reader.h"
#include "io/hdf5/recording_seal.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using namespace tapegrid;

// The input is the whole file. Seeds (tests/fuzz/corpus/recording_loader/, made by
// tapegrid_fuzz_seeds) are a sealed completed recording and an unsealed one whose writer was
// killed: a sealed file that was mutated stops at the seal, so the loads that skip the seal
// (`recover --reseal` does) are what let HDF5 parse the mutated bytes of both.
void read_every_way(const std::string& path) {
    fuzz::expect_only_user_errors("verify_seal", [&] { verify_seal(path); });
    fuzz::expect_only_user_errors("read_recording_info", [&] { read_recording_info(path); });
    fuzz::expect_only_user_errors("load_recording", [&] { load_recording(path); });
    fuzz::expect_only_user_errors("load_recording(verify_seal=false)",
                                  [&] { load_recording(path, {.events = true, .verify_seal = false}); });
    fuzz::expect_only_user_errors("load_recording(bars only, verify_seal=false)",
                                  [&] { load_recording(path, {.events = false, .verify_seal = false}); });
    fuzz::expect_only_user_errors("read_bars", [&] {
        read_bars(path, {});
        read_bars(path, {.symbol = "SYN00", .from_ns = 1'704'205'860'000'000'000, .limit = 3, .offset = 1});
    });
    fuzz::expect_only_user_errors("read_events", [&] {
        read_events(path, {});
        read_events(path, {.type = "POSITION_OPENED", .limit = 1, .offset = 0});
    });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const fuzz::ScratchDirectory scratch("tapegrid-fuzz-recording");
    static const std::string path = [] {
        h5::silence_hdf5_errors();  // HDF5 would print its error stack for every bad file
        return scratch.file("recording.h5");
    }();
    fuzz::write_file(path, {reinterpret_cast<const char*>(data), size});
    read_every_way(path);
    // Every HDF5 id lives in an owning wrapper, so none may outlive a read, whatever it threw.
    // (LeakSanitizer cannot see such a leak: HDF5's id table still points at the object.)
    if (const ssize_t open = H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL); open != 0)
        fuzz::report_unexpected("after the reads", "HDF5 ids left open", std::to_string(open) + " file objects");
    return 0;
}
