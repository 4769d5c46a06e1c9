// Fuzzes sweep config loading: TOML text, and `--set key=value` overrides after a "\n--set " separator.
#include <toml++/toml.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/config/sweep_config.h"
#include "io/hdf5/recording_file_writer.h"
#include "tests/fuzz/fuzz_recordings.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using namespace tapegrid;
using Overrides = std::vector<std::pair<std::string, std::string>>;

// Where the configs are written, beside the recordings they may name: market.h5, other.h5, and
// the store (store/<recording id>.h5, found by an id prefix such as "0f5c").
struct ConfigDirectory {
    fuzz::ScratchDirectory scratch{"tapegrid-fuzz-config"};
    std::string config = scratch.file("sweep.toml");
    std::string store = scratch.file("store");

    ConfigDirectory() {
        const Recording recording = fuzz::make_tiny_recording();
        fuzz::write_sealed_recording(scratch.file("market.h5"), recording);
        Recording other = recording;
        other.info.recording_id = "7a0b3c4d-1e2f-4a5b-8c6d-7e8f90a1b2c3";
        fuzz::write_sealed_recording(scratch.file("other.h5"), other);
        std::filesystem::create_directory(store);
        fuzz::write_sealed_recording(store + "/" + recording.info.recording_id + ".h5", recording);
    }
};

// The text before the first "\n--set " is the config; each line after it is an override.
// A line without '=' is skipped: the command line refuses it before the loader sees it.
std::pair<std::string_view, Overrides> split(std::string_view input) {
    constexpr std::string_view kSeparator = "\n--set ";
    const std::size_t separator = input.find(kSeparator);
    if (separator == std::string_view::npos) return {input, {}};
    Overrides overrides;
    std::string_view rest = input.substr(separator + kSeparator.size());
    while (!rest.empty()) {
        const std::size_t end = std::min(rest.find('\n'), rest.size());
        const std::string_view line = rest.substr(0, end);
        rest.remove_prefix(std::min(end + 1, rest.size()));
        const std::size_t equals = line.find('=');
        if (equals != std::string_view::npos)
            overrides.emplace_back(std::string(line.substr(0, equals)), std::string(line.substr(equals + 1)));
    }
    return {input.substr(0, separator), std::move(overrides)};
}

// glob(3) characters in every string of `node`.
std::size_t wildcards(const toml::node& node) {
    std::size_t count = 0;
    if (const auto* text = node.as_string()) {
        for (const char c : text->get()) count += c == '*' || c == '?' || c == '[';
    } else if (const auto* array = node.as_array()) {
        for (const auto& item : *array) count += wildcards(item);
    } else if (const auto* table = node.as_table()) {
        for (const auto& [key, value] : *table) count += wildcards(value);
    }
    return count;
}

std::size_t wildcards(std::string_view toml_text) {
    try {
        return wildcards(toml::parse(toml_text));
    } catch (const std::exception&) {
        return 0;  // not TOML: the loader refuses it before any glob
    }
}

// sweep.recordings may be a glob, relative to the config or absolute; "/*/*/*/*" would make
// every run walk the machine's file system. A glob with a few wildcards tests the same code.
bool walks_the_file_system(std::string_view config, const Overrides& overrides) {
    std::size_t count = wildcards(config);
    for (const auto& [key, value] : overrides) {
        const std::size_t as_toml = wildcards("v = " + value);
        std::size_t raw = 0;
        for (const char c : value) raw += c == '*' || c == '?' || c == '[';
        count += std::max(as_toml, raw);
    }
    return count > 2;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const ConfigDirectory directory;
    // Not a structured binding: clang 14 cannot capture one in a lambda.
    const auto parts = split({reinterpret_cast<const char*>(data), size});
    const std::string_view config = parts.first;
    const Overrides& overrides = parts.second;
    if (walks_the_file_system(config, overrides)) return -1;  // not added to the corpus
    fuzz::write_file(directory.config, config);
    fuzz::expect_only_user_errors("load_sweep_config", [&] {
        const SweepSpec spec = load_sweep_config(directory.config, overrides, directory.store);
        if (!spec.grid) fuzz::report_unexpected("load_sweep_config", "a spec without a grid", spec.config_path);
    });
    return 0;
}
