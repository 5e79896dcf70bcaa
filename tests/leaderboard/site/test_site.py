"""`opinionbench leaderboard build`: the overview and family tables, the per-question pages and the
dataset equal the results files and the samples logs; partial runs are never ranked with full
runs; duplicate runs count once; bad files are rejected with their reason; hostile names stay
text; no absolute path of the machine reaches the site, its dataset or an upload folder."""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest
import yaml
from leaderboard_site_helpers import MENA, PCT, REPO, load, parse, results_json, write_results
from lm_eval_files import read_samples

from opinionbench import families
from opinionbench.errors import OpinionBenchError
from opinionbench.leaderboard import world_map
from opinionbench.leaderboard.site.command import build_site
from opinionbench.leaderboard.site.dataset import COLUMNS
from opinionbench.leaderboard.site.glossary import term
from opinionbench.leaderboard.site.tables import PARTIAL_CAPTION
from opinionbench.run_info import Coverage, run_info

SHIFTED = {metric: (value + 1, stderr) for metric, (value, stderr) in PCT.items()}


def _numbers(cells: dict[str, dict]) -> dict[str, tuple[float, float]]:
    """First cell -> (value, stderr) of a column's number cells."""
    return {key: (float(c["data-value"]), float(c["data-stderr"])) for key, c in cells.items() if "data-value" in c}


def _models(table) -> list[str]:
    return [cells[0]["text"] for _, cells in table.rows]


def test_the_overview_has_one_row_per_model_and_the_families_headline_numbers(tmp_path):
    write_results(tmp_path / "out", "org/model-a", {"pct_logprob": PCT, "mena_values_logprob": MENA}, stamp="a")
    write_results(tmp_path / "out", "org/model-b", {"pct_logprob": SHIFTED}, stamp="b")
    site = build_site([tmp_path / "out"], tmp_path / "site")
    overview = parse(site / "index.html").table("overview")
    headline = [*families.get("mena_values").headline, *families.get("pct").headline]
    assert overview.headers == ["model", *headline] and overview.runs == "full"
    assert _models(overview) == ["org/model-a", "org/model-b"]
    assert {row.get("data-run") for row, _ in overview.rows} == {"full"}
    assert _numbers(overview.cells("econ")) == {"org/model-a": PCT["econ"], "org/model-b": SHIFTED["econ"]}
    assert _numbers(overview.cells("js_similarity")) == {"org/model-a": MENA["js_similarity"]}
    assert overview.cells("js_similarity")["org/model-b"]["text"] == ""  # no MENAValues run
    # The uniform baseline in the header: one value, or the range over the runs.
    notes = dict(zip(overview.headers, overview.notes))
    assert notes["js_similarity"] == f"uniform {MENA['uniform_js_similarity'][0]:.4f}"
    assert notes["econ"] == f"uniform {PCT['uniform_econ'][0]:.4f}–{SHIFTED['uniform_econ'][0]:.4f}"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Partial runs" not in index
    assert index.count('class="compass-point"') == 2  # both models (at the answers: no expected numbers)
    assert "2 models, 3 results (3 full, 0 partial runs)" in index
    assert len(list((site / "models").iterdir())) == 2


def test_partial_runs_are_labelled_and_never_ranked_with_full_runs(tmp_path, capsys):
    out = tmp_path / "out"
    write_results(out, "m", {"pct_logprob": PCT}, stamp="2026-01-01T00-00-00", date=1.0e9, documents=62)
    # A later partial run of the same model and task does not supersede the full run.
    write_results(out, "m", {"pct_logprob": SHIFTED}, stamp="2026-01-02T00-00-00", date=2.0e9, documents=62, scored=5)
    write_results(out, "n", {"pct_logprob": SHIFTED}, stamp="2026-01-03T00-00-00", documents=62, scored=7)
    site = build_site([out], tmp_path / "site")
    assert "superseded" not in capsys.readouterr().out
    page = parse(site / "index.html")
    full, partial = page.table("overview", runs="full"), page.table("overview", runs="partial")
    assert _models(full) == ["m"] and _numbers(full.cells("econ")) == {"m": PCT["econ"]}
    assert _models(partial) == ["m", "n"]
    assert _numbers(partial.cells("econ")) == {"m": SHIFTED["econ"], "n": SHIFTED["econ"]}
    assert {row["data-run"] for row, _ in partial.rows} == {"partial"}
    # Each partial number says how much of the task was scored.
    assert "partial run: 5 of 62 documents" in partial.cells("econ")["m"]["text"]
    assert "partial run: 7 of 62 documents" in partial.cells("econ")["n"]["text"]
    assert "partial run" not in full.cells("econ")["m"]["text"]
    # The family's section: a table of full runs and one of partial runs.
    assert _models(page.table("family-pct", runs="full")) == ["m"]
    partial_rows = page.table("family-pct", caption=PARTIAL_CAPTION, runs="partial")
    assert _models(partial_rows) == ["m", "n"]
    assert Coverage(5, 62).text() in partial_rows.cells("run")["m"]["text"]
    rows = load(site).to_list()
    by_kind = {(r["model"], r["partial"], r["documents"], r["task_documents"]) for r in rows}
    assert by_kind == {("m", False, 62, 62), ("m", True, 5, 62), ("n", True, 7, 62)}


def test_the_latest_run_of_a_model_task_and_kind_of_run_counts(tmp_path, capsys):
    out = tmp_path / "out"
    old = write_results(out, "m", {"pct_logprob": PCT}, stamp="2026-01-01T00-00-00", date=1.0e9)
    newer = {k: (v[0] / 2, v[1]) for k, v in PCT.items()}
    new = write_results(out, "m", {"pct_logprob": newer}, stamp="2026-01-02T00-00-00", date=2.0e9)
    site = build_site([out], tmp_path / "site")
    assert _numbers(parse(site / "index.html").table("overview").cells("econ")) == {"m": newer["econ"]}
    printed = capsys.readouterr().out
    assert f"superseded {old.relative_to(tmp_path).as_posix()}" in printed and str(tmp_path) not in printed
    # One of a kind is named in the singular.
    assert f"1 model, 1 result, {len(PCT)} numbers" in printed
    assert "1 model, 1 result (1 full, 0 partial runs)" in parse(site / "index.html").text
    rows = load(site).to_list()
    assert len(rows) == len(PCT) and {row["run_file"] for row in rows} == {new.name}
    shown = old.relative_to(tmp_path).as_posix()  # out/run_.../results_....json
    model_page = next((site / "models").iterdir()).read_text(encoding="utf-8")
    assert "Superseded runs" in model_page and shown in model_page
    assert (
        f"superseded {shown} (m, pct_logprob) by {new.relative_to(tmp_path).as_posix()}"
        in parse(site / "index.html").text
    )
    assert f"`{shown}`" in (site / "data" / "README.md").read_text(encoding="utf-8")


def test_malformed_and_truncated_files_are_rejected_with_their_reason(tmp_path, capsys):
    out = tmp_path / "out"
    good = write_results(out, "good", {"pct_logprob": PCT}, stamp="a")
    truncated = write_results(out, "cut", {"pct_logprob": PCT}, stamp="b")
    truncated.write_text(truncated.read_text()[:200], encoding="utf-8")
    wrong_type = write_results(out, "typed", {"pct_logprob": PCT}, stamp="c")
    data = json.loads(wrong_type.read_text())
    data["results"]["pct_logprob"]["econ,none"] = "high"
    wrong_type.write_text(json.dumps(data), encoding="utf-8")
    no_configs = write_results(out, "bare", {"pct_logprob": PCT}, stamp="d")
    data = json.loads(no_configs.read_text())
    del data["configs"]
    no_configs.write_text(json.dumps(data), encoding="utf-8")

    site = build_site([out], tmp_path / "site")
    printed = capsys.readouterr().out
    index = parse(site / "index.html").text
    reasons = {
        truncated: "not valid JSON",
        wrong_type: "results['pct_logprob']['econ,none'] is a string 'high', expected a number",
        no_configs: "no 'configs' key",
    }
    for path, reason in reasons.items():
        assert f"rejected {path.relative_to(tmp_path).as_posix()}: {reason}" in printed
        assert f"rejected {path.relative_to(tmp_path).as_posix()}: {reason}" in index
    assert _models(parse(site / "index.html").table("overview")) == ["good"]
    assert {row["model"] for row in load(site)} == {"good"}
    assert str(good) not in printed and str(tmp_path) not in printed


def test_hostile_model_names_are_text_and_cannot_write_outside_the_site(tmp_path):
    hostile = "<script>alert(1)</script>"
    escaping = "../../../escaped/../x"
    out = tmp_path / "out"
    write_results(out, "org/a", {"pct_logprob": PCT}, stamp="a", display_name=hostile)
    write_results(out, "org/b", {"pct_logprob": PCT}, stamp="b", display_name=escaping)
    write_results(out, "org/c", {"pct_logprob": PCT}, stamp="c", display_name="/abs/path")
    write_results(out, "org/d", {"pct_logprob": PCT}, stamp="d", display_name="two\nlines\x00\x1b[2J")
    site = build_site([out], tmp_path / "deep" / "site")
    for page in [site / "index.html", *(site / "models").iterdir()]:
        parsed = parse(page)
        assert [tag for tag, _ in parsed.tags].count("script") == 1 and "alert" not in "".join(parsed.scripts)
        assert not {"\x00", "\x1b"} & set(page.read_text(encoding="utf-8"))
    shown = {hostile, escaping, "/abs/path", "two\ufffdlines\ufffd\ufffd[2J"}
    assert set(_models(parse(site / "index.html").table("overview"))) == shown
    written = {path.resolve() for path in tmp_path.rglob("*") if path.is_file()} - {
        path.resolve() for path in out.rglob("*")
    }
    assert all(path.is_relative_to(site.resolve()) for path in written)
    assert len(list((site / "models").iterdir())) == 4
    assert all(".." not in page.name and page.suffix == ".html" for page in (site / "models").iterdir())


def test_dataset_rows_hold_the_numbers_and_the_run_metadata(tmp_path):
    runs = {"org/a": {"pct_logprob": PCT, "mena_values_logprob": MENA}, "org/b": {"mena_values_logprob": MENA}}
    files = {model: write_results(tmp_path / "out", model, tasks, stamp=model[-1]) for model, tasks in runs.items()}
    site = build_site([tmp_path / "out"], tmp_path / "site")
    loaded = load(site).to_list()
    expected = {
        (model, task, metric): bounds
        for model, tasks in runs.items()
        for task, metrics in tasks.items()
        for metric, bounds in metrics.items()
    }
    assert {(r["model"], r["task"], r["metric"]): (r["value"], r["stderr"]) for r in loaded} == expected
    assert all(math.isnan(r["ci_low"]) and math.isnan(r["ci_high"]) for r in loaded)  # no samples logs
    date = datetime.datetime.fromtimestamp(1.0e9, tz=datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    for row in loaded:
        assert row["run_file"] == files[row["model"]].name  # the file's name, no folder
        assert (row["documents"], row["task_documents"], row["partial"]) == (10, 10, False)
        assert (row["chat_template"], row["backend"], row["dtype"], row["batch_size"]) == (True, "hf", "float32", "1")
        assert (row["lm_eval_version"], row["date"], row["flags"]) == ("0.4.13", date, [])
    lines = [json.loads(line) for line in (site / "data" / "results.jsonl").read_text().splitlines()]
    assert json.dumps(lines) == json.dumps(loaded)  # NaN compares as text
    card = (site / "data" / "README.md").read_text(encoding="utf-8")
    header = yaml.safe_load(card.split("---\n")[1])
    assert header["configs"] == [
        {"config_name": "default", "data_files": [{"split": "test", "path": "results.parquet"}]}
    ]
    info = header["dataset_info"]
    assert [feature["name"] for feature in info["features"]] == list(COLUMNS) == list(loaded[0])
    assert info["splits"] == [
        {"name": "test", "num_bytes": info["splits"][0]["num_bytes"], "num_examples": len(loaded)}
    ]
    parquet = (site / "data" / "results.parquet").read_bytes()
    assert info["download_checksums"] == {
        "results.parquet": {"num_bytes": len(parquet), "checksum": hashlib.sha256(parquet).hexdigest()}
    }
    # Every run field of the project's RunInfo is a column.
    fields = run_info(results_json("org/a", runs["org/a"])).fields("pct_logprob")
    assert set(fields) <= set(COLUMNS)


def test_flags_stand_beside_the_numbers(tmp_path):
    numbers = {**PCT, "option_mass": (0.05, 0.01)}
    results = write_results(
        tmp_path / "out", "org/chat-instruct", {"pct_logprob": numbers}, stamp="a", chat_template=False
    )
    site = build_site([tmp_path / "out"], tmp_path / "site")
    page = parse(site / "index.html")
    content = json.loads(results.read_text())
    flags = run_info(content).flags("pct_logprob", {"option_mass": 0.05})
    assert len(flags) == 2 and "no chat template" in flags[0] and "option_mass 5.0%" in flags[1]
    econ = page.table("overview").cells("econ")["org/chat-instruct"]["text"]
    run = page.table("family-pct").cells("run")["org/chat-instruct"]["text"]
    assert all(flag in econ and flag in run for flag in flags)
    assert {tuple(row["flags"]) for row in load(site)} == {tuple(flags)}


def test_every_metric_has_a_tooltip_and_a_glossary_entry(tmp_path):
    write_results(tmp_path / "out", "org/a", {"pct_logprob": PCT, "mena_values_logprob": MENA}, stamp="a")
    site = build_site([tmp_path / "out"], tmp_path / "site")
    page = parse(site / "index.html")
    tables = [page.table("overview"), page.table("family-pct"), page.table("family-mena_values")]
    pct, mena = families.get("pct"), families.get("mena_values")
    for table in tables:
        for header, tooltip in zip(table.headers, table.tooltips):
            if header in PCT or header in MENA:
                family = pct if header in PCT else mena
                assert tooltip == term(header, family, {}).tooltip()
    econ = dict(zip(tables[1].headers, tables[1].tooltips))["econ"]
    assert pct.instrument.picture.x_label in econ  # from the family's own declaration
    glossary = (site / "index.html").read_text(encoding="utf-8").split('id="glossary"')[1]
    for metric in {row["metric"] for row in load(site)}:
        assert f"<dt><code>{metric}</code>" in glossary


def test_each_family_links_its_task_readme_dataset_card_and_paper(tmp_path):
    write_results(tmp_path / "out", "org/a", {"pct_logprob": PCT, "mena_values_logprob": MENA}, stamp="a")
    site = build_site([tmp_path / "out"], tmp_path / "site")
    index = (site / "index.html").read_text(encoding="utf-8")
    for name in ("pct", "mena_values"):
        family = families.get(name)
        section = index.split(f'id="family-{name}"')[1].split("</section>")[0]
        links = [
            part.split('"')[0]
            for part in section.split('<nav class="links">')[1].split("</nav>")[0].split('href="')[1:]
        ]
        readme, card, paper = links
        assert readme.endswith(f"/blob/main/tasks/{name}/README.md") and card.endswith(
            f"/blob/main/data_builders/{name}/card.md"
        )
        assert paper == family.reference_url
        for link in (readme, card):
            assert (REPO / link.split("/blob/main/")[1]).is_file()  # the repository has the file linked


def test_a_model_page_shows_that_model_not_the_index(tmp_path):
    write_results(tmp_path / "out", "org/model-a", {"pct_logprob": PCT, "mena_values_logprob": MENA}, stamp="a")
    write_results(tmp_path / "out", "org/model-b", {"pct_logprob": SHIFTED}, stamp="b")
    site = build_site([tmp_path / "out"], tmp_path / "site")
    [page_a] = [path for path in (site / "models").iterdir() if path.name.startswith("org_model-a")]
    page = parse(page_a)
    assert "org/model-b" not in page.text and "Overview" not in page.text
    runs = page.table("runs")
    fields = run_info(results_json("org/model-a", {"pct_logprob": PCT})).fields("pct_logprob")
    assert [h.replace(" ", "_") for h in runs.headers[3:-1]] == [name for name in fields if name != "model"]
    assert sorted(_models(runs)) == ["mena_values_logprob", "pct_logprob"]
    assert _numbers(page.table("family-pct").cells("econ")) == {"org/model-a": PCT["econ"]}
    assert "Model org/model-a: 2 results." in page.text


def test_nothing_usable_leaves_no_folder(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "results_x.json").write_text("{", encoding="utf-8")
    with pytest.raises(OpinionBenchError, match="no valid lm-eval results file"):
        build_site([tmp_path / "out"], tmp_path / "site")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.fixture(scope="module")
def real_site(real_run, rescoring_env, tmp_path_factory) -> Path:
    with rescoring_env():
        return build_site([real_run.parent], tmp_path_factory.mktemp("real_site") / "site")


def _softmax(sample: dict) -> np.ndarray:
    weights = np.exp([float(loglikelihood) for loglikelihood, _ in sample["filtered_resps"]])
    return weights / weights.sum()


@pytest.mark.slow
def test_real_run_numbers_and_intervals_equal_lm_eval_and_the_rescoring(real_run, real_site, rescoring_env):
    from opinionbench.leaderboard.report.rescoring import rescore
    from opinionbench.lm_eval_outputs import find_runs

    [run] = find_runs(real_run)
    page = parse(real_site / "index.html")
    overview = page.table("overview", runs="partial")
    results = json.loads(real_run.read_text(encoding="utf-8"))["results"]
    for task in results:
        family = families.of_task(task)
        table = page.table(f"family-{family.name}", caption=PARTIAL_CAPTION)
        with rescoring_env():
            estimates = rescore(run, task).estimates
        for metric in family.headline:
            [cell] = overview.cells(metric).values()
            assert float(cell["data-value"]) == results[task][f"{metric},none"]
            assert float(cell["data-stderr"]) == results[task][f"{metric}_stderr,none"]
            assert (float(cell["data-ci-low"]), float(cell["data-ci-high"])) == (
                estimates[metric].ci_low,
                estimates[metric].ci_high,
            )
            [cell] = table.cells(metric).values()
            assert float(cell["data-value"]) == results[task][f"{metric},none"]


@pytest.mark.slow
def test_real_run_question_pages_show_every_logged_document(real_run, real_site):
    for task in json.loads(real_run.read_text(encoding="utf-8"))["results"]:
        [path] = (real_site / "questions").glob(f"*-{task}-partial-*.html")
        page = parse(path)
        options = [t for t in page.tables if t.section == "questions"]
        samples = read_samples(real_run, task)
        assert len(options) == len(samples) > 0
        for table, sample in zip(options, samples):
            shown = [float(cells[1]["data-value"]) for _, cells in table.rows]
            assert np.allclose(shown, _softmax(sample))
            doc = sample["doc"]
            assert [cells[0]["text"].replace(" (chosen)", "") for _, cells in table.rows] == [
                str(o) for o in doc["options"]
            ]
            assert table.rows[int(np.argmax(shown))][1][0]["text"].endswith("(chosen)")
            kind = families.of_task(task).kind
            if kind is families.Kind.SURVEY:
                groups = [doc["groups"].index(g) for g in doc["scored_groups"]]
                human = np.mean([doc["distributions"][i] for i in groups], axis=0)
                assert np.allclose([float(cells[2]["data-value"]) for _, cells in table.rows], human)
            elif kind is families.Kind.AXIS_INSTRUMENT:
                weights = {name: [cells[i]["text"] for _, cells in table.rows] for i, name in enumerate(table.headers)}
                assert weights["econ_weights"] == [str(w) for w in doc["econ_weights"]]
            else:
                positions = [f"{party}: {position}" for party, position in zip(doc["parties"], doc["party_positions"])]
                assert " · ".join(positions) in page.text


@pytest.mark.slow
def test_real_run_countries_and_map_equal_the_report(real_run, real_site, rescoring_env):
    from opinionbench.leaderboard.report.rescoring import rescore
    from opinionbench.leaderboard.report.survey_report import country_report
    from opinionbench.lm_eval_outputs import find_runs

    [run] = find_runs(real_run)
    with rescoring_env():
        rows = country_report(rescore(run, "mena_values_logprob")).country_rows()
    [path] = (real_site / "questions").glob("*-mena_values_logprob-partial-*.html")
    page = parse(path)
    table = page.table("countries")
    shown = {key: float(cell["data-value"]) for key, cell in table.cells("js_similarity").items()}
    assert shown == {row["country"]: row["js_similarity"] for row in rows}
    drawn = {a["data-name"]: float(a["data-value"]) for tag, a in page.tags if tag == "path" and "data-name" in a}
    placement = world_map.place([row["country"] for row in rows])
    assert drawn == {name: shown[name] for name in placement.drawn.values()} and drawn
    if placement.note:
        assert placement.note in page.text


@pytest.mark.slow
def test_no_absolute_path_reaches_the_site_its_dataset_or_an_upload(
    real_run, rescoring_env, run_cli, isolated_env, tmp_path
):
    runs = tmp_path / "runs"
    shutil.copytree(real_run.parent, runs / "real")
    broken = runs / "broken"
    shutil.copytree(real_run.parent, broken)
    # A second model whose samples log cannot be used (a note names it) and a rejected file.
    [results] = broken.glob("results_*.json")
    content = json.loads(results.read_text(encoding="utf-8"))
    for config in content["configs"].values():
        config.setdefault("metadata", {})["display_name"] = "broken copy"
    results.write_text(json.dumps(content), encoding="utf-8")
    [samples] = broken.glob("samples_pct_logprob_*.jsonl")
    lines = samples.read_text(encoding="utf-8").splitlines()
    samples.write_text("\n".join([json.dumps({**json.loads(lines[0]), "doc_id": 10**6}), *lines[1:]]), encoding="utf-8")
    (runs / "bad").mkdir()
    (runs / "bad" / "results_bad.json").write_text("{", encoding="utf-8")
    with rescoring_env():
        site = build_site([runs], tmp_path / "site")
    index = parse(site / "index.html").text
    assert "broken copy pct_logprob: samples log not used" in index and "rejected runs/bad/results_bad.json" in index
    result = run_cli(
        "leaderboard", "push", str(site), "--repo-id", "org/results", "--space-id", "org/board", "--dry-run",
        "--out", str(tmp_path / "dry"), env=isolated_env, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    machine = {str(Path.home()), tempfile.gettempdir(), os.getcwd(), str(tmp_path), str(real_run.parent)}
    written = [path for folder in (site, tmp_path / "dry") for path in folder.rglob("*") if path.is_file()]
    assert {path.suffix for path in written} >= {".html", ".md", ".parquet", ".jsonl"}
    for path in written:
        content = path.read_bytes()
        assert not [place for place in machine if place.encode() in content], path
