"""The site on real runs of PCT's persona tasks beside an ordinary PCT result: the persona tasks
stay out of the instrument's own table, compass and overview; they have their own table
(labelled: the base case averaged over templates), a compass with one point per persona value
(the base case a star) whose numbers are the PCT formula on each persona's logged answers, the
spread over templates and the open-vs-closed TVD per persona value."""

from __future__ import annotations

import math

import numpy as np
import pytest
from leaderboard_site_helpers import PCT, parse, write_results
from persona_runs import CLOSED_GEN, LOGPROB, OPEN_GEN, PERSONAS, logprob_answer, pct_positions, samples

from opinionbench.leaderboard.site.command import build_site
from opinionbench.leaderboard.site.personas import CAPTION

pytestmark = pytest.mark.slow
PERSONA_TASKS = (LOGPROB, CLOSED_GEN, OPEN_GEN)


@pytest.fixture(scope="module")
def persona_site(persona_runs, rescoring_env, tmp_path_factory):
    """The site of the persona runs and a results file of an ordinary PCT task (another model)."""
    other = tmp_path_factory.mktemp("ordinary")
    write_results(other, "org/ordinary", {"pct_logprob": PCT})
    with rescoring_env():
        return build_site([persona_runs, other], tmp_path_factory.mktemp("persona_site") / "site")


def _tasks(table) -> list[str]:
    return sorted(cells[1]["text"] for _, cells in table.rows)


def test_persona_tasks_are_not_rows_of_the_instrument(persona_site):
    page = parse(persona_site / "index.html")
    assert _tasks(page.table("family-pct")) == ["pct_logprob"]
    assert _tasks(page.table("family-pct", caption=CAPTION)) == sorted(PERSONA_TASKS)
    compass = [attributes for tag, attributes in page.tags if attributes.get("class") == "compass-point"]
    assert len(compass) == 1  # the ordinary result's position only
    overview = page.table("overview")
    assert [cells[0]["text"] for _, cells in overview.rows] == ["org/ordinary"]
    assert "base case averaged over its templates" in CAPTION


def test_each_persona_task_has_one_point_per_persona_value_the_base_case_a_star(persona_site):
    page = parse(persona_site / "index.html")
    points = [attributes for tag, attributes in page.tags if attributes.get("class") == "persona-point"]
    assert len(points) == len(PERSONA_TASKS) * len(PERSONAS)
    stars = [(tag, attributes) for tag, attributes in page.tags if attributes.get("data-base-case") == "true"]
    assert len(stars) == len(PERSONA_TASKS) and {tag for tag, _ in stars} == {"polygon"}
    assert {attributes["data-persona"] for _, attributes in stars} == {"base"}
    templates = [attributes for tag, attributes in page.tags if attributes.get("class") == "persona-template"]
    assert len(templates) == len(PERSONAS) * (1 + 2 + 1)  # logprob: closed1; closed: closed1, closed2; open1


def test_the_persona_table_is_the_formula_on_each_persona_s_answers(persona_runs, persona_site):
    page = parse(persona_site / "index.html")
    by_template = pct_positions(samples(persona_runs, LOGPROB), logprob_answer)
    table = page.table("family-pct", caption=f"{LOGPROB}: per persona value (mean over its templates)")
    econ, distance = table.cells("econ"), table.cells("shift distance")
    base = np.mean(list(by_template["base"].values()), axis=0)
    for label, persona in (("★ base case", "base"), ("age: 18", "age=18")):
        position = np.mean(list(by_template[persona].values()), axis=0)
        assert float(econ[label]["data-value"]) == pytest.approx(position[0], abs=1e-12)
        assert float(econ[label]["data-ci-low"]) < float(econ[label]["data-ci-high"])
        if persona != "base":
            assert float(distance[label]["data-value"]) == pytest.approx(math.dist(position, base), abs=1e-12)
    assert "econ SD over templates" in table.headers


def test_the_open_closed_tvd_is_shown_per_persona_value(persona_site):
    page = parse(persona_site / "index.html")
    [table] = [t for t in page.tables if t.caption.startswith("Open-vs-closed TVD per persona value")]
    rows = {cells[2]["text"]: cells for _, cells in table.rows}
    assert set(rows) == {"★ base case", "age: 18"}
    for cells in rows.values():
        assert 0 <= float(cells[table.column("TVD")]["data-value"]) <= 1
        assert cells[table.column("statements")]["text"] == "62"
