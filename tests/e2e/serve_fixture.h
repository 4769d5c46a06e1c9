// A real `tapegrid serve` on a loopback port for the HTTP tests, and a store to serve.
#pragma once

#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/child_process.h"
#include "tests/support/test_support.h"

namespace tapegrid::testing {

// `tapegrid serve --store STORE --port 0 EXTRA...`, started and stopped by its pid.
class ServeProcess {
  public:
    ServeProcess(const std::string& store, const std::vector<std::string>& extra = {});
    ~ServeProcess();
    int port() const { return port_; }
    std::unique_ptr<httplib::Client> client() const;
    ChildProcess& process() { return *process_; }
    std::string log() const;  // its standard error

  private:
    TemporaryDirectory logs_;
    std::unique_ptr<ChildProcess> process_;
    int port_ = 0;
};

// Records a paper session of mean_reversion into `store` (a synthetic market) and returns its id.
std::string record_into_store(const std::string& store, int instance, const std::string& tag, int seed,
                              int bars = 1500);

// The answer's body as JSON (a failure when it is not), and its status checked.
nlohmann::json answer_json(const httplib::Result& result, int expected_status);

}  // namespace tapegrid::testing
