// Tests of the OHLCV CSV importer: header forms, time forms, row order, and every rejection.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <string>

#include "engine/core/errors.h"
#include "io/csv/ohlcv_csv_import.h"
#include "tests/support/test_support.h"

namespace tapegrid {
namespace {

using testing::TemporaryDirectory;
using testing::write_text;

// Epoch seconds below were worked out with `date -u -d '<date> UTC' +%s`, not with tapegrid.
constexpr TimestampNs kSecond = 1'000'000'000;
constexpr TimestampNs k20240102 = 1'704'153'600 * kSecond;
constexpr TimestampNs k20240103 = 1'704'240'000 * kSecond;
constexpr TimestampNs k20240104 = 1'704'326'400 * kSecond;

const char* const kHeader = "Date,Open,High,Low,Close,Volume\n";

// Writes `text` as `name` in `directory` and returns its path.
std::string fixture(const TemporaryDirectory& directory, const std::string& name, const std::string& text) {
    const std::string path = directory.file(name);
    write_text(path, text);
    return path;
}

// The message of the UserError the import throws; a test failure when it throws none.
std::string import_error(const std::string& path, const CsvImportOptions& options = {}) {
    try {
        import_ohlcv_csv(path, options);
    } catch (const UserError& error) {
        return error.what();
    }
    ADD_FAILURE() << "expected a UserError importing " << path;
    return "";
}

void expect_contains(const std::string& message, std::initializer_list<std::string> fragments) {
    for (const auto& fragment : fragments)
        EXPECT_NE(message.find(fragment), std::string::npos) << "missing '" << fragment << "' in: " << message;
}

// A good file with one bad row at line 3 (the second data row).
std::string with_bad_second_row(const std::string& row) {
    return std::string(kHeader) + "2024-01-02,10,11,9,10.5,100\n" + row + "\n2024-01-04,10,11,9,10.5,100\n";
}

// The import error for a file whose second data row (line 3) is `row`, its path shown as FILE.
std::string bad_row_error(const std::string& row) {
    TemporaryDirectory directory;
    const auto path = fixture(directory, "bad.csv", with_bad_second_row(row));
    std::string message = import_error(path);
    if (message.rfind(path, 0) == 0) message.replace(0, path.size(), "FILE");
    return message;
}

TEST(CsvImport, KeepsYahooAdjCloseAsIndicatorColumn) {
    TemporaryDirectory directory;
    const auto path = fixture(directory, "abc-2024.csv",
                              "Date,Open,High,Low,Close,Adj Close,Volume\n"
                              "2024-01-02,10.5,11.25,10.0,11.0,10.75,1500\n"
                              "2024-01-03,11.0,12.0,10.5,11.5,11.2,2500\n");
    const CsvImportResult result = import_ohlcv_csv(path, {});
    const SymbolBars& bars = result.bars;
    EXPECT_EQ(bars.symbol, "ABC");
    EXPECT_EQ(bars.timestamp_ns, (std::vector<TimestampNs>{k20240102, k20240103}));
    const std::vector<std::vector<double>> columns = {bars.open, bars.high, bars.low, bars.close, bars.volume};
    EXPECT_EQ(columns, (std::vector<std::vector<double>>{
                           {10.5, 11.0}, {11.25, 12.0}, {10.0, 10.5}, {11.0, 11.5}, {1500, 2500}}));
    ASSERT_EQ(bars.indicators.size(), 1u);
    EXPECT_EQ(bars.indicators[0].name, "adj_close");
    EXPECT_EQ(bars.indicators[0].values, (std::vector<double>{10.75, 11.2}));
    EXPECT_TRUE(result.notes.empty());
}

TEST(CsvImport, CombinesDateAndTimeColumns) {
    TemporaryDirectory directory;
    const auto path = fixture(directory, "idx.csv",
                              "Date,Time,Open,High,Low,Close,Volume,OpenInterest\n"
                              "2006-01-02,09:05:00,3578.73,3587.88,3578.73,3582.99,0,0\n"
                              "2006-01-02,09:10:00,3583.01,3588.40,3583.01,3588.03,0,7\n");
    const SymbolBars bars = import_ohlcv_csv(path, {}).bars;
    EXPECT_EQ(bars.timestamp_ns, (std::vector<TimestampNs>{1'136'192'700 * kSecond, 1'136'193'000 * kSecond}));
    EXPECT_EQ(bars.close, (std::vector<double>{3582.99, 3588.03}));
    ASSERT_EQ(bars.indicators.size(), 1u);
    EXPECT_EQ(bars.indicators[0].name, "open_interest");
    EXPECT_EQ(bars.indicators[0].values, (std::vector<double>{0, 7}));
}

TEST(CsvImport, ReadsExtraFieldAfterDateAsTimeWithNote) {
    TemporaryDirectory directory;
    const auto path = fixture(directory, "fut.txt",
                              "Date,Open,High,Low,Close,Volume,OpenInterest\n"
                              "2006-01-02,09:01:00,3602.00,3603.00,3597.00,3599.00,5699,0\n"
                              "2006-01-02,09:02:00,3600.00,3601.00,3598.00,3599.00,894,0\n");
    const CsvImportResult result = import_ohlcv_csv(path, {});
    EXPECT_EQ(result.bars.timestamp_ns, (std::vector<TimestampNs>{1'136'192'460 * kSecond, 1'136'192'520 * kSecond}));
    EXPECT_EQ(result.bars.open, (std::vector<double>{3602, 3600}));
    EXPECT_EQ(result.bars.volume, (std::vector<double>{5699, 894}));
    ASSERT_EQ(result.notes.size(), 1u);
    expect_contains(result.notes[0], {path, "header names 7 columns but the rows have 8",
                                      "Date,Time,Open,High,Low,Close,Volume,OpenInterest"});
}

TEST(CsvImport, ColumnMapNamesUnrecognisedHeaders) {
    TemporaryDirectory directory;
    const auto path = fixture(directory, "x.csv",
                              "Stamp;O px;H px;L px;C px;Qty\n"
                              "2024-01-02T00:00:00Z;1.5;2.5;1.25;2;10\n");
    CsvImportOptions options;
    options.symbol = "XYZ";
    options.column_map = {{"timestamp", "Stamp"}, {"open", "O px"},  {"high", "H px"},
                          {"low", "L px"},        {"close", "C px"}, {"volume", "Qty"}};
    const SymbolBars bars = import_ohlcv_csv(path, options).bars;
    EXPECT_EQ(bars.symbol, "XYZ");
    EXPECT_EQ(bars.timestamp_ns, std::vector<TimestampNs>{k20240102});
    const std::vector<double> row = {bars.open[0], bars.high[0], bars.low[0], bars.close[0], bars.volume[0]};
    EXPECT_EQ(row, (std::vector<double>{1.5, 2.5, 1.25, 2.0, 10.0}));
    EXPECT_TRUE(bars.indicators.empty());

    options.column_map = {{"price", "C px"}};
    expect_contains(import_error(path, options), {"--map price=C px", "unknown field 'price'"});
    options.column_map = {{"close", "Nope"}};
    expect_contains(import_error(path, options),
                    {path + ":1:", "no column 'Nope' in the header", "Stamp, O px, H px, L px, C px, Qty"});
}

TEST(CsvImport, TimestampFormatPatternReadsDayFirstDates) {
    TemporaryDirectory directory;
    const auto path = fixture(directory, "eu.csv",
                              "Datetime,Open,High,Low,Close,Volume\n"
                              "31/01/2024 09:30,1,2,1,2,5\n"
                              "02/02/2024 16:05,1,2,1,2,5\n");
    CsvImportOptions options;
    options.timestamp_format = "%d/%m/%Y %H:%M";
    const SymbolBars bars = import_ohlcv_csv(path, options).bars;
    // 2024-02-02 16:05 is 2 days, 6 h 35 min after 2024-01-31 09:30.
    EXPECT_EQ(bars.timestamp_ns,
              (std::vector<TimestampNs>{1'706'693'400 * kSecond,
                                        (1'706'693'400 + 2 * 86'400 + 6 * 3600 + 35 * 60) * kSecond}));
    expect_contains(import_error(path, {}), {path + ":2:", "column 'Datetime'", "found '31/01/2024 09:30'"});
    options.timestamp_format = "%Y-%m-%d";
    expect_contains(import_error(path, options), {path + ":2:", "a timestamp in the form %Y-%m-%d"});
}

TEST(CsvImport, ParseWithFormatHandlesEachDirective) {
    bool has_zone = true;
    EXPECT_EQ(parse_with_format("20240102", "%Y%m%d", has_zone).time, k20240102);
    EXPECT_FALSE(has_zone);
    EXPECT_EQ(parse_with_format("02-Jan-24 00:00:01.25", "%d-%b-%y %H:%M:%S.%f", has_zone).time,
              k20240102 + kSecond + 250'000'000);
    EXPECT_EQ(parse_with_format("2024-01-02T00:00:00Z", "%Y-%m-%dT%H:%M:%S%z", has_zone).time, k20240102);
    EXPECT_TRUE(has_zone);
    EXPECT_EQ(parse_with_format("100% 2024", "100%% %Y", has_zone).time, 1'704'067'200 * kSecond);
    EXPECT_FALSE(parse_with_format("30/02/2024", "%d/%m/%Y", has_zone).time);   // no 30 February
    EXPECT_FALSE(parse_with_format("2024-01-02x", "%Y-%m-%d", has_zone).time);  // trailing text
    EXPECT_FALSE(parse_with_format("2024/01/02", "%Y-%m-%d", has_zone).time);
    EXPECT_FALSE(parse_with_format("02-Foo-2024", "%d-%b-%Y", has_zone).time);
}

TEST(CsvImport, EpochFormatsIgnoreUtcOffset) {
    TemporaryDirectory directory;
    const auto seconds = fixture(directory, "s.csv", "timestamp,open,high,low,close,volume\n1704153600,1,1,1,1,0\n");
    const auto millis = fixture(directory, "ms.csv", "time,o,h,l,c,v\n1704153600250,1,1,1,1,0\n");
    CsvImportOptions options;
    options.utc_offset_ns = 3600 * kSecond;  // epoch times are UTC by definition
    options.timestamp_format = "epoch_s";
    EXPECT_EQ(import_ohlcv_csv(seconds, options).bars.timestamp_ns, std::vector<TimestampNs>{k20240102});
    options.timestamp_format = "epoch_ms";
    EXPECT_EQ(import_ohlcv_csv(millis, options).bars.timestamp_ns, std::vector<TimestampNs>{k20240102 + 250'000'000});
    options.timestamp_format = "epoch_days";
    expect_contains(import_error(seconds, options), {"epoch_days", "expected epoch_s, epoch_ms, epoch_us or epoch_ns"});
}

TEST(CsvImport, UtcOffsetAppliesOnlyToZoneLessTimes) {
    TemporaryDirectory directory;
    const auto path = fixture(directory, "z.csv",
                              "Timestamp,Open,High,Low,Close,Volume\n"
                              "2024-01-02 10:00:00,1,1,1,1,0\n"         // local UTC+1: 09:00Z
                              "2024-01-02T10:30:00Z,1,1,1,1,0\n"        // 10:30Z
                              "2024-01-02T13:00:00+02:00,1,1,1,1,0\n"   // 11:00Z
                              "2024-01-02T13:30:00+0200,1,1,1,1,0\n"    // 11:30Z (basic offset form)
                              "2024-01-02T07:00:00-0500,1,1,1,1,0\n");  // 12:00Z
    CsvImportOptions options;
    options.utc_offset_ns = 3600 * kSecond;
    EXPECT_EQ(import_ohlcv_csv(path, options).bars.timestamp_ns,
              (std::vector<TimestampNs>{k20240102 + 9 * 3600 * kSecond, k20240102 + 37'800 * kSecond,
                                        k20240102 + 11 * 3600 * kSecond, k20240102 + 41'400 * kSecond,
                                        k20240102 + 12 * 3600 * kSecond}));
}

TEST(CsvImport, ReversesNewestFirstFileKeepingLineNumbers) {
    TemporaryDirectory directory;
    const auto path = fixture(directory, "new.csv",
                              "Date,Open,High,Low,Close,Adj Close,Volume\n"
                              "2024-01-04,3,3.5,2.5,3.25,3.1,300\n"
                              "2024-01-03,2,2.5,1.5,2.25,,200\n"
                              "2024-01-02,1,1.5,0.5,1.25,1.1,100\n");
    const CsvImportResult result = import_ohlcv_csv(path, {});
    EXPECT_EQ(result.bars.timestamp_ns, (std::vector<TimestampNs>{k20240102, k20240103, k20240104}));
    EXPECT_EQ(result.bars.open, (std::vector<double>{1, 2, 3}));
    EXPECT_EQ(result.bars.close, (std::vector<double>{1.25, 2.25, 3.25}));
    EXPECT_EQ(result.bars.volume, (std::vector<double>{100, 200, 300}));
    const auto& adj = result.bars.indicators.at(0).values;
    EXPECT_EQ(adj[0], 1.1);
    EXPECT_TRUE(std::isnan(adj[1]));  // the empty field, moved with its row
    EXPECT_EQ(adj[2], 3.1);
    ASSERT_EQ(result.notes.size(), 1u);
    expect_contains(result.notes[0], {path, "newest first"});
    // An error in a reversed file still names the line as it is in the file.
    const auto bad = fixture(directory, "bad.csv",
                             std::string(kHeader) +
                                 "2024-01-04,3,3.5,2.5,3.25,300\n"
                                 "2024-01-03,2,1.5,2.5,2,200\n"
                                 "2024-01-02,1,1.5,0.5,1.25,100\n");
    EXPECT_EQ(import_error(bad), bad + ":3: expected low <= high, found low 2.5 > high 1.5");
}

TEST(CsvImport, MergedRecordingNumbersBarsInTimeOrderAcrossSymbols) {
    const auto symbol = [](const char* name, std::vector<TimestampNs> times) {
        SymbolBars bars{name, times, {}, {}, {}, {}, std::vector<double>(times.size(), 0.0)};
        bars.open = bars.high = bars.low = bars.close = std::vector<double>(times.size(), 1.0);
        return bars;
    };
    const SymbolBars a = symbol("AAA", {1, 3, 5}), b = symbol("BBB", {2, 3, 6});
    const Recording recording = make_imported_recording({a, b}, "two files");
    // Time order 1A 2B 3A 3B 5A 6B; the tie at 3 goes to the symbol given first.
    ASSERT_EQ(recording.bars.size(), 2u);
    EXPECT_EQ(recording.bars[0].sequence, (std::vector<std::int64_t>{0, 2, 4}));
    EXPECT_EQ(recording.bars[1].sequence, (std::vector<std::int64_t>{1, 3, 5}));
    EXPECT_EQ(recording.info.symbols, (std::vector<std::string>{"AAA", "BBB"}));
    EXPECT_EQ(recording.info.total_bars_recorded, 6);
    EXPECT_EQ(recording.info.status, RecordingStatus::kCompleted);
    EXPECT_EQ(recording.info.description, "two files");
    EXPECT_EQ(recording.info.recording_id.size(), 36u);
    EXPECT_TRUE(recording.events.empty());
    try {
        make_imported_recording({a, a}, "twice");
        ADD_FAILURE() << "a symbol given twice was accepted";
    } catch (const UserError& error) {
        expect_contains(error.what(), {"symbol 'AAA' comes from two files"});
    }
}

TEST(CsvImport, NamesSymbolsAndIndicatorColumns) {
    EXPECT_EQ(symbol_from_file_name("/data/orcl-1995-2014.txt"), "ORCL");
    EXPECT_EQ(symbol_from_file_name("msft_daily.csv"), "MSFT");
    EXPECT_EQ(symbol_from_file_name("spy.csv"), "SPY");
    EXPECT_EQ(symbol_from_file_name("brk b.csv"), "BRK");
    EXPECT_EQ(snake_case("Adj Close"), "adj_close");
    EXPECT_EQ(snake_case("OpenInterest"), "open_interest");
    EXPECT_EQ(snake_case("  RSI (14) "), "rsi_14");
    EXPECT_EQ(snake_case("bb_lower"), "bb_lower");
}

TEST(CsvImport, RejectsMissingColumnsNamingWhatWasFound) {
    TemporaryDirectory directory;
    const auto no_close = fixture(directory, "a.csv", "Date,Open,High,Low,Volume\n2024-01-02,1,1,1,0\n");
    expect_contains(import_error(no_close), {no_close + ":1: missing column 'close' (found: Date, Open, High, Low, "
                                                        "Volume); name it with --map close=NAME"});
    const auto no_volume = fixture(directory, "b.csv", "Date,Open,High,Low,Close\n2024-01-02,1,2,0.5,1.5\n");
    expect_contains(import_error(no_volume), {no_volume + ":1: missing column 'volume'", "or pass --no-volume"});
    CsvImportOptions options;
    options.no_volume = true;
    EXPECT_EQ(import_ohlcv_csv(no_volume, options).bars.volume, std::vector<double>{0.0});
    const auto no_date = fixture(directory, "c.csv", "Open,High,Low,Close,Volume\n1,1,1,1,0\n");
    expect_contains(import_error(no_date), {no_date + ":1: missing a date or timestamp column"});
}

TEST(CsvImport, RejectsGarbageLineWithLineNumber) {
    EXPECT_EQ(bad_row_error("2024-01-03,10,abc,9,10.5,100"), "FILE:3: column 'High': expected a number, found 'abc'");
    EXPECT_EQ(bad_row_error("this line is not csv"),
              "FILE:3: expected 6 fields like the header (Date,Open,High,Low,Close,Volume), found 1");
    expect_contains(bad_row_error("2024-13-03,10,11,9,10.5,100"),
                    {"FILE:3: column 'Date': expected an ISO 8601 date", "found '2024-13-03'"});
    TemporaryDirectory directory;
    const auto bad_indicator = fixture(directory, "d.csv",
                                       "Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,1,1,1,1,1,0\n"
                                       "2024-01-03,1,1,1,1,x,0\n");
    expect_contains(import_error(bad_indicator),
                    {bad_indicator + ":3: column 'Adj Close': expected a number or nothing, found 'x'"});
}

TEST(CsvImport, RejectsRowWithWrongFieldCount) {
    expect_contains(bad_row_error("2024-01-03,10,11,9,10.5,100,7"),
                    {"FILE:3: expected 6 fields like the header", "found 7"});
    expect_contains(bad_row_error("2024-01-03,10,11,9"), {"FILE:3: expected 6 fields", "found 4"});
}

TEST(CsvImport, RejectsEmptyAndHeaderOnlyFiles) {
    TemporaryDirectory directory;
    const auto empty = fixture(directory, "empty.csv", "");
    expect_contains(import_error(empty), {empty + ": the file is empty; expected a header line"});
    const auto blank = fixture(directory, "blank.csv", " \n\r\n\t\n");
    expect_contains(import_error(blank), {blank + ": the file is empty"});
    const auto header_only = fixture(directory, "header.csv", kHeader);
    expect_contains(import_error(header_only), {header_only + ": no data rows after the header"});
    const auto numbers = fixture(directory, "numbers.csv", "1,2,3,4,5,6\n1,2,3,4,5,6\n");
    expect_contains(import_error(numbers), {numbers + ":1: expected a header line naming the columns"});
    const auto missing = directory.file("missing.csv");
    expect_contains(import_error(missing), {missing + ": cannot open: No such file or directory"});
}

TEST(CsvImport, RejectsNonFiniteAndNonPositivePrices) {
    EXPECT_EQ(bad_row_error("2024-01-03,10,11,9,NaN,100"),
              "FILE:3: close: expected a finite positive price, found nan");
    EXPECT_EQ(bad_row_error("2024-01-03,10,inf,9,10,100"), "FILE:3: high: expected a finite positive price, found inf");
    EXPECT_EQ(bad_row_error("2024-01-03,10,11,-9,10,100"), "FILE:3: low: expected a finite positive price, found -9");
    EXPECT_EQ(bad_row_error("2024-01-03,0,11,9,10,100"), "FILE:3: open: expected a finite positive price, found 0");
    EXPECT_EQ(bad_row_error("2024-01-03,10,11,9,10,-5"), "FILE:3: volume: expected a finite number >= 0, found -5");
}

TEST(CsvImport, RejectsHighBelowLowAndOpenOutsideRange) {
    EXPECT_EQ(bad_row_error("2024-01-03,10,9,11,10,100"), "FILE:3: expected low <= high, found low 11 > high 9");
    EXPECT_EQ(bad_row_error("2024-01-03,12,11,9,10,100"),
              "FILE:3: expected low <= open <= high, found low 9, open 12, high 11");
}

TEST(CsvImport, RejectsOutOfOrderAndDuplicatedTimestamps) {
    EXPECT_EQ(bad_row_error("2024-01-01,10,11,9,10,100"),
              "FILE:3: timestamp 2024-01-01T00:00:00Z is before the previous bar's "
              "2024-01-02T00:00:00Z (timestamps must strictly increase)");
    EXPECT_EQ(bad_row_error("2024-01-02,10,11,9,10,100"),
              "FILE:3: duplicated timestamp 2024-01-02T00:00:00Z (timestamps must strictly increase)");
}

// The numbers of a raw line after its date (and time) fields, read with strtod.
std::vector<double> raw_numbers(const std::string& line, std::size_t time_fields) {
    std::vector<double> numbers;
    std::size_t begin = 0;
    for (std::size_t field = 0; begin <= line.size(); ++field) {
        const std::size_t end = std::min(line.find(',', begin), line.size());
        if (field >= time_fields) numbers.push_back(std::strtod(line.substr(begin, end - begin).c_str(), nullptr));
        begin = end + 1;
    }
    return numbers;
}

// The shared files against their first and last lines as `head -2` and `tail -1` show them.
struct RealFile {
    std::size_t rows;
    std::size_t time_fields;  // date, or date and time
    const char* first_line;
    const char* last_line;
    TimestampNs first_s, last_s;
    const char* indicator;  // Yahoo's Adj Close comes before Volume; OpenInterest after it
};

// clang-format off
const std::map<std::string, RealFile> kRealFiles = {
    {"orcl-1995-2014.txt", {5036, 1, "1995-01-03,2.179012,2.191358,2.117284,2.117284,1.883304,36301200",
        "2014-12-31,45.450001,45.560001,44.970001,44.970001,42.303135,13269200", 789'091'200, 1'419'984'000, "adj_close"}},
    {"nvda-1999-2014.txt", {4012, 1, "1999-01-22,1.750000,1.953125,1.552083,1.640625,1.518424,67867200",
        "2014-12-31,20.400000,20.510000,19.990000,20.049999,19.425875,4157500", 916'963'200, 1'419'984'000, "adj_close"}},
    {"yhoo-1996-2014.txt", {4713, 1, "1996-04-12,1.052083,1.791667,1.020833,1.375000,1.375000,408720000",
        "2014-12-31,51.540001,51.680000,50.459999,50.509998,50.509998,9305000", 829'267'200, 1'419'984'000, "adj_close"}},
    {"2006-min-005.txt", {2142, 2, "2006-01-02,09:05:00,3578.73,3587.88,3578.73,3582.99,0,0",
        "2006-01-30,17:30:00,3679.29,3679.40,3676.31,3677.52,0,0", 1'136'192'700, 1'138'642'200, "open_interest"}},
    {"2006-01-02-volume-min-001.txt", {30889, 2, "2006-01-02,09:01:00,3602.00,3603.00,3597.00,3599.00,5699,0",
        "2006-02-27,22:00:00,3840.00,3840.00,3838.00,3838.00,327,0", 1'136'192'460, 1'141'077'600, "open_interest"}},
};
// clang-format on

TEST(CsvImport, ImportsEverySharedRealDataFile) {
    const auto data = testing::shared_real_data();
    if (!data) GTEST_SKIP() << "../shared/data/real is absent";
    std::size_t imported = 0;
    for (const auto& entry : std::filesystem::directory_iterator(*data)) {
        if (entry.path().extension() != ".txt") continue;
        const std::string name = entry.path().filename().string();
        SCOPED_TRACE(name);
        ASSERT_TRUE(kRealFiles.count(name)) << "no expectations for " << name;
        const RealFile& want = kRealFiles.at(name);
        const CsvImportResult result = import_ohlcv_csv(entry.path().string(), {});
        const SymbolBars& bars = result.bars;
        ASSERT_EQ(bars.size(), want.rows);
        ASSERT_EQ(bars.indicators.size(), 1u);
        EXPECT_EQ(bars.indicators[0].name, want.indicator);
        EXPECT_EQ(bars.timestamp_ns.front(), want.first_s * kSecond);
        EXPECT_EQ(bars.timestamp_ns.back(), want.last_s * kSecond);
        const bool adj_first = std::string(want.indicator) == "adj_close";
        for (const auto& [row, line] :
             {std::pair{std::size_t{0}, want.first_line}, std::pair{bars.size() - 1, want.last_line}}) {
            const double indicator = bars.indicators[0].values[row];
            const std::vector<double> in_file_order = {bars.open[row],
                                                       bars.high[row],
                                                       bars.low[row],
                                                       bars.close[row],
                                                       adj_first ? indicator : bars.volume[row],
                                                       adj_first ? bars.volume[row] : indicator};
            EXPECT_EQ(in_file_order, raw_numbers(line, want.time_fields)) << line;
        }
        // Only the file whose header is one field short needs a note.
        EXPECT_EQ(result.notes.size(), name == "2006-01-02-volume-min-001.txt" ? 1u : 0u);
        ++imported;
    }
    EXPECT_EQ(imported, kRealFiles.size());
}

}  // namespace
}  // namespace tapegrid
