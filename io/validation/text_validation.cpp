// UTF-8 checks at the border.
#include "io/validation/text_validation.h"

#include <fmt/format.h>

#include "engine/core/errors.h"
#include "engine/core/printable.h"

namespace tapegrid {

void require_utf8(std::string_view text, const std::string& what) {
    const std::size_t bad = first_invalid_utf8(text);
    if (bad == std::string_view::npos) return;
    throw UserError(fmt::format("{}: expected UTF-8 text, found a byte that is not UTF-8 at byte {}: '{}'", what, bad,
                                printable(text)));
}

void require_utf8_metadata(const RecordingInfo& info, const std::string& where) {
    require_utf8(info.recording_id, where + ": recording_id");
    require_utf8(info.session_id, where + ": session_id");
    require_utf8(info.strategy_name, where + ": strategy_name");
    require_utf8(info.original_parameters, where + ": original_parameters");
    require_utf8(info.description, where + ": description");
    require_utf8(info.error_message, where + ": error_message");
    require_utf8(info.created_by, where + ": created_by");
    for (const auto& tag : info.tags) require_utf8(tag, where + ": tag");
    for (const auto& symbol : info.symbols) require_utf8(symbol, where + ": symbol");
}

}  // namespace tapegrid
