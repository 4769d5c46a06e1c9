// Each class of hostile input found by the hardening review, refused at the border: exit 2, a
// message saying what was expected, and nothing written (tests/e2e/cli_refusal_fixture.h).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/e2e/cli_refusal_fixture.h"

extern char** environ;

namespace tapegrid {
namespace {

using testing::CliRefusal;
using testing::CommandResult;
using testing::kGoodRows;
using testing::kHeader;
using testing::quoted;
using testing::run_tapegrid;

namespace fs = std::filesystem;
using CliHardening = CliRefusal;

// ---- Writing or reading outside where it belongs --------------------------------------------

// An export directory made by `tapegrid export`, whose recording.json a test then edits.
std::string exported(const std::string& recording, const std::string& directory) {
    const CommandResult result = run_tapegrid("export " + quoted(recording) + " --format csv -o " + quoted(directory));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return directory + "/recording.json";
}

TEST_F(CliHardening, AnExportsRecordingIdMustBeAUuidSoItCannotNameAPathOutsideTheStore) {
    const std::string manifest = exported(generated_recording("a.h5"), inputs_ + "/export");
    auto json = nlohmann::json::parse(testing::read_text(manifest));
    json["recording"]["recording_id"] = "../escaped";
    testing::write_text(manifest, json.dump());
    expect_refused("import " + quoted(inputs_ + "/export"), {"recording_id", "expected a UUID", "../escaped"});
    EXPECT_FALSE(fs::exists(store_ + "/../escaped.h5"));
}

// Found by the export_reader fuzzer: a JSON number beyond double (1e400) made nlohmann's parser
// throw out_of_range, which escaped as an internal error.
TEST_F(CliHardening, AJsonNumberBeyondDoubleIsInvalidJsonNotACrash) {
    const std::string manifest = exported(generated_recording("a.h5"), inputs_ + "/export");
    std::string text = testing::read_text(manifest);
    text.insert(text.find('{') + 1, "\"overflow\": 11e400, ");
    testing::write_text(manifest, text);
    expect_refused("import " + quoted(inputs_ + "/export"), {"recording.json: not valid JSON", "number overflow"});
}

// Found by the export_reader fuzzer: a manifest field of the wrong JSON type threw out_of_range
// (or type_error) out of the reader; a float where a whole number belongs was cast unchecked.
TEST_F(CliHardening, AManifestFieldOfTheWrongTypeIsAUserError) {
    const std::string manifest = exported(generated_recording("a.h5"), inputs_ + "/export");
    const auto original = nlohmann::json::parse(testing::read_text(manifest));
    for (const auto& [field, value] : std::vector<std::pair<std::string, nlohmann::json>>{
             {"/bars", "not an object"},
             {"/recording/format_version", "one"},
             {"/events", 42},
             {"/recording", nullptr},
             {"/recording/symbols", 7},
             // Found by the fuzzer under UBSan: nlohmann casts a float to an int without a range check.
             {"/tapegrid_export", 4.4e44},
             {"/recording/format_version", 4.4e44},
             {"/recording/instance_id", 1e300},
             {"/recording/event_counts/SIGNAL_DETECTED", 2.5},
             {"/recording/total_bars_recorded", -1e30}}) {
        SCOPED_TRACE(field);
        auto json = original;
        json[nlohmann::json::json_pointer(field)] = value;
        testing::write_text(manifest, json.dump());
        expect_refused("import " + quoted(inputs_ + "/export"), {"recording.json"});
    }
}

TEST_F(CliHardening, FilesAManifestNamesMustStayInsideItsDirectory) {
    const std::string manifest = exported(generated_recording("a.h5"), inputs_ + "/export");
    testing::write_text(inputs_ + "/secret.csv", "top secret line\n");
    for (const std::string name : {"../secret.csv", "/etc/passwd", "bars/../../secret.csv"}) {
        auto json = nlohmann::json::parse(testing::read_text(manifest));
        json["bars"]["SYN00"] = name;
        testing::write_text(manifest, json.dump());
        const CommandResult refused =
            expect_refused("import " + quoted(inputs_ + "/export"), {"not a file inside the export's directory"});
        EXPECT_EQ(refused.err.find("top secret"), std::string::npos) << refused.err;  // never read, never shown
        EXPECT_EQ(refused.err.find("root:"), std::string::npos) << refused.err;
    }
}

// An export writes only new files: a user's file where a bar file would go is refused, and the
// directory is left as it was.
TEST_F(CliHardening, AnExportWritesOverNothing) {
    const std::string recording = generated_recording("a.h5");
    const std::string directory = out_ + "/export";
    fs::create_directories(directory + "/bars");
    testing::write_text(directory + "/bars/SYN00.csv", "mine");
    expect_refused("export " + quoted(recording) + " --format csv -o " + quoted(directory),
                   {"bars/SYN00.csv: already exists", "only new files"});
    EXPECT_EQ(testing::read_text(directory + "/bars/SYN00.csv"), "mine");
}

// An export that fails half way (here a file size limit, as a full disk would) removes what it
// wrote: no bars without their recording.json are left behind.
TEST_F(CliHardening, AFailedExportLeavesNothingBehind) {
    const std::string recording = generated_recording("a.h5");
    const std::string directory = out_ + "/new/export";
    // SIGXFSZ ignored, so that the write fails with EFBIG instead of killing the process.
    const CommandResult result =
        testing::run_command("trap '' XFSZ; ulimit -f 64; " + testing::tapegrid_binary() + " export " +
                             quoted(recording) + " --format json -o " + quoted(directory));
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_NE(result.err.find("cannot write"), std::string::npos) << result.err;
    EXPECT_FALSE(fs::exists(out_ + "/new")) << "a failed export left files behind";
    EXPECT_TRUE(fs::exists(out_ + "/keep.txt"));
}

TEST_F(CliHardening, ASweepsNameMustBeOnePathComponent) {
    const std::string recording = generated_recording("a.h5");
    for (const std::string name : {"../escape", "a/b", ".."}) {
        const std::string config = input(
            "sweep.toml", "[sweep]\nname = \"" + name + "\"\nrecordings = [" +
                              quoted(recording).replace(0, 1, "\"").replace(quoted(recording).size() - 1, 1, "\"") +
                              "]\nstrategy = \"mean_reversion\"\n[grid]\nbb_std = [2]\n");
        expect_refused("sweep " + quoted(config) + " --quiet", {"sweep.name", "usable as a directory"});
    }
    EXPECT_FALSE(fs::exists("sweep-out/../escape"));
}

// ---- Silent wrong values ---------------------------------------------------------------------

TEST_F(CliHardening, TimesOutsideInt64NanosecondsAreRefusedNotWrapped) {
    const std::string range = "outside the range of timestamps tapegrid stores (1677-09-21";
    expect_import_refused(input("early.csv", std::string(kHeader) + "1600-01-03,10,11,9,10.5,100\n"), {range});
    expect_import_refused(input("late.csv", std::string(kHeader) + "2300-01-03,10,11,9,10.5,100\n"), {range});
    const std::string epoch = input("epoch.csv", "Timestamp,Open,High,Low,Close,Volume\n99999999999,10,11,9,10,1\n");
    expect_refused("import " + quoted(epoch) + " --timestamp-format epoch_s", {range});
    expect_refused("generate --symbols 1 --bars 10 --start 2262-04-12 -o " + quoted(out_ + "/g.h5"), {range});
    // The calendar running past 2262: a year of daily bars from its last months.
    expect_refused("generate --symbols 1 --bars 400 --interval 1d --start 2262-01-02 -o " + quoted(out_ + "/g.h5"),
                   {"run past the last time a recording can hold"});
    // 2262-04-11 itself is inside: the range is exact, not rounded to years.
    const std::string last = input("last.csv", std::string(kHeader) + "2262-04-11,10,11,9,10.5,100\n");
    EXPECT_EQ(run_tapegrid("import " + quoted(last) + " -o " + quoted(inputs_ + "/last.h5")).exit_code, 0);
}

TEST_F(CliHardening, WholeNumbersOnTheCommandLineAreReadStrictly) {
    const std::string recording = generated_recording("a.h5");
    expect_refused("recordings bars " + quoted(recording) + " --limit -1", {"--limit", "whole number"});
    expect_refused("recordings bars " + quoted(recording) + " --limit 0", {"--limit: expected a whole number in [1,"});
    expect_refused("recordings events " + quoted(recording) + " --offset 1.5", {"--offset", "whole number"});
    expect_refused("replay " + quoted(recording) + " --strategy momentum --positions -1", {"--positions"});
    expect_refused("generate --bars -5 -o " + quoted(out_ + "/g.h5"), {"--bars"});
    expect_refused("generate --seed -1 -o " + quoted(out_ + "/g.h5"), {"--seed"});
    const std::string config = input("s.toml", "[sweep]\nrecordings = [\"" + recording +
                                                   "\"]\nstrategy = \"mean_reversion\"\n[grid]\nbb_std = [2]\n");
    expect_refused("sweep " + quoted(config) + " --threads -1 --out " + quoted(out_ + "/s"), {"--threads"});
    expect_refused("sweep " + quoted(config) + " --threads 0 --out " + quoted(out_ + "/s"),
                   {"--threads: expected a whole number in [1, 1024], found 0"});
    expect_refused("sweep " + quoted(config) + " --top -1 --out " + quoted(out_ + "/s"), {"--top"});
}

TEST_F(CliHardening, ATomlIntegerBeyond2To53IsNotTakenAsANumber) {
    const std::string recording = generated_recording("a.h5");
    const std::string config = input(
        "s.toml", "[sweep]\nrecordings = [\"" + recording +
                      "\"]\nstrategy = \"mean_reversion\"\n[grid]\nbb_std = [2]\nposition_size = 9007199254740993\n");
    expect_refused("sweep " + quoted(config) + " --dry-run", {"grid.position_size", "too large to be taken exactly"});
}

TEST_F(CliHardening, AConstraintThatDividesByZeroStopsTheSweep) {
    const std::string recording = generated_recording("a.h5");
    const std::string config =
        input("s.toml", "[sweep]\nrecordings = [\"" + recording +
                            "\"]\nstrategy = \"mean_reversion\"\nconstraints = [\"take_profit_pct / (stop_loss_pct - "
                            "1) > 1\"]\n[grid]\nstop_loss_pct = [1, 2]\ntake_profit_pct = [2, 3]\n");
    expect_refused("sweep " + quoted(config) + " --dry-run",
                   {"constraint 'take_profit_pct / (stop_loss_pct - 1) > 1' is undefined", "stop_loss_pct=1"});
}

TEST_F(CliHardening, ValuesThatLookValidButAreNot) {
    const std::string csv = input("good.csv", std::string(kHeader) + kGoodRows);
    expect_refused("import " + quoted(csv) + " --utc-offset +99:99", {"--utc-offset", "hours 00..23"});
    expect_import_refused(input("twice.csv", "Date,Open,High,Low,Close,Close,Volume\n2024-01-02,10,11,9,10,10,1\n"),
                          {"names column 'Close' twice (columns 5 and 6)"});
    const std::string recording = generated_recording("a.h5");
    expect_refused("replay " + quoted(recording) + " --strategy momentum --set allow_short=maybe",
                   {"expected true or false (or yes/no, 1/0)"});
}

TEST_F(CliHardening, AnExportFromANewerFormatOrWithNegativeSequencesIsRefused) {
    const std::string manifest = exported(generated_recording("a.h5"), inputs_ + "/export");
    auto json = nlohmann::json::parse(testing::read_text(manifest));
    json["recording"]["format_version"] = 2;
    testing::write_text(manifest, json.dump());
    expect_refused("import " + quoted(inputs_ + "/export"), {"format_version", "newer recording format"});

    const std::string second = exported(generated_recording("b.h5"), inputs_ + "/export2");
    const std::string bars =
        inputs_ + "/export2/" + nlohmann::json::parse(testing::read_text(second))["bars"]["SYN00"].get<std::string>();
    std::string text = testing::read_text(bars);
    const std::size_t row = text.find('\n') + 1;  // the first row's last field is its sequence
    const std::size_t end = text.find('\n', row);
    text.replace(text.rfind(',', end) + 1, end - text.rfind(',', end) - 1, "-7");
    testing::write_text(bars, text);
    expect_refused("import " + quoted(inputs_ + "/export2"), {"sequence", ">= 0"});
}

// ---- Unbounded work before a check -----------------------------------------------------------

TEST_F(CliHardening, WorkThatCouldNeverFinishIsRefusedAtOnce) {
    const auto started = std::chrono::steady_clock::now();
    expect_refused("import /dev/zero", {"/dev/zero", "not a regular file"});
    const std::string recording = generated_recording("a.h5");
    // 10^12 combinations from six modest axes, and one axis of 10^9 values.
    const std::string huge = input("huge.toml", "[sweep]\nrecordings = [\"" + recording +
                                                    "\"]\nstrategy = \"mean_reversion\"\n[grid]\n"
                                                    "bb_period = {start = 2, stop = 101, step = 1}\n"
                                                    "rsi_period = {start = 1, stop = 100, step = 1}\n"
                                                    "bb_std = {start = 0.01, stop = 1, step = 0.01}\n"
                                                    "rsi_threshold = {start = 0, stop = 99, step = 1}\n"
                                                    "stop_loss_pct = {start = 0.1, stop = 10, step = 0.1}\n"
                                                    "take_profit_pct = {start = 0.1, stop = 10, step = 0.1}\n");
    expect_refused("sweep " + quoted(huge) + " --dry-run", {"the grid has 1000000000000 combinations", "--force"});
    expect_refused("sweep " + quoted(huge) + " --dry-run --force", {"planning them would need"});
    const std::string axis =
        input("axis.toml", "[sweep]\nrecordings = [\"" + recording +
                               "\"]\nstrategy = \"mean_reversion\"\n[grid]\nbb_std = {start = 1, stop = 2, num = "
                               "1000000000}\n");
    expect_refused("sweep " + quoted(axis) + " --dry-run", {"grid.bb_std.num", "an axis holds at most"});
    const std::string step = input("step.toml", "[sweep]\nrecordings = [\"" + recording +
                                                    "\"]\nstrategy = \"mean_reversion\"\n[grid]\nbb_std = {start = "
                                                    "1, stop = 2, step = 1e-12}\n");
    expect_refused("sweep " + quoted(step) + " --dry-run", {"grid.bb_std.step", "an axis holds at most"});
    expect_refused("generate --bars 1000000000000 -o " + quoted(out_ + "/g.h5"), {"of disk", "free"});
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
}

// ---- Text that is not UTF-8 --------------------------------------------------------------------

TEST_F(CliHardening, TextThatIsNotUtf8IsRefusedWhereItComesIn) {
    const std::string bad = "caf\xe9";  // Latin-1, not UTF-8
    const std::string csv = input("good.csv", std::string(kHeader) + kGoodRows);
    expect_refused("import " + quoted(csv) + " --description " + quoted(bad), {"description", "not UTF-8"});
    expect_refused("import " + quoted(csv) + " --tag " + quoted(bad), {"tag", "not UTF-8"});
    expect_refused("import " + quoted(csv) + " --symbol " + quoted(bad),
                   {"is not usable: a name is 1 to 128 bytes of UTF-8 text", "caf\\xe9"});
    // Every JSON output of the store still works: nothing unreadable got in.
    const CommandResult listed = run_tapegrid("recordings list --json --store " + quoted(store_));
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_NO_THROW(nlohmann::json::parse(listed.out));
}

// ---- Integrity ------------------------------------------------------------------------------

TEST_F(CliHardening, ACompletedRecordingWithoutItsSealIsNeitherShownNorRecoveredSilently) {
    const std::string recording = generated_recording("a.h5");
    std::string bytes = testing::read_text(recording);
    const std::size_t seal = bytes.find("seal: xxh3");
    ASSERT_NE(seal, std::string::npos);
    bytes.replace(seal, 11, "seal: none\n");
    testing::write_text(recording, bytes);
    for (const std::string command : {"recordings bars", "recordings events", "replay", "recover"})
        expect_refused(command + " " + quoted(recording) + (command == "replay" ? " --strategy momentum" : ""),
                       {"is a completed recording", "recover --reseal"});
    const CommandResult resealed = run_tapegrid("recover --reseal " + quoted(recording));
    ASSERT_EQ(resealed.exit_code, 0) << resealed.err;
    EXPECT_EQ(run_tapegrid("recordings bars " + quoted(recording) + " --limit 1").exit_code, 0);
}

TEST_F(CliHardening, RecoverOfAnIntactRecordingChecksItThenSaysThereIsNothingToDo) {
    const CommandResult result = run_tapegrid("recover " + quoted(generated_recording("a.h5")));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find("nothing to recover: a finished recording (status completed), every row checked"),
              std::string::npos)
        << result.out;
}

// ---- Concurrency and interruption -----------------------------------------------------------

TEST_F(CliHardening, ASecondSweepIntoTheSameDirectoryIsRefusedBeforeItWritesAnything) {
    const std::string recording = generated_recording("a.h5");
    const std::string config = input("s.toml", "[sweep]\nrecordings = [\"" + recording +
                                                   "\"]\nstrategy = \"mean_reversion\"\n[grid]\nbb_std = [2]\n");
    const std::string directory = out_ + "/busy";
    fs::create_directories(directory);
    // Another sweep holds the lock: this process, playing it.
    const int lock = ::open((directory + "/.sweep.lock").c_str(), O_RDWR | O_CREAT, 0644);
    ASSERT_GE(lock, 0);
    ASSERT_EQ(::write(lock, "4242", 4), 4);
    ASSERT_EQ(::flock(lock, LOCK_EX | LOCK_NB), 0);
    expect_refused("sweep " + quoted(config) + " --quiet --out " + quoted(directory),
                   {"another sweep is writing it (pid 4242)"});
    EXPECT_FALSE(fs::exists(directory + "/config.toml"));
    ::close(lock);
    EXPECT_EQ(run_tapegrid("sweep " + quoted(config) + " --quiet --out " + quoted(directory)).exit_code, 0);
}

// Starts `tapegrid generate` (big enough to take a while to write), waits until its hidden
// partial file appears, then sends it `signal`; returns the partial file's path.
std::string generate_then_signal(const std::string& target, int signal) {
    const std::string binary = testing::tapegrid_binary();
    std::vector<std::string> words = {binary, "generate", "--symbols", "10", "--bars", "200000", "-o", target};
    std::vector<char*> arguments;
    for (auto& word : words) arguments.push_back(word.data());
    arguments.push_back(nullptr);
    pid_t child = 0;
    EXPECT_EQ(posix_spawn(&child, binary.c_str(), nullptr, nullptr, arguments.data(), environ), 0);
    const fs::path directory = fs::path(target).parent_path();
    fs::create_directories(directory);
    std::string partial;
    for (int wait = 0; wait < 3000 && partial.empty(); ++wait) {
        for (const auto& entry : fs::directory_iterator(directory))
            if (entry.path().filename().string().find(".partial-") != std::string::npos) partial = entry.path();
        if (partial.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(child, signal);
    int status = 0;
    ::waitpid(child, &status, 0);
    return partial;
}

TEST_F(CliHardening, APartialFileIsRemovedOnCtrlCAndPrunedAfterAKill) {
    const std::string stopped = generate_then_signal(inputs_ + "/stopped/market.h5", SIGINT);
    ASSERT_FALSE(stopped.empty()) << "the writer never made its partial file";
    EXPECT_FALSE(fs::exists(stopped));
    EXPECT_FALSE(fs::exists(inputs_ + "/stopped/market.h5"));

    const std::string store = inputs_ + "/killed";
    const std::string killed = generate_then_signal(store + "/market.h5", SIGKILL);
    ASSERT_FALSE(killed.empty());
    ASSERT_TRUE(fs::exists(killed));  // nothing can clean up after SIGKILL...
    const CommandResult listed = run_tapegrid("recordings list --store " + quoted(store));
    EXPECT_NE(listed.err.find("1 partial file"), std::string::npos) << listed.err;  // ...but it is found
    const CommandResult pruned = run_tapegrid("recordings prune --partials --yes --store " + quoted(store));
    EXPECT_EQ(pruned.exit_code, 0) << pruned.err;
    EXPECT_FALSE(fs::exists(killed));
}

// ---- Messages that mislead ------------------------------------------------------------------

TEST_F(CliHardening, ANameTooLongForTheFileSystemIsAUserErrorEverywhere) {
    const std::string name = std::string(300, 'x') + ".h5";
    expect_refused("recordings show " + quoted(name), {"no such file"});
    expect_refused("replay " + quoted(name), {"no such file"});
}

TEST_F(CliHardening, MessagesSayWhatIsWrong) {
    expect_refused("recordings show " + quoted(inputs_), {"is a directory"});
    expect_refused("sweep " + quoted(inputs_), {"is a directory; expected a sweep config file"});
    const std::string recording = generated_recording("a.h5");
    const std::string config = input("s.toml", "[sweep]\nrecordings = [\"" + recording +
                                                   "\"]\nstrategy = \"mean_reversion\"\n[grid]\nbb_std = [2]\n");
    const CommandResult unknown =
        expect_refused("sweep " + quoted(config) + " --dry-run --set nosuch.key=1", {"--set nosuch.key"});
    EXPECT_EQ(unknown.err.find(":0:"), std::string::npos) << unknown.err;
    // A NUL byte and binary garbage in a cell are shown escaped, not cut or echoed raw.
    const CommandResult garbage = expect_refused(
        "import " + quoted(input("nul.csv", std::string(kHeader) + std::string("2024-01-02\0x\x01,1,1,1,1,1\n", 24))),
        {"\\x00x\\x01"});
    // -o into a directory that does not exist yet: made, as a user expects.
    const std::string csv = input("good.csv", std::string(kHeader) + kGoodRows);
    const CommandResult made = run_tapegrid("import " + quoted(csv) + " -o " + quoted(inputs_ + "/new/dir/r.h5"));
    EXPECT_EQ(made.exit_code, 0) << made.err;
    EXPECT_TRUE(fs::exists(inputs_ + "/new/dir/r.h5"));
}

}  // namespace
}  // namespace tapegrid
