"""Benchmark re-identification measures on 1,000,000 synthetic records.

Reproduces the data shape of ``reference/reidentification.md``: four categorical
keys whose combinations are equally likely over 1,000,000 cells (sex 2 x birth
year 100 x postal code 500 x specialty 10), so that about 632,000 keys are
distinct and 36.8 % of records are sample uniques; then 5 % missing values,
independently, in three keys (about 142,600 records affected). Prints seconds
(best of ``--repeat`` runs) and peak memory traced by ``tracemalloc`` (a
separate run) for each case.

Run from the repository root::

    PYTHONPATH=. python benchmarks/bench_reidentification.py
"""

from __future__ import annotations

import argparse
import gc
import resource
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import pandas as pd

from exposure.diversity import homogeneity
from exposure.reidentification import dataset_risk, individual_risk
from exposure.suda import suda

KEYS = ["sex", "birth_year", "postal_code", "specialty"]
WITH_MISSING = ["birth_year", "postal_code", "specialty"]


def make_data(n: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the complete frame and a copy with 5 % missing in three keys."""
    rng = np.random.default_rng(seed)
    postal = np.array([f"{69000 + 7 * i:05d}" for i in range(500)])
    specialty = np.array(
        [
            "general",
            "cardiology",
            "dermatology",
            "psychiatry",
            "oncology",
            "gynaecology",
            "paediatrics",
            "ophthalmology",
            "addiction",
            "hiv",
        ]
    )
    frame = pd.DataFrame(
        {
            "sex": np.array(["F", "M"])[rng.integers(0, 2, n)],
            "birth_year": (1925 + rng.integers(0, 100, n)).astype(str),
            "postal_code": postal[rng.integers(0, 500, n)],
            "specialty": specialty[rng.integers(0, 10, n)],
            "weight": rng.uniform(10.0, 200.0, n),
            "category": np.array(["general", "mental_health", "sexual_health", "oncology"])[
                rng.integers(0, 4, n)
            ],
        }
    )
    holed = frame.copy()
    for column in WITH_MISSING:
        holed.loc[rng.random(n) < 0.05, column] = np.nan
    return frame, holed


def measure(func: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """Best wall time over ``repeat`` runs, and peak traced memory (MiB) of one more run."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak / 2**20, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="records (e.g. --n 100000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (e.g. --seed 1)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs per case (e.g. --repeat 1)"
    )
    args = parser.parse_args()

    frame, holed = make_data(args.n, args.seed)
    affected = int(holed[KEYS].isna().any(axis=1).sum())
    base = individual_risk(frame, KEYS)
    print(
        f"records {args.n:,}; distinct keys {int(base['risk'].sum().round()):,}; "
        f"sample uniques {int((base['fk'] == 1).sum()):,}; "
        f"records with a missing key {affected:,}"
    )
    cases: list[tuple[str, Callable[[], object]]] = [
        ("individual_risk, no missing", lambda: individual_risk(frame, KEYS)),
        ("individual_risk, no missing, weights", lambda: individual_risk(frame, KEYS, "weight")),
        (
            "individual_risk, no missing, weights exact",
            lambda: individual_risk(frame, KEYS, "weight", method="exact"),
        ),
        ("individual_risk, missing (wildcard)", lambda: individual_risk(holed, KEYS)),
        (
            "individual_risk, missing (wildcard), weights",
            lambda: individual_risk(holed, KEYS, "weight"),
        ),
        ("suda, no missing", lambda: suda(frame, KEYS)),
        ("suda, missing (category)", lambda: suda(holed, KEYS)),
        ("suda, missing (wildcard)", lambda: suda(holed, KEYS, missing="wildcard")),
        ("homogeneity, missing (category)", lambda: homogeneity(holed, KEYS, "category")),
        (
            "homogeneity, missing (wildcard)",
            lambda: homogeneity(holed, KEYS, "category", missing="wildcard"),
        ),
    ]
    print(f"{'case':48} {'seconds':>8} {'peak MiB':>9}  result")
    for name, func in cases:
        seconds, peak, result = measure(func, args.repeat)
        print(f"{name:48} {seconds:8.2f} {peak:9.0f}  {_describe(result)}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    print(f"process peak RSS {rss:.0f} MiB")


def _describe(result: object) -> str:
    if isinstance(result, pd.DataFrame) and "risk" in result:
        summary = dataset_risk(result)
        return (
            f"expected re-identifications {summary.expected_reidentifications:,.0f}, "
            f"uniques {summary.sample_uniques:,}"
        )
    if isinstance(result, pd.DataFrame) and "score" in result:
        scored = result["score"] > 0
        return (
            f"scored {int(scored.sum()):,}, max dis {result['dis_score'].max():.4f}, "
            f"NaN {int(result['dis_score'].isna().sum())}"
        )
    if isinstance(result, pd.DataFrame) and "homogeneous" in result:
        return f"homogeneous {int(result['homogeneous'].sum()):,}"
    return ""


if __name__ == "__main__":
    main()
