#!/usr/bin/env bash
# The README's first command: set up, build, then show tapegrid at work on data it generates itself.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
tapegrid=./build/tapegrid
out=demo-out
store=$out/recordings
mkdir -p "$out"
export TAPEGRID_STORE=$store

run() { echo; echo "\$ tapegrid $*"; "$tapegrid" "$@"; }

# A seeded synthetic market: 10 symbols x 100,000 one-minute bars (1,000,000 bars).
if [[ ! -f $out/market.h5 ]]; then
  run generate --symbols 10 --bars 100000 --seed 42 -o "$out/market.h5"
fi
run recordings show "$out/market.h5"
run recordings bars "$out/market.h5" --symbol SYN03 --limit 5
# The same recording copied into the store, by export and import (a round trip).
if [[ ! -d $out/export ]]; then
  run export "$out/market.h5" --format csv -o "$out/export"
  run import "$out/export"
fi
run recordings list

# The demo sweep: mean_reversion across a grid (configs/demo.toml), in parallel, ranked.
run sweep configs/demo.toml --overwrite
echo "results: $out/sweep-demo/ (results.csv, results.h5, top.json, plan.json, config.toml)"

# A paper-trading session of mean_reversion over a synthetic feed, recorded bar by bar...
if [[ ! -f $out/paper.h5 ]]; then
  run record --strategy mean_reversion --set bb_std=1.5 --synthetic --symbols 3 --bars 20000 --seed 7 -o "$out/paper.h5"
fi
# ...replayed with other parameters and compared with what happened, then verified as recorded.
run replay "$out/paper.h5" --set rsi_threshold=25 --set stop_loss_pct=2 --positions 5
run replay "$out/paper.h5" --verify

# The dashboard's pages as files that open from disk (`tapegrid serve` shows the same at /).
run report "$out/sweep-demo" -o "$out/sweep.html" --overwrite
run report "$out/paper.h5" -o "$out/paper.html" --overwrite
echo "pages: $out/sweep.html and $out/paper.html (open in a browser); \`tapegrid serve --store $store\` serves them all"
