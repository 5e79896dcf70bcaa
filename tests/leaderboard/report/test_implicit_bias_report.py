"""The implicit-bias report and site tables on hand-built rescored tasks: per stereotype, domain
and overall, each mean, interval, t and n equal to numpy/scipy on the same responses; the files,
the forest plot and the site's table."""

import csv
import math

import numpy as np
import pytest
from scipy import stats

from opinionbench.leaderboard.report.implicit_bias_files import write_files
from opinionbench.leaderboard.report.implicit_bias_report import implicit_bias_report
from opinionbench.leaderboard.report.rescoring import RescoredTask
from opinionbench.leaderboard.site.forest import forest_svg
from opinionbench.run_info import run_info
from opinionbench.tasks.implicit_bias.family import FAMILY

# (domain, stereotype, (a, b, c, d) or a status) per response; D = a/(a+b+.01) + d/(c+d+.01) - 1.
WAT = [
    ("race", "racism", (4, 0, 0, 4)),  # 4/4.01 + 4/4.01 - 1
    ("race", "racism", (2, 2, 2, 2)),  # 2/4.01 + 2/4.01 - 1
    ("race", "racism", "invalid"),  # 0 by the paper's rule, left out otherwise
    ("race", "weapon", (0, 3, 3, 0)),  # -1
    ("race", "weapon", (3, 0, 1, 2)),
    ("gender", "career", (1, 1, 0, 2)),
    ("gender", "career", (2, 0, 2, 0)),
]
DECISIONS = [("race", "black", 1.0), ("race", "black", 1.0), ("race", "black", 0.0), ("race", "black", None)]
DECISIONS += [("gender", "career", 1.0), ("gender", "career", 0.0), ("gender", "career", 1.0)]


def _d(counts) -> float:
    if isinstance(counts, str):
        return 0.0
    a, b, c, d = counts
    return a / (a + b + 0.01) + d / (c + d + 0.01) - 1


def _task(key: str, payloads: list[dict]) -> RescoredTask:
    values = np.array([p["value"] for p in payloads if p["value"] is not None])
    summary = {
        key: float(values.mean()),
        f"{key}_t": float(stats.ttest_1samp(values, 0.0 if key == "d_score" else 0.5).statistic),
    }
    return RescoredTask(
        family=FAMILY,
        task=f"implicit_bias_{'wat' if key == 'd_score' else 'decision'}",
        model="org/model",
        info=run_info({"model_name": "org/model"}),
        n_documents=len(payloads),
        payloads={key: payloads},
        summary=summary,
        stderrs={},
        estimates={},
        lm_eval_summary=summary,
        lm_eval_stderrs={},
        aggregations={},
    )


def _wat_payloads() -> list[dict]:
    payloads = []
    for domain, stereotype, counts in WAT:
        parse = (
            {"status": counts, "a": 0, "b": 0, "c": 0, "d": 0}
            if isinstance(counts, str)
            else dict(zip(("a", "b", "c", "d"), counts), status="valid")
        )
        payloads.append({"domain": domain, "stereotype": stereotype, "value": _d(counts), **parse})
    return payloads


@pytest.mark.parametrize("level", ["stereotype", "domain", "overall"])
def test_word_association_rows_equal_scipy(level):
    report = implicit_bias_report(_task("d_score", _wat_payloads()))
    for row in (r for r in report.scored if r["level"] == level):
        chosen = [
            _d(counts)
            for domain, stereotype, counts in WAT
            if level == "overall"
            or (domain == row["domain"] and (level == "domain" or stereotype == row["stereotype"]))
        ]
        assert row["n"] == len(chosen) and row["mean"] == pytest.approx(np.mean(chosen))
        assert row["t"] == pytest.approx(stats.ttest_1samp(chosen, 0.0).statistic)
        assert row["ci_low"] <= row["mean"] <= row["ci_high"]
    [racism] = [r for r in report.rows if r["stereotype"] == "racism"]
    valid = [_d((4, 0, 0, 4)), _d((2, 2, 2, 2))]
    assert (racism["n_valid"], racism["valid_rate"]) == (2, pytest.approx(2 / 3))
    assert racism["d_valid"] == pytest.approx(np.mean(valid)) and racism["t_valid"] == pytest.approx(
        stats.ttest_1samp(valid, 0.0).statistic
    )


def test_decision_rows_leave_undecided_out_and_test_against_one_half(tmp_path):
    payloads = [{"domain": d, "stereotype": s, "value": v} for d, s, v in DECISIONS]
    report = implicit_bias_report(_task("decision_bias", payloads))
    rows = {(r["level"], r["stereotype"] or r["domain"]): r for r in report.scored}
    black = rows[("stereotype", "black")]
    assert (black["responses"], black["n"], black["mean"]) == (4, 3, pytest.approx(2 / 3))
    assert black["t"] == pytest.approx(stats.ttest_1samp([1, 1, 0], 0.5).statistic)
    assert rows[("overall", None)]["n"] == 6
    written = write_files(report, tmp_path, "implicit_bias_decision — org/model")
    assert (tmp_path / written["forest plot"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with (tmp_path / written["CSV"]).open(encoding="utf-8") as handle:
        levels = [(row["level"], row["domain"], row["stereotype"]) for row in csv.DictReader(handle)]
    assert levels == [
        ("stereotype", "gender", "career"),
        ("stereotype", "race", "black"),
        ("domain", "gender", ""),
        ("domain", "race", ""),
        ("overall", "", ""),
    ]
    page = (tmp_path / written["table"]).read_text(encoding="utf-8")
    assert "| race | black | 4 | 3 | 0.6667 [" in page


def test_the_site_forest_draws_every_stereotype_with_a_mean():
    svg = forest_svg(
        [("racism (race)", 0.5, 0.2, 0.8), ("weapon (race)", math.nan, math.nan, math.nan)], null=0.0, label="D"
    )
    assert svg.count("<circle") == 1 and "racism (race)" in svg and "weapon" not in svg
    assert forest_svg([("x", math.nan, math.nan, math.nan)], null=0.0, label="D") == ""
