"""A newcomer's path, end to end, as the README tells it: `opinionbench eval` of the bundled model
once on a whole task and once with `--limit`, then `opinionbench report`, `opinionbench
leaderboard build` and `leaderboard push --dry-run`. The partial run is labelled and kept apart
from the ranked full run everywhere, and no path of the machine appears in anything written."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from leaderboard_site_helpers import parse

from opinionbench.models import BUNDLED_MODELS

pytestmark = pytest.mark.slow

TASK = "pct_logprob"
LIMIT = 5


@pytest.fixture(scope="module")
def newcomer(lm_eval_run, eval_env, run_cli, tmp_path_factory) -> dict[str, Path]:
    """The two runs, the report, the site and the dry-run upload folder, all under one temp folder."""
    root = tmp_path_factory.mktemp("newcomer")
    found = {
        "full": lm_eval_run(root / "out" / "full", [TASK], "--apply_chat_template"),
        "partial": lm_eval_run(root / "out" / "partial", [TASK], "--limit", str(LIMIT)),
    }
    for command in (
        ("report", str(root / "out"), "--out", str(root / "report")),
        ("leaderboard", "build", str(root / "out"), "--out", str(root / "site")),
        ("leaderboard", "push", str(root / "site"), "--repo-id", "org/results", "--space-id", "org/board",
         "--dry-run", "--out", str(root / "upload")),
    ):  # fmt: skip
        result = run_cli(*command, env=eval_env, cwd=root)
        assert result.returncode == 0, result.stderr[-3000:]
    return {"root": root, **found}


def _reported(results_file: Path, metric: str) -> float:
    return json.loads(results_file.read_text(encoding="utf-8"))["results"][TASK][f"{metric},none"]


def test_each_run_is_in_a_folder_named_after_the_model(newcomer):
    name = BUNDLED_MODELS["smollm2"].display_name
    for kind in ("full", "partial"):
        assert newcomer[kind].parent == newcomer["root"] / "out" / kind / name
    counts = json.loads(newcomer["partial"].read_text(encoding="utf-8"))["n-samples"][TASK]
    assert counts["effective"] == LIMIT < counts["original"]


def test_the_report_labels_the_partial_run_and_flags_the_missing_chat_template(newcomer):
    readme = (newcomer["root"] / "report" / "README.md").read_text(encoding="utf-8")
    name = BUNDLED_MODELS["smollm2"].display_name
    original = json.loads(newcomer["partial"].read_text(encoding="utf-8"))["n-samples"][TASK]["original"]
    sections = {part.splitlines()[0]: part for part in readme.split("\n## ")[1:]}
    assert {heading for heading in sections if heading.startswith(TASK)} == {
        f"{TASK} — {name}",
        f"{TASK} — {name} (partial run)",
    }
    full, partial = sections[f"{TASK} — {name}"], sections[f"{TASK} — {name} (partial run)"]
    assert f"Run: {LIMIT} of {original} documents, partial run; no chat template;" in partial
    assert f"**Note: partial run: {LIMIT} of {original} documents.**" in partial
    assert "**Note: no chat template, on a chat model" in partial  # the bundled model has a chat template
    assert f"Run: {original} documents; chat template;" in full
    assert "**Note:" not in full


def test_the_site_ranks_the_full_run_and_shows_the_partial_run_apart(newcomer):
    page = parse(newcomer["root"] / "site" / "index.html")
    name = BUNDLED_MODELS["smollm2"].display_name
    full, partial = page.table("overview", runs="full"), page.table("overview", runs="partial")
    for table, kind in ((full, "full"), (partial, "partial")):
        [(row, cells)] = table.rows
        assert cells[0]["text"].strip() == name and row["data-run"] == kind
        shown = float(table.cells("econ")[cells[0]["text"]]["data-value"])
        assert shown == pytest.approx(_reported(newcomer[kind], "econ"), abs=1e-12)
    assert "partial run" in partial.cells("econ")[name]["text"]
    assert "partial run" not in full.cells("econ")[name]["text"]


def test_nothing_written_holds_a_path_of_the_machine(newcomer):
    root = newcomer["root"]
    machine = {str(Path.home()), tempfile.gettempdir(), os.getcwd(), str(root), str(Path(__file__).parents[3])}
    written = [path for folder in ("report", "site", "upload") for path in (root / folder).rglob("*") if path.is_file()]
    assert {path.suffix for path in written} >= {".md", ".tex", ".csv", ".html", ".png", ".parquet", ".jsonl"}
    for path in written:
        content = path.read_bytes()
        assert not [place for place in machine if place.encode() in content], path
