#!/usr/bin/env python3
"""How often a search of 10% of a grid finds a combination in the grid's top 1% (docs/SEARCH.md).

Runs the whole grid once, then random and Bayesian searches with a budget of a tenth of it for
seeds 1..N, and prints, per method, in how many seeds the best sharpe_ratio among the search's rows
is within the grid's top 1% by sharpe_ratio (the config should rank by sharpe_ratio without
filters, as configs/bench_mean_reversion.toml does), and how often it is the grid's best.

Usage: search_quality.py TAPEGRID CONFIG.toml OUT_DIR [SEEDS] [THREADS]
"""
import csv
import json
import subprocess
import sys
import time


def sweep(tapegrid, config, out, threads, *settings):
    command = [tapegrid, "sweep", config, "--threads", str(threads), "--quiet", "--overwrite", "--out", out]
    for setting in settings:
        command += ["--set", setting]
    started = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def sharpe_ratios(results_csv):
    with open(results_csv) as f:
        return [float(row["sharpe_ratio"]) for row in csv.DictReader(f)]


def main():
    tapegrid, config, out = sys.argv[1], sys.argv[2], sys.argv[3]
    seeds = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    threads = int(sys.argv[5]) if len(sys.argv) > 5 else 2
    grid_seconds = sweep(tapegrid, config, f"{out}/grid", threads)
    grid = sorted(sharpe_ratios(f"{out}/grid/results.csv"), reverse=True)
    top = max(1, len(grid) // 100)
    threshold = grid[top - 1]
    budget = len(grid) // 10
    report = {"grid_rows": len(grid), "grid_seconds": round(grid_seconds, 2), "budget": budget,
              "top_1pct_threshold": threshold, "grid_best": grid[0], "methods": {}}
    for method in ("random", "bayesian"):
        found, exact, bests, seconds = 0, 0, [], []
        for seed in range(1, seeds + 1):
            directory = f"{out}/{method}-{seed}"
            seconds.append(sweep(tapegrid, config, directory, threads, f"search.method={method}",
                                 f"search.budget={budget}", f"search.seed={seed}"))
            best = max(sharpe_ratios(f"{directory}/results.csv"))
            bests.append(best)
            found += best >= threshold
            exact += best >= grid[0]
        report["methods"][method] = {"found_in_top_1pct": found, "found_the_best": exact, "seeds": seeds,
                                     "best_sharpe_per_seed": [round(b, 4) for b in bests],
                                     "median_seconds": round(sorted(seconds)[len(seconds) // 2], 2)}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
