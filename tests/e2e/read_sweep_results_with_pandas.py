#!/usr/bin/env python3
"""Reads a sweep's results.h5 into a pandas DataFrame exactly as docs/FORMAT.md shows, and checks
it against results.csv read with pandas.read_csv: the same columns, rows and values.

Usage: read_sweep_results_with_pandas.py SWEEP_DIRECTORY
Prints "rows N, columns M, choice columns [...]" and exits 0 when they agree; raises otherwise.
"""
import sys

import h5py
import pandas as pd


def read_results_h5(path):
    # docs/FORMAT.md, "A sweep's results.h5 in pandas": these lines, verbatim.
    with h5py.File(path, "r") as f:
        results = pd.DataFrame({name: f[name][:] for name in f.attrs["columns"].astype(str)})
        for name in results.columns:  # choice parameters: stored as indices into their "choices"
            if "choices" in f[name].attrs:
                results[name] = pd.Categorical.from_codes(results[name].astype(int), f[name].attrs["choices"].astype(str))
    return results


def main(directory):
    from_h5 = read_results_h5(f"{directory}/results.h5")
    # round_trip: pandas' default float parser can be an ulp off the shortest round-trip text.
    from_csv = pd.read_csv(f"{directory}/results.csv", float_precision="round_trip")
    assert list(from_h5.columns) == list(from_csv.columns), (list(from_h5.columns), list(from_csv.columns))
    assert from_h5["combination"].dtype == "int64", from_h5["combination"].dtype
    choices = [name for name in from_h5.columns if isinstance(from_h5[name].dtype, pd.CategoricalDtype)]
    # results.h5 holds every parameter and metric as float64 (booleans 1.0/0.0, choices as codes);
    # read_csv makes whole numbers int64, true/false bool and choice names str.
    for name in from_csv.columns:
        if name != "combination" and name not in choices:
            from_csv[name] = from_csv[name].astype("float64")
    for name in choices:
        from_h5[name] = from_h5[name].astype(str)
    pd.testing.assert_frame_equal(from_h5, from_csv, check_exact=True)
    print(f"rows {len(from_h5)}, columns {len(from_h5.columns)}, choice columns {choices}")


if __name__ == "__main__":
    main(sys.argv[1])
