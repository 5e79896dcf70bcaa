"""Vectorised metrics vs a per-pair SciPy loop on the same (item, group) pairs.

    python benchmarks/metrics_bench.py [--pairs 1000000] [--loop-pairs N]

Prints both wall times and their ratio, measured in one run, and checks the two agree.
The pairs mimic survey items: 2-11 options, padded to 11; a third of items carry a
non-ordinal option (e.g. "Don't know"); a tenth list their options out of scale order. ``--loop-pairs`` times the SciPy loop on the
first N pairs only and scales it up linearly (default: all pairs).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.spatial.distance import jensenshannon
from scipy.stats import wasserstein_distance

from opinionbench.metrics import js_similarity, wasserstein_similarity

MAX_OPTIONS = 11


def make_pairs(n_pairs: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(2, MAX_OPTIONS + 1, size=n_pairs)
    present = np.arange(MAX_OPTIONS)[None, :] < sizes[:, None]
    model = rng.gamma(1.0, size=(n_pairs, MAX_OPTIONS)) * present
    human = rng.gamma(1.0, size=(n_pairs, MAX_OPTIONS)) * present
    positions = np.where(present, np.arange(1.0, MAX_OPTIONS + 1), np.nan)
    with_refusal = rng.random(n_pairs) < 1 / 3
    positions[with_refusal, sizes[with_refusal] - 1] = np.nan
    for row in np.flatnonzero(rng.random(n_pairs) < 0.1):  # options listed out of scale order
        positions[row, : sizes[row]] = rng.permutation(positions[row, : sizes[row]])
    return model / model.sum(1, keepdims=True), human / human.sum(1, keepdims=True), positions, sizes


def vectorised(model, human, positions):
    return js_similarity(model, human), wasserstein_similarity(model, human, positions)


def scipy_loop(model, human, positions, sizes):
    js, w1 = np.empty(len(model)), np.empty(len(model))
    for i, size in enumerate(sizes):
        p, q, pos = model[i, :size], human[i, :size], positions[i, :size]
        js[i] = 1 - jensenshannon(p, q, base=2)
        on = ~np.isnan(pos)
        if on.sum() < 2:
            w1[i] = np.nan
            continue
        values = pos[on]
        w1[i] = 1 - wasserstein_distance(values, values, p[on], q[on]) / (values.max() - values.min())
    return js, w1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--loop-pairs", type=int, default=None, help="pairs timed in the SciPy loop (default: all)")
    args = parser.parse_args()
    loop_pairs = min(args.loop_pairs or args.pairs, args.pairs)

    model, human, positions, sizes = make_pairs(args.pairs)
    start = time.perf_counter()
    js, w1 = vectorised(model, human, positions)
    vector_seconds = time.perf_counter() - start

    start = time.perf_counter()
    js_ref, w1_ref = scipy_loop(model[:loop_pairs], human[:loop_pairs], positions[:loop_pairs], sizes[:loop_pairs])
    loop_seconds = (time.perf_counter() - start) * args.pairs / loop_pairs

    np.testing.assert_allclose(js[:loop_pairs], js_ref, atol=1e-9)
    np.testing.assert_allclose(w1[:loop_pairs], w1_ref, atol=1e-9)
    scaled = "" if loop_pairs == args.pairs else f" (timed on {loop_pairs:,} pairs, scaled)"
    print(f"pairs scored:           {args.pairs:,} (js_similarity + wasserstein_similarity)")
    print(f"vectorised numpy:       {vector_seconds:8.2f} s")
    print(f"per-pair scipy loop:    {loop_seconds:8.2f} s{scaled}")
    print(f"speed-up (loop / vec):  {loop_seconds / vector_seconds:8.1f}x   (goal >= 50x); results agree to 1e-9")


if __name__ == "__main__":
    main()
