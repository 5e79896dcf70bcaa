"""The leaderboard's numbers as a dataset: ``data/results.parquet`` and ``data/results.jsonl``
(one row per model x task x metric) with a dataset card, loadable with
``datasets.load_dataset("SITE/data", split="test")``."""

from __future__ import annotations

import json
from pathlib import Path

import datasets
import yaml

from opinionbench.cards import SPLIT, size_category

from .ingest import Ingested
from .samples import SampleResults, interval_of

FILES = ("results.parquet", "results.jsonl")
COLUMNS = {
    "model": ("string", "the model, as lm-eval names it (`model_name`)"),
    "task": ("string", "the lm-eval task"),
    "family": ("string", "the task family (benchmark), or the task for tasks outside OpinionBench's families"),
    "metric": ("string", "the metric, as in lm-eval's table"),
    "filter": ("string", "lm-eval's filter of the metric (`none` for log-likelihood tasks)"),
    "value": ("float64", "the metric's value"),
    "stderr": ("float64", "its bootstrap standard error (`<metric>_stderr` in lm-eval's table; NaN when absent)"),
    "ci_low": ("float64", "lower bound of its 95 % bootstrap interval, from the samples log (NaN without one)"),
    "ci_high": ("float64", "upper bound of its 95 % bootstrap interval, from the samples log (NaN without one)"),
    "run_file": ("string", "the lm-eval results file the number comes from"),
}


def result_rows(ingested: Ingested, samples: SampleResults) -> list[dict]:
    """One row per counted (model, task) and metric, in model, task, metric order."""
    rows = []
    for entry in sorted(ingested.entries, key=lambda e: (e.model, e.task)):
        estimates = samples.estimates.get(entry, {})
        for metric, found in entry.metrics().items():
            rows.append(
                {
                    "model": entry.model,
                    "task": entry.task,
                    "family": entry.family_name,
                    "metric": metric,
                    "filter": found["filter"],
                    "value": found["value"],
                    "stderr": found["stderr"],
                    **interval_of(estimates.get(metric)),
                    "run_file": str(entry.run.results_file),
                }
            )
    return rows


def write_dataset(rows: list[dict], ingested: Ingested, folder: Path) -> None:
    """Write the Parquet and JSON Lines files and the card into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    features = datasets.Features({name: datasets.Value(kind) for name, (kind, _) in COLUMNS.items()})
    table = datasets.Dataset.from_list(rows, features=features) if rows else _empty(features)
    table.to_parquet(str(folder / FILES[0]))
    with (folder / FILES[1]).open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, allow_nan=True, ensure_ascii=False) + "\n")
    (folder / "README.md").write_text(_card(rows, ingested), encoding="utf-8")


def _empty(features: datasets.Features) -> datasets.Dataset:
    return datasets.Dataset.from_dict({name: [] for name in features}, features=features)


def _card(rows: list[dict], ingested: Ingested) -> str:
    header = {
        "pretty_name": "OpinionBench leaderboard results",
        "license": "other",
        "tags": ["leaderboard", "evaluation", "opinions", "values", "alignment"],
        "size_categories": [size_category(len(rows))],
        "configs": [{"config_name": "default", "data_files": [{"split": SPLIT, "path": FILES[0]}]}],
    }
    schema = ["| column | type | meaning |", "|---|---|---|"]
    schema += [f"| `{name}` | {kind} | {meaning} |" for name, (kind, meaning) in COLUMNS.items()]
    notes = [f"- superseded: `{old.run.results_file}` ({old.model}, {old.task})" for old, _ in ingested.superseded]
    notes += [f"- rejected: `{rejected.file}`: {rejected.reason}" for rejected in ingested.rejected]
    body = [
        "# OpinionBench leaderboard results",
        "",
        (
            f"{len(rows)} numbers of {len(ingested.models())} models from lm-eval results files, aggregated by "
            "`opinionbench leaderboard build`: one row per model, task and metric. The same files as JSON Lines: "
            f"`{FILES[1]}`. The licence of each number follows the benchmark it comes from (see its dataset card)."
        ),
        "",
        (
            "When the same model ran the same task more than once, the latest run counts (lm-eval's `date`) and "
            "the others are listed below as superseded. Results files that do not follow lm-eval's results schema "
            "are rejected and listed with the reason."
        ),
        "",
        "## Columns",
        "",
        *schema,
        "",
        "## Superseded and rejected files",
        "",
        *(notes or ["None."]),
    ]
    return f"---\n{yaml.safe_dump(header, sort_keys=False, allow_unicode=True)}---\n\n" + "\n".join(body) + "\n"
