// tapegrid._native: the C++ engine as seen from Python (engine/python/tapegrid/ wraps it in the
// original system's API). Everything here is a thin layer: recordings are written by
// SessionRecorder, read by load_recording, replayed by SessionReplayer and swept by SweepRunner,
// exactly as the CLI does, so a file or a figure is the same whichever side produced it.
//
// Columns cross into Python without a copy: a loaded recording is held by a shared_ptr, and each
// numpy array over one of its columns keeps it alive through a capsule. JSON crosses as text.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "engine/core/errors.h"
#include "engine/core/recording.h"
#include "engine/core/timestamp.h"
#include "engine/replay/session_replayer.h"
#include "engine/sweep/memory_path.h"
#include "engine/sweep/sweep_runner.h"
#include "io/config/sweep_config.h"
#include "io/hdf5/recording_reader.h"
#include "io/hdf5/session_recorder.h"
#include "io/hdf5/sweep_input_loader.h"
#include "io/json/recording_info_json.h"
#include "io/json/replay_json.h"
#include "io/results/sweep_directory.h"
#include "io/store/recording_store.h"

namespace py = pybind11;

namespace tapegrid {
namespace {

nlohmann::json parse_json(const std::string& text, const char* what) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& error) {
        throw UserError(std::string(what) + ": expected JSON, found '" + text + "' (" + error.what() + ")");
    }
}

// A loaded recording, shared by the arrays over its columns and by replayers made from it.
struct LoadedRecording {
    std::shared_ptr<const Recording> recording;
    std::string path;

    const SymbolBars& symbol(const std::string& name) const {
        if (const SymbolBars* bars = recording->find_symbol(name)) return *bars;
        std::string known;
        for (const auto& bars : recording->bars) known += (known.empty() ? "" : ", ") + bars.symbol;
        throw UserError(path + ": no symbol '" + name + "' in the recording (it has " + known + ")");
    }
};

// A read-only numpy array over `column`, keeping `owner` alive while it lives.
template <class T>
py::array_t<T> column_view(const std::vector<T>& column, const std::shared_ptr<const Recording>& owner) {
    auto* keep = new std::shared_ptr<const Recording>(owner);
    py::capsule base(keep, [](void* pointer) { delete static_cast<std::shared_ptr<const Recording>*>(pointer); });
    py::array_t<T> array({static_cast<py::ssize_t>(column.size())}, {static_cast<py::ssize_t>(sizeof(T))},
                         column.data(), base);
    py::detail::array_proxy(array.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
    return array;
}

py::dict bar_columns(const LoadedRecording& loaded, const std::string& symbol) {
    const SymbolBars& bars = loaded.symbol(symbol);
    py::dict columns;
    columns["timestamp_ns"] = column_view(bars.timestamp_ns, loaded.recording);
    columns["open"] = column_view(bars.open, loaded.recording);
    columns["high"] = column_view(bars.high, loaded.recording);
    columns["low"] = column_view(bars.low, loaded.recording);
    columns["close"] = column_view(bars.close, loaded.recording);
    columns["volume"] = column_view(bars.volume, loaded.recording);
    if (bars.sequence.size() == bars.size()) columns["sequence"] = column_view(bars.sequence, loaded.recording);
    py::dict indicators;
    for (const auto& indicator : bars.indicators)
        indicators[py::str(indicator.name)] = column_view(indicator.values, loaded.recording);
    columns["indicators"] = indicators;
    return columns;
}

// The events that match, as columns (strings are Python objects, so these are copied).
py::dict event_columns(const LoadedRecording& loaded, const std::optional<std::string>& type,
                       const std::optional<std::string>& symbol) {
    std::vector<std::int64_t> sequence, timestamp;
    py::list types, symbols, data, metadata, market;
    for (const Event& event : loaded.recording->events) {
        if (type && event.type != *type) continue;
        if (symbol && event.symbol != *symbol) continue;
        sequence.push_back(event.sequence);
        timestamp.push_back(event.timestamp_ns);
        types.append(event.type);
        symbols.append(event.symbol);
        data.append(event.event_data);
        metadata.append(event.decision_metadata);
        market.append(event.market_state);
    }
    py::dict columns;
    columns["sequence"] = py::array_t<std::int64_t>(static_cast<py::ssize_t>(sequence.size()), sequence.data());
    columns["timestamp_ns"] = py::array_t<std::int64_t>(static_cast<py::ssize_t>(timestamp.size()), timestamp.data());
    columns["event_type"] = types;
    columns["symbol"] = symbols;
    columns["event_data"] = data;
    columns["decision_metadata"] = metadata;
    columns["market_state"] = market;
    return columns;
}

class Replayer {
  public:
    explicit Replayer(const LoadedRecording& loaded, std::optional<double> periods_per_year)
        : replayer_(*loaded.recording, periods_per_year) {}

    void set_parameter(const std::string& name, const std::string& value) { replayer_.set_parameter(name, value); }

    std::string replay(const std::string& strategy) {
        ReplayOutcome outcome;
        {
            py::gil_scoped_release unlocked;
            outcome = replayer_.replay(strategy);
        }
        return replay_to_json(outcome, replayer_.recording().info, "", "", now_ns()).dump();
    }

  private:
    SessionReplayer replayer_;
};

struct SweepCall {
    std::string config;
    std::vector<std::pair<std::string, std::string>> overrides;
    std::optional<std::string> store;
    std::optional<std::string> out;
    std::size_t threads = 0;
    bool overwrite = false;
    bool force = false;
    bool resume = false;  // where a checkpoint exists (the CLI's --resume auto)
    std::optional<std::string> memory_limit;
};

// Runs a sweep as `tapegrid sweep` does, on a thread of its own with the GIL released; the
// calling thread wakes every 100 ms to run Python's signal handlers (Ctrl-C stops the sweep
// cleanly, its checkpoint written, then raises KeyboardInterrupt) and to report progress
// through `progress(rows_done, rows_total)`. Returns the output directory.
std::string sweep_from_config(const SweepCall& call, const py::object& progress) {
    SweepRequest request;
    request.threads = call.threads > 0 ? call.threads : std::max(1U, std::thread::hardware_concurrency());
    request.force = call.force;
    const std::string store = resolve_store_directory(call.store);
    SweepSpec spec = load_sweep_config(call.config, call.overrides, store);
    if (call.out) spec.output_directory = *call.out;
    if (call.resume && SweepDirectory::has_checkpoint(spec.output_directory))
        request.resume_from = SweepDirectory::checkpoint_to_resume(spec.output_directory);
    const std::uint64_t limit =
        call.memory_limit ? parse_byte_size(*call.memory_limit, "memory_limit") : default_memory_limit();
    const SweepRunner runner(spec, open_sweep_input(spec, request, limit, std::nullopt), request);
    SweepDirectory directory(spec.output_directory, runner, call.overwrite,
                             SweepOrigin{call.config, call.overrides, store});

    std::atomic<bool> stop{false};
    std::atomic<bool> done{false};
    SweepProgress sweep_progress;
    SweepOutcome outcome;
    std::exception_ptr failure;
    const std::uint64_t total = runner.plan().combinations;
    bool interrupted_by_python = false;
    {
        py::gil_scoped_release unlocked;
        std::thread worker([&] {
            try {
                outcome = runner.run(directory, &stop, &sweep_progress);
                directory.finish(outcome);
            } catch (...) {
                failure = std::current_exception();
            }
            done = true;
        });
        // Whatever happens here, the worker is stopped and joined before this scope ends: a
        // joinable std::thread destroyed would end the process.
        std::exception_ptr callback_failure;
        while (!done) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            py::gil_scoped_acquire locked;
            try {
                if (PyErr_CheckSignals() != 0) {
                    stop = true;
                    interrupted_by_python = true;
                    PyErr_Clear();
                }
                if (!progress.is_none() && !done) progress(sweep_progress.rows.load(), total);
            } catch (...) {  // the progress callback raised: stop the sweep, then raise it
                callback_failure = std::current_exception();
                stop = true;
                break;
            }
        }
        worker.join();
        if (callback_failure) {
            py::gil_scoped_acquire locked;
            std::rethrow_exception(callback_failure);
        }
    }
    if (failure) std::rethrow_exception(failure);
    if (!progress.is_none()) progress(sweep_progress.rows.load(), total);
    if (interrupted_by_python || outcome.interrupted)
        throw Interrupted("sweep stopped after " + std::to_string(outcome.tasks_done) + " of " +
                          std::to_string(runner.plan().tasks.size()) + " tasks; its checkpoint is in " +
                          directory.path().string() +
                          ": run it again with resume=True (or tapegrid sweep --resume) to finish");
    return directory.path().string();
}

}  // namespace
}  // namespace tapegrid

PYBIND11_MODULE(_native, m) {
    using namespace tapegrid;
    m.doc() = "tapegrid's C++ engine; use the tapegrid package, which wraps it";

    static py::exception<UserError> user_error(m, "UserError", PyExc_ValueError);
    // pybind11 takes a translator of an exception_ptr by value.
    py::register_exception_translator([](std::exception_ptr error) {  // NOLINT(performance-unnecessary-value-param)
        try {
            if (error) std::rethrow_exception(error);
        } catch (const UserError& e) {
            user_error(e.what());
        } catch (const Interrupted& e) {
            PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
        }
    });

    py::class_<FlushPolicy>(m, "FlushPolicy")
        .def(py::init([](std::size_t every_records, double every_seconds) {
                 FlushPolicy policy;
                 policy.every_records = every_records;
                 policy.every = std::chrono::milliseconds(static_cast<std::int64_t>(every_seconds * 1000.0));
                 return policy;
             }),
             py::arg("every_records") = 10'000, py::arg("every_seconds") = 1.0);

    py::class_<SessionRecorder>(m, "Recorder")
        .def(py::init([](const std::string& path, const std::string& session_id, std::int64_t instance_id,
                         const std::string& strategy_name, const std::string& parameters_json,
                         std::vector<std::string> symbols, const FlushPolicy& policy) {
                 return std::make_unique<SessionRecorder>(path, session_id, instance_id, strategy_name,
                                                          parse_json(parameters_json, "strategy_parameters"),
                                                          std::move(symbols), policy);
             }),
             py::arg("path"), py::arg("session_id"), py::arg("instance_id"), py::arg("strategy_name"),
             py::arg("parameters_json"), py::arg("symbols"), py::arg("flush_policy"))
        .def("record_market_data",
             [](SessionRecorder& r, const std::string& symbol, std::int64_t t, double open, double high, double low,
                double close, double volume, const std::vector<std::pair<std::string, double>>& indicators) {
                 std::vector<IndicatorValue> values;
                 values.reserve(indicators.size());
                 for (const auto& [name, value] : indicators) values.push_back({name, value});
                 r.record_market_data(symbol, t, open, high, low, close, volume, values);
             })
        .def("record_signal_detected",
             [](SessionRecorder& r, const std::string& symbol, std::int64_t t, const std::string& signal_type,
                double entry, double stop, double target, const std::string& indicators, double strength,
                const std::string& reasoning, const std::string& market_state, const std::string& extra) {
                 r.record_signal_detected(symbol, t, signal_type, entry, stop, target,
                                          parse_json(indicators, "indicators"), strength, reasoning,
                                          parse_json(market_state, "market_state"), parse_json(extra, "metadata"));
             })
        .def("record_order_placed",
             [](SessionRecorder& r, const std::string& symbol, std::int64_t t, const std::string& order_id,
                const std::string& side, double quantity, const std::string& order_type, double price,
                const std::string& market_state) {
                 r.record_order_placed(symbol, t, order_id, side, quantity, order_type, price,
                                       parse_json(market_state, "market_state"));
             })
        .def("record_order_filled",
             [](SessionRecorder& r, const std::string& symbol, std::int64_t t, const std::string& order_id,
                const std::string& side, double quantity, double fill_price, double commission,
                const std::string& market_state) {
                 r.record_order_filled(symbol, t, order_id, side, quantity, fill_price, commission,
                                       parse_json(market_state, "market_state"));
             })
        .def("record_position_opened",
             [](SessionRecorder& r, const std::string& symbol, std::int64_t t, double entry, double quantity,
                const std::string& direction, double stop, double target, const std::string& market_state) {
                 r.record_position_opened(symbol, t, entry, quantity, direction, stop, target,
                                          parse_json(market_state, "market_state"));
             })
        .def("record_position_closed",
             [](SessionRecorder& r, const std::string& symbol, std::int64_t t, double entry, double exit,
                double quantity, const std::string& direction, double pnl, double pnl_pct,
                const std::string& exit_reason, const std::string& market_state) {
                 r.record_position_closed(symbol, t, entry, exit, quantity, direction, pnl, pnl_pct, exit_reason,
                                          parse_json(market_state, "market_state"));
             })
        .def("record_scan_cycle",
             [](SessionRecorder& r, std::int64_t t, std::int64_t scanned, std::int64_t found,
                const std::string& details) { r.record_scan_cycle(t, scanned, found, parse_json(details, "details")); })
        .def("record_event",
             [](SessionRecorder& r, const std::string& type, const std::string& symbol, std::int64_t t,
                const std::string& data, const std::string& metadata, const std::string& market_state) {
                 r.record_event(type, symbol, t, parse_json(data, "event_data"),
                                parse_json(metadata, "decision_metadata"), parse_json(market_state, "market_state"));
             })
        .def("update_summary_stats", &SessionRecorder::update_summary_stats)
        .def("flush", &SessionRecorder::flush)
        .def("stop_recording", &SessionRecorder::stop_recording)
        .def("mark_failed", &SessionRecorder::mark_failed)
        .def("mark_interrupted", &SessionRecorder::mark_interrupted)
        .def("info_json",
             [](const SessionRecorder& r) { return recording_info_to_json(r.get_recording_info()).dump(); })
        .def_property_readonly("recording_id", &SessionRecorder::recording_id)
        .def_property_readonly("path", &SessionRecorder::path)
        .def_property_readonly("is_recording", &SessionRecorder::is_recording);

    py::class_<LoadedRecording>(m, "Recording")
        .def_readonly("path", &LoadedRecording::path)
        .def("info_json", [](const LoadedRecording& r) { return recording_info_to_json(r.recording->info).dump(); })
        .def("symbols",
             [](const LoadedRecording& r) {
                 std::vector<std::string> names;
                 for (const auto& bars : r.recording->bars) names.push_back(bars.symbol);
                 return names;
             })
        .def("bar_columns", &bar_columns, py::arg("symbol"))
        .def("event_columns", &event_columns, py::arg("type") = std::nullopt, py::arg("symbol") = std::nullopt);

    m.def(
        "load",
        [](const std::string& rec, const std::optional<std::string>& store) {
            const std::string path = resolve_recording(rec, resolve_store_directory(store));
            Recording recording;
            {
                py::gil_scoped_release unlocked;
                recording = load_recording(path);
            }
            return LoadedRecording{std::make_shared<const Recording>(std::move(recording)), path};
        },
        py::arg("rec"), py::arg("store") = std::nullopt);

    m.def(
        "resolve_store", [](const std::optional<std::string>& store) { return resolve_store_directory(store); },
        py::arg("store") = std::nullopt);

    py::class_<Replayer>(m, "Replayer")
        .def(py::init<const LoadedRecording&, std::optional<double>>(), py::arg("recording"),
             py::arg("periods_per_year") = std::nullopt)
        .def("set_parameter", &Replayer::set_parameter)
        .def("replay", &Replayer::replay, py::arg("strategy") = "");

    py::class_<SweepCall>(m, "SweepCall")
        .def(py::init<>())
        .def_readwrite("config", &SweepCall::config)
        .def_readwrite("overrides", &SweepCall::overrides)
        .def_readwrite("store", &SweepCall::store)
        .def_readwrite("out", &SweepCall::out)
        .def_readwrite("threads", &SweepCall::threads)
        .def_readwrite("overwrite", &SweepCall::overwrite)
        .def_readwrite("force", &SweepCall::force)
        .def_readwrite("resume", &SweepCall::resume)
        .def_readwrite("memory_limit", &SweepCall::memory_limit);
    m.def("sweep", &sweep_from_config, py::arg("call"), py::arg("progress") = py::none());
}
