#!/usr/bin/env python3
"""Drive `tapegrid evaluate` from Python: a coordinate search over two parameters.

tapegrid loads the recordings once; each parameter set goes in as one JSON line and its result
row comes back as one JSON line. Any optimiser (Optuna, Nevergrad, your own) can sit where
`coordinate_search` is.

Usage: coordinate_search.py TAPEGRID CONFIG.toml
"""
import json
import subprocess
import sys


def main():
    tapegrid, config = sys.argv[1], sys.argv[2]
    evaluate = subprocess.Popen([tapegrid, "evaluate", config, "--stdin"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def sharpe_ratio(params):
        evaluate.stdin.write(json.dumps(params) + "\n")
        evaluate.stdin.flush()
        row = json.loads(evaluate.stdout.readline())
        if "error" in row:
            raise ValueError(row["error"])
        return row["sharpe_ratio"]

    space = {"rsi_threshold": [20, 25, 30, 35, 40], "stop_loss_pct": [0.5, 1, 2, 3]}
    best = {name: values[0] for name, values in space.items()}
    best_value, evaluations = sharpe_ratio(best), 1
    improved = True
    while improved:  # one parameter at a time, until no single change helps
        improved = False
        for name, values in space.items():
            for value in values:
                trial = dict(best, **{name: value})
                if trial == best:
                    continue
                value_of_trial = sharpe_ratio(trial)
                evaluations += 1
                if value_of_trial > best_value:
                    best, best_value, improved = trial, value_of_trial, True
    evaluate.stdin.close()
    if evaluate.wait() != 0:
        sys.exit("tapegrid evaluate failed")
    print(json.dumps({"best": best, "sharpe_ratio": best_value, "evaluations": evaluations}))


if __name__ == "__main__":
    main()
