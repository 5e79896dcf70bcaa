"""`opinionbench leaderboard build`: the site's tables and dataset equal the results files,
duplicate runs count once, bad files are rejected with their reason, hostile names stay text."""

from __future__ import annotations

import json
import math
from html.parser import HTMLParser
from pathlib import Path

import datasets
import pytest

from opinionbench.errors import OpinionBenchError
from opinionbench.leaderboard.site.command import build_site

# metric -> (value, standard error) in lm-eval's table
PCT = {"econ": (-1.5, 0.5), "soc": (2.25, 0.75), "uniform_econ": (0.3, 0.1)}
MENA = {"js_similarity": (0.4429, 0.006), "uniform_js_similarity": (0.6745, 0.002)}


def results_json(model: str, tasks: dict[str, dict], *, date: float = 1.0e9) -> dict:
    """A results file in lm-eval 0.4's schema: ``tasks`` maps a task to ``{metric: (value, stderr)}``."""
    results = {}
    for task, metrics in tasks.items():
        row = {"name": task, "alias": task, "sample_len": 10}
        for metric, (value, stderr) in metrics.items():
            row |= {f"{metric},none": value, f"{metric}_stderr,none": stderr, f"{metric}_stderr_stderr,none": "N/A"}
        results[task] = row
    return {
        "results": results,
        "group_subtasks": {task: [] for task in tasks},
        "configs": {task: {"task": task, "num_fewshot": 0, "metadata": {}} for task in tasks},
        "versions": {task: 1.0 for task in tasks},
        "n-shot": {task: 0 for task in tasks},
        "higher_is_better": {task: {} for task in tasks},
        "n-samples": {task: {"original": 10, "effective": 10} for task in tasks},
        "model_name": model,
        "model_name_sanitized": model.replace("/", "__"),
        "date": date,
    }


def write_results(root: Path, model: str, tasks: dict[str, dict], *, stamp: str = "2026-01-01T00-00-00", **kw) -> Path:
    folder = root / f"run_{stamp}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"results_{stamp}.json"
    path.write_text(json.dumps(results_json(model, tasks, **kw)), encoding="utf-8")
    return path


class _Cells(HTMLParser):
    """The index's table rows: per row the cells' text and data-* attributes; and every element."""

    def __init__(self):
        super().__init__()
        self.rows, self.tags, self.scripts, self._cell = [], [], [], None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self._cell = {"text": "", **dict(attrs)}
            self.rows[-1].append(self._cell)

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data
        if self.tags and self.tags[-1] == "script":
            self.scripts.append(data)


def load(site: Path) -> datasets.Dataset:
    """The site's dataset, as a user loads it (a private cache: each test's site is new)."""
    return datasets.load_dataset(str(site / "data"), split="test", cache_dir=str(site.parent / "hf_cache"))


def parse(path: Path) -> _Cells:
    parser = _Cells()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def table_cells(site: Path) -> dict[tuple[str, str], list[dict]]:
    """(model, task) -> the number cells of its family-table row (their text and data-* attributes)."""
    found = {}
    for row in parse(site / "index.html").rows:
        if len(row) > 2 and "data-stderr" in row[2]:
            found.setdefault((row[0]["text"], row[1]["text"]), row[2:])
    return found


def table_numbers(site: Path) -> dict[tuple[str, str], list[tuple[float, float]]]:
    """(model, task) -> the numbers of its family-table row, as (value, stderr)."""
    return {
        key: [(float(cell["data-value"]), float(cell["data-stderr"])) for cell in cells]
        for key, cells in table_cells(site).items()
    }


def test_table_values_and_intervals_equal_the_results_files(tmp_path):
    write_results(tmp_path / "out", "org/model-a", {"pct_logprob": PCT, "mena_values_logprob": MENA}, stamp="a")
    shifted = {k: (v[0] + 1, v[1]) for k, v in PCT.items()}
    write_results(tmp_path / "out", "org/model-b", {"pct_logprob": shifted}, stamp="b")
    site = build_site([tmp_path / "out"], tmp_path / "site")
    numbers = table_numbers(site)
    assert numbers[("org/model-a", "pct_logprob")] == [PCT["econ"], PCT["soc"]]
    assert numbers[("org/model-b", "pct_logprob")] == [(-0.5, 0.5), (3.25, 0.75)]
    assert numbers[("org/model-a", "mena_values_logprob")] == [MENA["js_similarity"]]
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "&plusmn; 0.5000" in index and "uniform 0.6745" in index  # standard errors and baselines shown
    assert index.count('class="compass-point"') == 2  # both models on the compass
    assert len(list((site / "models").iterdir())) == 2


def test_the_latest_run_of_a_model_and_task_counts(tmp_path, capsys):
    old = write_results(tmp_path / "out", "m", {"pct_logprob": PCT}, stamp="2026-01-01T00-00-00", date=1.0e9)
    newer = {k: (v[0] / 2, v[1]) for k, v in PCT.items()}
    new = write_results(tmp_path / "out", "m", {"pct_logprob": newer}, stamp="2026-01-02T00-00-00", date=2.0e9)
    site = build_site([tmp_path / "out"], tmp_path / "site")
    assert table_numbers(site) == {("m", "pct_logprob"): [newer["econ"], newer["soc"]]}
    assert f"superseded {old}" in capsys.readouterr().out
    rows = load(site).to_list()
    assert len(rows) == len(PCT) and {row["run_file"] for row in rows} == {str(new)}
    model_page = next((site / "models").iterdir()).read_text(encoding="utf-8")
    assert "Superseded runs" in model_page and str(old) in model_page


def test_malformed_and_truncated_files_are_rejected_with_their_reason(tmp_path, capsys):
    good = write_results(tmp_path / "out", "good", {"pct_logprob": PCT}, stamp="a")
    truncated = write_results(tmp_path / "out", "cut", {"pct_logprob": PCT}, stamp="b")
    truncated.write_text(truncated.read_text()[:200], encoding="utf-8")
    wrong_type = write_results(tmp_path / "out", "typed", {"pct_logprob": PCT}, stamp="c")
    data = json.loads(wrong_type.read_text())
    data["results"]["pct_logprob"]["econ,none"] = "high"
    wrong_type.write_text(json.dumps(data), encoding="utf-8")
    no_configs = write_results(tmp_path / "out", "bare", {"pct_logprob": PCT}, stamp="d")
    data = json.loads(no_configs.read_text())
    del data["configs"]
    no_configs.write_text(json.dumps(data), encoding="utf-8")

    site = build_site([tmp_path / "out"], tmp_path / "site")
    printed = capsys.readouterr().out
    index = (site / "index.html").read_text(encoding="utf-8")
    reasons = {
        truncated: "not valid JSON",
        wrong_type: "results[&#x27;pct_logprob&#x27;][&#x27;econ,none&#x27;] is str",
        no_configs: "no &#x27;configs&#x27; key",
    }
    for path, reason in reasons.items():
        assert f"rejected {path}" in printed
        assert f"rejected {path}: {reason}" in index
    assert list(table_numbers(site)) == [("good", "pct_logprob")]
    assert {row["model"] for row in load(site)} == {"good"}
    assert str(good) not in printed


def test_hostile_model_names_are_text_and_cannot_write_outside_the_site(tmp_path):
    hostile = "<script>alert(1)</script>"
    escaping = "../../../escaped/../x"
    write_results(tmp_path / "out", hostile, {"pct_logprob": PCT}, stamp="a")
    write_results(tmp_path / "out", escaping, {"pct_logprob": PCT}, stamp="b")
    write_results(tmp_path / "out", "/abs/path", {"pct_logprob": PCT}, stamp="c")
    site = build_site([tmp_path / "out"], tmp_path / "deep" / "site")
    for page in [site / "index.html", *(site / "models").iterdir()]:
        parsed = parse(page)
        assert parsed.tags.count("script") == 1 and "alert" not in "".join(parsed.scripts)  # only the sort script
    assert hostile in {row[0]["text"] for row in parse(site / "index.html").rows if row}
    written = {path.resolve() for path in tmp_path.rglob("*") if path.is_file()} - {
        path.resolve() for path in (tmp_path / "out").rglob("*")
    }
    assert all(path.is_relative_to(site.resolve()) for path in written)
    assert len(list((site / "models").iterdir())) == 3
    assert all(".." not in page.name and page.suffix == ".html" for page in (site / "models").iterdir())


def test_dataset_rows_equal_the_results_files(tmp_path):
    write_results(tmp_path / "out", "org/a", {"pct_logprob": PCT, "mena_values_logprob": MENA}, stamp="a")
    write_results(tmp_path / "out", "org/b", {"mena_values_logprob": MENA}, stamp="b")
    site = build_site([tmp_path / "out"], tmp_path / "site")
    loaded = load(site).to_list()
    expected = {
        (model, task, metric): bounds
        for model, tasks in {
            "org/a": {"pct_logprob": PCT, "mena_values_logprob": MENA},
            "org/b": {"mena_values_logprob": MENA},
        }.items()
        for task, metrics in tasks.items()
        for metric, bounds in metrics.items()
    }
    assert {(r["model"], r["task"], r["metric"]): (r["value"], r["stderr"]) for r in loaded} == expected
    assert all(math.isnan(r["ci_low"]) and math.isnan(r["ci_high"]) for r in loaded)  # no samples logs
    lines = [json.loads(line) for line in (site / "data" / "results.jsonl").read_text().splitlines()]
    assert json.dumps(lines) == json.dumps(loaded)  # NaN compares as text
    card = (site / "data" / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n") and "path: results.parquet" in card


def test_nothing_usable_leaves_no_folder(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "results_x.json").write_text("{", encoding="utf-8")
    with pytest.raises(OpinionBenchError, match="no valid lm-eval results file"):
        build_site([tmp_path / "out"], tmp_path / "site")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.fixture(scope="module")
def mena_run(tmp_path_factory, lm_eval_run) -> Path:
    return lm_eval_run(tmp_path_factory.mktemp("site_mena"), ["mena_values_logprob"], "--limit", "4")


def test_real_run_per_country_table_from_the_report_code(mena_run, eval_env, tmp_path, run_cli, monkeypatch):
    from opinionbench.leaderboard.report.rescoring import rescore
    from opinionbench.leaderboard.report.survey_report import country_report
    from opinionbench.lm_eval_outputs import find_runs

    result = run_cli("leaderboard", "build", str(mena_run), "--out", str(tmp_path / "site"), env=eval_env)
    assert result.returncode == 0, result.stderr[-3000:]
    [run] = find_runs(mena_run)
    rows = parse(tmp_path / "site" / "index.html").rows
    country_rows = {
        row[1]["text"]: float(row[4]["data-value"])
        for row in rows
        if len(row) > 4 and "data-value" in row[2] and "data-ci-low" not in row[2]
    }
    for name in ("OPINIONBENCH_CACHE", "OPINIONBENCH_SOURCES"):
        monkeypatch.setenv(name, eval_env[name])
    # the table's number and standard error from lm-eval's table, its interval from the samples log
    [js_similarity, *_] = table_cells(tmp_path / "site")[(run.model_name, "mena_values_logprob")]
    estimate = rescore(run, "mena_values_logprob").estimates["js_similarity"]
    assert float(js_similarity["data-value"]) == run.summary("mena_values_logprob")["js_similarity"]
    assert float(js_similarity["data-stderr"]) == run.stderrs("mena_values_logprob")["js_similarity"] == estimate.stderr
    assert (float(js_similarity["data-ci-low"]), float(js_similarity["data-ci-high"])) == (
        estimate.ci_low,
        estimate.ci_high,
    )
    expected = {
        r["country"]: r["js_similarity"] for r in country_report(rescore(run, "mena_values_logprob")).country_rows()
    }
    assert country_rows == expected and not any(math.isnan(v) for v in expected.values())
