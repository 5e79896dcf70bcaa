"""``opinionbench report`` on real runs of PCT's persona tasks: per persona value the position is
the PCT formula applied (by hand, from the samples logs) to each template's answers and averaged,
the shift is its difference from the base case, the open-vs-closed TVD is recomputed from the
logged answer sides, and the conditions are never pooled into one instrument result."""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from persona_runs import (
    CLOSED_GEN,
    LOGPROB,
    OPEN_GEN,
    PERSONAS,
    logged_option,
    logprob_answer,
    pct_positions,
    record,
    results_of,
    samples,
)
from PIL import Image

pytestmark = pytest.mark.slow
SIDES = ("agree", "disagree", "none")


@pytest.fixture(scope="module")
def persona_report(persona_runs, eval_env, run_cli, tmp_path_factory):
    """The report of both persona runs: (report folder, console output)."""
    out = tmp_path_factory.mktemp("persona_report") / "report"
    result = run_cli("report", str(persona_runs), "--out", str(out), env=eval_env)
    assert result.returncode == 0, result.stderr[-3000:]
    return out, result.stdout


def _csv(report: Path, task: str, name: str) -> list[dict]:
    [path] = report.glob(f"*/{task}/{name}")
    return list(csv.DictReader(path.open(encoding="utf-8")))


@pytest.mark.parametrize(
    ("task", "answer"),
    [(LOGPROB, logprob_answer), (CLOSED_GEN, logged_option)],
    ids=["logprob", "closed_gen"],
)
def test_each_persona_position_is_the_formula_on_its_own_answers(persona_runs, persona_report, task, answer):
    report, _ = persona_report
    by_template = pct_positions(samples(persona_runs, task), answer)
    assert list(by_template) == list(PERSONAS)
    rows = {row["persona"]: row for row in _csv(report, task, "personas.csv")}
    base = np.mean(list(by_template["base"].values()), axis=0)
    for persona, templates in by_template.items():
        position = np.mean(list(templates.values()), axis=0)
        row = rows[persona]
        assert (float(row["econ"]), float(row["soc"])) == pytest.approx(tuple(position), abs=1e-12)
        assert int(row["templates"]) == len(templates)
        values = np.array(list(templates.values()))
        assert float(row["econ_sd"]) == pytest.approx(values[:, 0].std(), abs=1e-12)
        assert float(row["soc_max"]) == pytest.approx(values[:, 1].max(), abs=1e-12)
        if persona == "base":
            assert row["base_case"] == "True" and row["label"] == "base case" and row["shift_econ"] == ""
        else:
            shift = position - base
            assert float(row["shift_econ"]) == pytest.approx(shift[0], abs=1e-12)
            assert float(row["shift_soc"]) == pytest.approx(shift[1], abs=1e-12)
            assert float(row["shift_distance"]) == pytest.approx(math.hypot(*shift), abs=1e-12)
            assert row["base_case"] == "False" and row["label"] == "age: 18"
    conditions = _csv(report, task, "templates.csv")
    assert [(row["persona"], row["template"]) for row in conditions] == [
        (persona, template) for persona, templates in by_template.items() for template in templates
    ]
    for row in conditions:
        expected = by_template[row["persona"]][row["template"]]
        assert (float(row["econ"]), float(row["soc"])) == pytest.approx(tuple(expected), abs=1e-12)


def test_log_likelihood_positions_have_intervals_and_single_greedy_templates_none(persona_report):
    report, _ = persona_report
    for row in _csv(report, LOGPROB, "personas.csv") + _csv(report, LOGPROB, "templates.csv"):
        low, high = float(row["econ_ci_low"]), float(row["econ_ci_high"])  # drawn answers: an interval
        assert math.isfinite(low) and math.isfinite(high) and low < high
    for row in _csv(report, CLOSED_GEN, "templates.csv"):  # one greedy answer per condition
        assert row["econ_ci_low"] == row["econ_ci_high"] == ""
    markdown = next(report.glob(f"*/{CLOSED_GEN}/personas.md")).read_text(encoding="utf-8")
    assert "| base case | closed1 |" in markdown and "Run: " in markdown


def test_statuses_count_every_answer_of_each_persona(persona_runs, persona_report):
    report, _ = persona_report
    records = [record(sample) for sample in samples(persona_runs, CLOSED_GEN)]
    for row in _csv(report, CLOSED_GEN, "statuses.csv"):
        mine = [record["status"] for record in records if record["persona"] == row["persona"]]
        assert int(row["answers"]) == len(mine) == 62 * 2
        for status in ("answered", "invalid", "refusal"):
            assert int(row[status]) == mine.count(status)
            assert float(row[f"{status}_rate"]) == pytest.approx(mine.count(status) / len(mine))


def test_variance_shares_are_the_persona_and_template_sums_of_squares(persona_runs, persona_report):
    report, _ = persona_report
    by_template = pct_positions(samples(persona_runs, CLOSED_GEN), logged_option)
    cells = [(persona, template, value) for persona, ts in by_template.items() for template, value in ts.items()]
    [econ, _] = _csv(report, CLOSED_GEN, "variance.csv")
    values = np.array([value[0] for *_, value in cells])
    total = ((values - values.mean()) ** 2).sum()
    for column, key in (("persona_share", 0), ("template_share", 1)):
        groups = defaultdict(list)
        for cell in cells:
            groups[cell[key]].append(cell[2][0])
        between = sum(len(group) * (np.mean(group) - values.mean()) ** 2 for group in groups.values())
        assert float(econ[column]) == pytest.approx(between / total, abs=1e-12)


def test_open_closed_tvd_per_persona_is_recomputed_from_the_answer_sides(persona_runs, persona_report):
    report, console = persona_report
    sides = {}
    for task in (CLOSED_GEN, OPEN_GEN):
        found = defaultdict(lambda: defaultdict(list))
        for sample in samples(persona_runs, task):
            answer = record(sample)
            found[answer["persona"]][answer["number"]].append(answer["side"])
        sides[task] = found
    [path] = report.glob("*/pct_open_closed/open_closed.csv")
    rows = {row["persona"]: row for row in csv.DictReader(path.open(encoding="utf-8"))}
    assert list(rows) == list(PERSONAS) and rows["base"]["base_case"] == "True"
    for persona, row in rows.items():
        closed, open_ = sides[CLOSED_GEN][persona], sides[OPEN_GEN][persona]
        shared = sorted(set(closed) & set(open_))
        distances = [
            0.5 * sum(abs(closed[n].count(s) / len(closed[n]) - open_[n].count(s) / len(open_[n])) for s in SIDES)
            for n in shared
        ]
        assert float(row["tvd"]) == pytest.approx(np.mean(distances), abs=1e-12)
        assert int(row["n_statements"]) == len(shared) == 62
        open_records = [record(s) for s in samples(persona_runs, OPEN_GEN) if s["doc"]["persona"] == persona]
        none = sum(r["stance"] == "None" or r["status"] == "undetermined" for r in open_records) / len(open_records)
        assert float(row["open_none_rate"]) == pytest.approx(none)
    assert "open-vs-closed TVD per persona value" in console
    assert (report / "README.md").read_text(encoding="utf-8").count("open vs closed personas") == 1


def test_the_pictures_mark_the_base_case_and_persona_tasks_stay_off_the_instrument_compass(persona_report):
    report, _ = persona_report
    for task in (LOGPROB, CLOSED_GEN, OPEN_GEN):
        [picture] = report.glob(f"*/{task}/compass.png")
        assert Image.open(picture).size == (800, 900)
        for name in ("personas.md", "personas.tex", "personas.csv", "templates.csv", "statuses.csv", "variance.csv"):
            assert next(report.glob(f"*/{task}/{name}")).stat().st_size > 0
    [chart] = report.glob("*/pct_open_closed/open_closed.png")
    assert chart.stat().st_size > 0
    assert not list(report.glob("pct_compass.*"))  # no ordinary PCT task in these runs: no pooled compass


def test_the_persona_compass_has_one_starred_point_per_persona_value(persona_runs, eval_env, monkeypatch):
    from opinionbench.leaderboard.report.persona_plots import persona_compass_figure
    from opinionbench.leaderboard.report.persona_report import persona_report as build
    from opinionbench.leaderboard.report.rescoring import rescore
    from opinionbench.lm_eval_outputs import find_runs

    for name in ("OPINIONBENCH_CACHE", "OPINIONBENCH_SOURCES", "HF_DATASETS_OFFLINE", "HF_HUB_OFFLINE"):
        monkeypatch.setenv(name, eval_env[name])
    [run] = find_runs(results_of(persona_runs, CLOSED_GEN))
    report = build(rescore(run, CLOSED_GEN))
    figure = persona_compass_figure(report, title="t")
    collections = {c.get_label(): c for c in figure.axes[0].collections if not c.get_label().startswith("_")}
    assert set(collections) == {"base case", "age: 18", "base case templates", "age: 18 templates"}
    rows = {row["label"]: row for row in report.persona_rows()}
    for label, row in rows.items():
        assert tuple(collections[label].get_offsets()[0]) == pytest.approx((row["econ"], row["soc"]))
        assert len(collections[f"{label} templates"].get_offsets()) == 2
    assert collections["base case"].get_sizes()[0] > collections["age: 18"].get_sizes()[0]  # the star
