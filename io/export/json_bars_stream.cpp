// The JSON bars parser: nlohmann's parser callback converts each column value as it ends.
#include "io/export/json_bars_stream.h"

#include <array>
#include <cstdint>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "engine/core/errors.h"
#include "io/csv/csv_reader.h"
#include "io/json/json_numbers.h"

namespace tapegrid {

namespace {

using nlohmann::json;
using Event = json::parse_event_t;

// Thrown from the callback to stop the parse where the file leaves the export's layout.
struct LeavesTheLayout {};

double number_or_null(const json& value, const std::string& where) {
    if (value.is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (value.is_number()) return value.get<double>();
    if (value == "inf") return std::numeric_limits<double>::infinity();
    if (value == "-inf") return -std::numeric_limits<double>::infinity();
    throw UserError(where + ": expected a number or null, found " + value.dump());
}

// The parse's state: where in the layout the parser is, and the columns so far.
class BarsLayout {
  public:
    BarsLayout(const std::string& symbol, const std::filesystem::path& path) : where_(path.string()) {
        bars_.symbol = symbol;
    }

    // nlohmann's callback: true keeps the value in the document, false drops it.
    bool on(int depth, Event event, json& parsed) {
        if (depth == 0) {
            if (event == Event::object_start || event == Event::object_end) return true;
            throw LeavesTheLayout{};  // the top level is not an object
        }
        if (depth == 1) return on_top_level(event, parsed);
        if (key_ == "indicators") return on_indicators(depth, event, parsed);
        if (in_column_ && depth == 2 && event == Event::value) {
            convert(parsed);
            return false;
        }
        if (in_column_) throw LeavesTheLayout{};  // a column's value is an array or an object
        return true;                              // inside a key the layout does not read
    }

    // The bars, when every column was there.
    SymbolBars finish() {
        for (const char* name : {"timestamp", "open", "high", "low", "close", "volume", "sequence", "indicators"})
            if (!seen_.count(name)) throw LeavesTheLayout{};
        for (auto& [name, values] : indicators_) bars_.indicators.push_back({name, std::move(values)});
        return std::move(bars_);
    }

  private:
    bool on_top_level(Event event, json& parsed) {
        if (event == Event::key) {
            key_ = parsed.get<std::string>();
            in_column_ = false;
            if (!known(key_)) return true;
            if (!seen_.insert(key_).second) throw LeavesTheLayout{};  // a column given twice
            return true;
        }
        if (!known(key_)) return true;
        const bool indicators = key_ == "indicators";
        if (event == (indicators ? Event::object_start : Event::array_start)) {
            in_column_ = !indicators;
            return true;
        }
        if (event == (indicators ? Event::object_end : Event::array_end)) {
            in_column_ = false;
            return true;
        }
        throw LeavesTheLayout{};  // a column that is not an array, indicators not an object
    }

    bool on_indicators(int depth, Event event, json& parsed) {
        if (depth == 2 && event == Event::key) {
            indicator_ = parsed.get<std::string>();
            if (indicators_.count(indicator_)) throw LeavesTheLayout{};  // an indicator given twice
            indicators_[indicator_];
            return true;
        }
        if (depth == 2 && (event == Event::array_start || event == Event::array_end)) return true;
        if (depth == 3 && event == Event::value) {
            indicators_[indicator_].push_back(number_or_null(parsed, where_ + ": " + indicator_));
            return false;
        }
        throw LeavesTheLayout{};  // an indicator that is not an array of plain values
    }

    // One value of the column `key_`, converted as the document reader converts it.
    void convert(const json& value) {
        if (key_ == "timestamp")
            bars_.timestamp_ns.push_back(require_iso8601(value.get<std::string>(), where_));
        else if (key_ == "sequence")
            bars_.sequence.push_back(json_whole_number<std::int64_t>(value, where_ + ": sequence"));
        else
            price_column().push_back(number_or_null(value, where_ + ": " + key_));
    }

    std::vector<double>& price_column() {
        if (key_ == "open") return bars_.open;
        if (key_ == "high") return bars_.high;
        if (key_ == "low") return bars_.low;
        if (key_ == "close") return bars_.close;
        return bars_.volume;
    }

    static bool known(const std::string& key) {
        static const std::set<std::string> kKeys = {"timestamp", "open",   "high",     "low",
                                                    "close",     "volume", "sequence", "indicators"};
        return kKeys.count(key) > 0;
    }

    std::string where_;
    SymbolBars bars_;
    std::map<std::string, std::vector<double>> indicators_;  // by name, as a JSON object lists them
    std::set<std::string> seen_;
    std::string key_;         // the top-level key the parser is in
    bool in_column_ = false;  // inside the array of one of the seven columns
    std::string indicator_;   // the indicator the parser is in
};

}  // namespace

std::optional<SymbolBars> read_json_bars_streamed(const std::string& symbol, const std::filesystem::path& path) {
    std::ifstream in = open_text_file(path.string());
    BarsLayout layout(symbol, path);
    try {
        // What the parse returns is the layout's skeleton, every value dropped.
        const json skeleton =
            json::parse(in, [&](int depth, Event event, json& parsed) { return layout.on(depth, event, parsed); });
        return layout.finish();
    } catch (const LeavesTheLayout&) {
        return std::nullopt;
    } catch (const UserError&) {
        return std::nullopt;  // a value that does not convert: the document reader says which
    } catch (const json::parse_error& error) {
        throw UserError(path.string() + ": not valid JSON: " + error.what());
    } catch (const json::out_of_range& error) {  // a number beyond double
        throw UserError(path.string() + ": not valid JSON: " + error.what());
    } catch (const json::exception&) {
        return std::nullopt;  // a value of the wrong type
    }
}

}  // namespace tapegrid
