"""The report's compact tables: cells, intervals, whole numbers, and the LaTeX export (pandas),
read back cell by cell."""

from __future__ import annotations

import math
import re

import numpy as np

from opinionbench.leaderboard.report.tables import Table, decimals_for, number_cell, rows_table, write_latex


def test_cells_show_whole_numbers_as_integers_and_floats_with_their_interval():
    assert number_cell(np.int64(1343)) == "1343"
    assert number_cell(7) == "7"
    assert number_cell(0.66521, 4, 0.54921, 0.78604) == "0.6652 [0.5492, 0.7860]"
    assert number_cell(74.19914, 2, 58.2736, 88.1204) == "74.20 [58.27, 88.12]"
    assert number_cell(0.5, 4, math.nan, math.nan) == "0.5000"
    assert number_cell(math.nan) == "n/a"
    assert number_cell(None) == ""
    assert number_cell("Tunisia") == "Tunisia"
    assert number_cell(True) == "True"


def test_decimals_follow_the_scale_of_the_values():
    assert decimals_for([0.2, -0.9, 1.0, math.nan]) == 4
    assert decimals_for([0.2, 1.29]) == 3
    assert decimals_for([-9.99, 0.5]) == 3
    assert decimals_for([0.2, 10.0]) == 2
    assert decimals_for([0.2, 74.2]) == 2
    assert decimals_for([]) == 4


def test_a_rows_table_puts_each_interval_beside_its_value():
    rows = [
        {"country": "Egypt", "n_items": 861, "js": 0.61, "js_ci_low": 0.5, "js_ci_high": 0.7, "uniform_js": 0.58,
         "uniform_js_ci_low": 0.4, "uniform_js_ci_high": 0.6, "nvas": 69.25, "lo": 46.8, "hi": 89.2},
        {"country": "Iran", "n_items": 820, "js": 0.62, "js_ci_low": 0.52, "js_ci_high": 0.72, "uniform_js": 0.66,
         "uniform_js_ci_low": 0.5, "uniform_js_ci_high": 0.7, "nvas": math.nan, "lo": math.nan, "hi": math.nan},
    ]  # fmt: skip
    table = rows_table(
        "countries",
        "caption",
        rows,
        ["country", "n_items", "js", "uniform_js", "nvas"],
        intervals={"nvas": ("lo", "hi")},
        plain=["uniform_js"],
        headers={"n_items": "n"},
    )
    assert table.columns == ("country", "n", "js", "uniform_js", "nvas")
    assert table.rows[0] == ("Egypt", "861", "0.6100 [0.5000, 0.7000]", "0.5800", "69.25 [46.80, 89.20]")
    assert table.rows[1] == ("Iran", "820", "0.6200 [0.5200, 0.7200]", "0.6600", "n/a")
    assert table.markdown()[2] == "| Egypt | 861 | 0.6100 [0.5000, 0.7000] | 0.5800 | 69.25 [46.80, 89.20] |"


def _latex_cells(text: str) -> list[list[str]]:
    """The cells of a LaTeX tabular between \\midrule and \\bottomrule, unescaped."""
    body = text.split("\\midrule\n", 1)[1].split("\\bottomrule", 1)[0]
    unescape = {r"\&": "&", r"\%": "%", r"\_": "_", r"\#": "#", r"\$": "$", r"\{": "{", r"\}": "}"}
    pattern = re.compile("|".join(re.escape(key) for key in unescape))
    return [
        [pattern.sub(lambda m: unescape[m.group(0)], cell.strip()) for cell in line.rstrip(" \\").split(" & ")]
        for line in body.strip().splitlines()
    ]


def test_latex_holds_the_same_cells_escaped(tmp_path):
    table = Table(
        name="parties",
        caption="wahl_o_mat_logprob — Model & co: agreement (%)",
        columns=("party", "agreement"),
        rows=(("CDU / CSU", "87.50 [62.50, 100.00]"), ("Die PARTEI_1 & #2 {x} 50%", "43.75")),
    )
    latex = table.latex("tab:x")
    assert _latex_cells(latex) == [list(row) for row in table.rows]
    assert r"\caption{wahl\_o\_mat\_logprob — Model \& co: agreement (\%)}" in latex
    assert r"\begin{tabular}{lr}" in latex and r"\toprule" in latex
    write_latex([table, table], tmp_path / "scores.tex", context="Org/Model 1-pct_logprob")
    written = (tmp_path / "scores.tex").read_text()
    assert written.count(r"\begin{table}") == 2
    assert r"\label{tab:Org-Model-1-pct-logprob:parties}" in written
