#!/usr/bin/env bash
# Fails, naming each file and line, when a C++ source differs from what clang-format makes of it
# (.clang-format at the root). Run by CTest (Format.SourcesAreClangFormatted); fix with:
#   git ls-files '*.h' '*.cpp' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."
clang_format=${CLANG_FORMAT:-clang-format}
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.h' '*.cpp')
else
  mapfile -t files < <(find engine io strategies tests bench -name '*.h' -o -name '*.cpp')
fi
"$clang_format" --dry-run -Werror "${files[@]}"
echo "check_format: ${#files[@]} files formatted as .clang-format says"
