"""The leaderboard's numbers as a dataset: ``data/results.parquet`` and ``data/results.jsonl``
(one row per model x task x kind of run x metric, with the run's metadata) with a dataset card
whose header is ``huggingface_hub``'s card data (with the ``datasets`` library's ``dataset_info``,
:func:`opinionbench.cards.dataset_infos`); loadable with
``datasets.load_dataset("SITE/data", split="test")``. Files are named by their name only."""

from __future__ import annotations

import json
from pathlib import Path

import datasets
from huggingface_hub import DatasetCard, DatasetCardData

from opinionbench.cards import SPLIT, dataset_infos, parquet_file, size_category

from .ingest import Ingested
from .site_data import SiteData

FILES = ("results.parquet", "results.jsonl")
CONFIG = "default"
# column -> (type, meaning); the run's metadata columns are RunInfo.fields (opinionbench.run_info).
COLUMNS = {
    "model": ("string", "the model's display name (never a path of the machine that ran it)"),
    "task": ("string", "the lm-eval task"),
    "family": ("string", "the task family (benchmark), or the task for tasks outside OpinionBench's families"),
    "metric": ("string", "the metric, as in lm-eval's table"),
    "filter": ("string", "lm-eval's filter of the metric (`none` for log-likelihood tasks)"),
    "value": ("float64", "the metric's value"),
    "stderr": ("float64", "its bootstrap standard error (`<metric>_stderr` in lm-eval's table; NaN when absent)"),
    "ci_low": ("float64", "lower bound of its 95 % bootstrap interval, from the samples log (NaN without one)"),
    "ci_high": ("float64", "upper bound of its 95 % bootstrap interval, from the samples log (NaN without one)"),
    "documents": ("int64", "the documents the run scored (lm-eval's `n-samples` effective)"),
    "task_documents": ("int64", "the task's documents (lm-eval's `n-samples` original)"),
    "partial": ("bool", "whether the run scored only some of the documents: never ranked with full runs"),
    "chat_template": ("bool", "whether the prompts went through the model's chat template"),
    "system_instruction": ("string", "lm-eval's system instruction, if any"),
    "backend": ("string", "lm-eval's model backend (`hf`, `vllm`, `local-completions`, ...)"),
    "revision": ("string", "the model's revision or commit, where lm-eval recorded one"),
    "dtype": ("string", "the model's dtype"),
    "batch_size": ("string", "lm-eval's batch size"),
    "lm_eval_version": ("string", "the lm-eval version of the run"),
    "opinionbench_version": ("string", "the OpinionBench version of the run (`opinionbench eval` records it)"),
    "date": ("string", "when the run started (UTC)"),
    "flags": (
        "list[string]",
        "what a reader must know beside the number (partial run, no chat template, low option mass)",
    ),
    "run_file": ("string", "the name of the lm-eval results file the number comes from"),
}


def features() -> datasets.Features:
    """The dataset's features, from :data:`COLUMNS`."""
    return datasets.Features(
        {
            name: datasets.List(datasets.Value("string")) if kind == "list[string]" else datasets.Value(kind)
            for name, (kind, _) in COLUMNS.items()
        }
    )


def result_rows(data: SiteData) -> list[dict]:
    """One row per counted (model, task, kind of run) and metric, in model, task, metric order."""
    rows = []
    for entry in sorted(data.entries, key=lambda e: (e.model, e.task, e.partial)):
        run = {**entry.run.info.fields(entry.task), "flags": list(data.flags(entry))}
        for metric, found in data.numbers(entry).items():
            rows.append(
                {
                    "model": entry.model,
                    "task": entry.task,
                    "family": entry.family_name,
                    "metric": metric,
                    "filter": found["filter"],
                    "value": found["value"],
                    "stderr": found["stderr"],
                    "ci_low": found["ci_low"],
                    "ci_high": found["ci_high"],
                    **{name: value for name, value in run.items() if name != "model"},
                    "run_file": entry.run.results_file.name,
                }
            )
    return rows


def write_dataset(rows: list[dict], ingested: Ingested, folder: Path) -> None:
    """Write the Parquet and JSON Lines files and the card into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    table = datasets.Dataset.from_list(rows, features=features()) if rows else _empty(features())
    (folder / FILES[0]).write_bytes(parquet_file(table))
    with (folder / FILES[1]).open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, allow_nan=True, ensure_ascii=False) + "\n")
    (folder / "README.md").write_text(card(table, ingested), encoding="utf-8")


def card(table: datasets.Dataset, ingested: Ingested) -> str:
    """The dataset card: ``huggingface_hub``'s card data with ``configs`` and ``dataset_info``
    (features, split sizes and the Parquet file's checksum), then the columns and the files left out."""
    card_data = DatasetCardData(
        pretty_name="OpinionBench leaderboard results",
        license="other",
        tags=["leaderboard", "evaluation", "opinions", "values", "alignment"],
        size_categories=[size_category(len(table))],
    )
    infos = dataset_infos({CONFIG: table})
    infos.to_dataset_card_data(card_data)
    # The checksum of the file as this folder names it (``dataset_infos`` names a Hub folder's).
    card_data["dataset_info"]["download_checksums"] = {FILES[0]: next(iter(infos[CONFIG].download_checksums.values()))}
    card_data["configs"] = [{"config_name": CONFIG, "data_files": [{"split": SPLIT, "path": FILES[0]}]}]
    schema = ["| column | type | meaning |", "|---|---|---|"]
    schema += [f"| `{name}` | {kind} | {meaning} |" for name, (kind, meaning) in COLUMNS.items()]
    notes = [f"- superseded: `{ingested.shown(old)}` ({old.model}, {old.task})" for old, _ in ingested.superseded]
    notes += [f"- rejected: `{rejected.shown}`: {rejected.reason}" for rejected in ingested.rejected]
    body = [
        "# OpinionBench leaderboard results",
        "",
        (
            f"{len(table)} numbers of {len(ingested.models())} models from lm-eval results files, aggregated by "
            "`opinionbench leaderboard build`: one row per model, task, kind of run and metric, with the run's "
            f"metadata. The same rows as JSON Lines: `{FILES[1]}`. The licence of each number follows the "
            "benchmark it comes from (see its dataset card)."
        ),
        "",
        (
            "A partial run (`partial`: it scored `documents` of the task's `task_documents`) is never ranked with "
            "full runs. When the same model ran the same task more than once, the latest run counts (lm-eval's "
            "`date`) and the others are listed below as superseded. Results files that do not follow lm-eval's "
            "results schema are rejected and listed with the reason."
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
    return DatasetCard(f"---\n{card_data.to_yaml()}\n---\n\n" + "\n".join(body) + "\n").content


def _empty(features: datasets.Features) -> datasets.Dataset:
    return datasets.Dataset.from_dict({name: [] for name in features}, features=features)
