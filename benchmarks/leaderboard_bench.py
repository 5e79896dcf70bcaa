"""Aggregating 1,000 results files into the leaderboard site: copies of one real lm-eval
results file under 1,000 model display names (``--metadata``'s ``display_name``, which names a
model in every output), in a temp folder; prints the wall time of ``build_site`` and the share
of each stage.

    python benchmarks/leaderboard_bench.py RESULTS_JSON [--models 1000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from opinionbench.leaderboard.site.command import build_site
from opinionbench.run_info import DISPLAY_NAME_KEY


def synthetic_outputs(results_file: Path, root: Path, n_models: int) -> None:
    """``n_models`` copies of ``results_file``, each under its own display name and folder."""
    results = json.loads(results_file.read_text(encoding="utf-8"))
    for index in range(n_models):
        for config in results["configs"].values():
            config.setdefault("metadata", {})[DISPLAY_NAME_KEY] = f"synthetic/model-{index:04d}"
        folder = root / f"model-{index:04d}"
        folder.mkdir(parents=True)
        (folder / results_file.name).write_text(json.dumps(results), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results_file", type=Path, help="a real lm-eval results_*.json")
    parser.add_argument("--models", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        outputs = Path(temp) / "lm_eval"
        synthetic_outputs(args.results_file, outputs, args.models)
        timings: dict[str, float] = {}
        start = time.perf_counter()
        build_site([outputs], Path(temp) / "site", timings=timings)
        total = time.perf_counter() - start
        size = sum(path.stat().st_size for path in (Path(temp) / "site").rglob("*") if path.is_file())
    print(f"{args.models} results files -> site in {total:.2f} s wall ({size / 1e6:.1f} MB)")
    for stage, seconds in timings.items():
        print(f"  {stage:<13} {seconds:7.2f} s  {seconds / total:6.1%}")


if __name__ == "__main__":
    main()
