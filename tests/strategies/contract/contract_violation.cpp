// Registers ToyStrategy with one contract violation (-DCONTRACT_VIOLATION=N): this must not compile.
#include "strategies/strategy_contract.h"
#include "tests/strategies/contract/toy_strategy.h"

namespace tapegrid {

// What strategies/registry.h does for each registered strategy.
static_assert(check_strategy_contract<testing::ToyStrategy>());

}  // namespace tapegrid
