// The report of an import: each symbol's bar count and time span, counted as batches pass.
#include "io/import/recording_importer.h"

namespace tapegrid {

void ImportReport::start_symbol(const std::string& symbol) {
    symbols.push_back({symbol, 0, 0, 0});
}

void ImportReport::count(const SymbolBars& batch) {
    if (batch.size() == 0) return;
    ImportedSymbol& entry = symbols.back();
    if (entry.bars == 0) entry.first_ns = batch.timestamp_ns.front();
    entry.last_ns = batch.timestamp_ns.back();
    entry.bars += batch.size();
}

}  // namespace tapegrid
