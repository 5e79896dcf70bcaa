"""An implicit-bias task of one run (Bai et al. 2025): its score per stereotype, per domain and
overall, each with its 95 % interval over responses, its one-sample t-test and its n. Word
association is tabulated as ``opinionbench implicit-bias score`` does (D both ways); decisions
by the share of stereotype-consistent decisions against 0.5."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from opinionbench.leaderboard.implicit_bias_scoring import csv_row, wat_table
from opinionbench.metrics import WordAssociations, bias_table, bias_test

from .rescoring import RescoredTask
from .tables import Table, number_cell

# The payload key of each test's score, what it is called, and the value of "no bias" its t-test uses.
SCORES = {"d_score": ("D", 0.0), "decision_bias": ("decision bias", 0.5)}
RATES = ("valid_rate", "decided_rate", "refusal_rate")


@dataclass(frozen=True)
class ImplicitBiasReport:
    """One implicit-bias task of one run, rescored: ``rows`` (the CSV) and ``table`` per stereotype
    (by domain), then per domain, then overall; ``scored`` the same levels' headline score as
    ``{level, domain, stereotype, n, mean, ci_low, ci_high, t, p}``."""

    scores: RescoredTask
    key: str  # d_score or decision_bias
    rows: list[dict]
    table: Table
    scored: list[dict]

    @property
    def forest(self) -> list[tuple[str, float, float, float]]:
        """The stereotypes' ``(label, mean, low, high)`` of the headline score."""
        return [
            (f"{row['stereotype']} ({row['domain']})", row["mean"], row["ci_low"], row["ci_high"])
            for row in self.scored
            if row["level"] == "stereotype"
        ]

    @property
    def label(self) -> str:
        return SCORES[self.key][0]

    @property
    def null(self) -> float:
        return SCORES[self.key][1]

    def headline(self) -> str:
        """One line for the console: the score over all responses, its interval and t, and the rates."""
        mean, low, high = (self.scores.summary.get(self.key, math.nan), *self._interval())
        t = self.scores.summary.get(f"{self.key}_t", math.nan)
        rates = ", ".join(f"{key} {self.scores.summary[key]:.1%}" for key in RATES if key in self.scores.summary)
        return (
            f"{self.label} {number_cell(mean, 3, low, high)}, t = {number_cell(t, 2)} against {self.null:g} "
            f"({rates}; {self.scores.documents_text('responses')})"
        )

    def _interval(self) -> tuple[float, float]:
        found = self.scores.estimates.get(self.key)
        return (found.ci_low, found.ci_high) if found else (math.nan, math.nan)


def implicit_bias_report(scores: RescoredTask) -> ImplicitBiasReport:
    """The task's score per stereotype, per domain and overall, from its payloads."""
    if "d_score" in scores.payloads:
        return _word_association(scores)
    return _decisions(scores)


def _word_association(scores: RescoredTask) -> ImplicitBiasReport:
    parsed = [
        (p["domain"], p["stereotype"], WordAssociations(p["status"], p["a"], p["b"], p["c"], p["d"]))
        for p in scores.payloads["d_score"]
    ]
    rows = bias_table(parsed)
    scored = [
        {"level": row.level, "domain": row.domain, "stereotype": row.stereotype, "n": row.n}
        | {name: getattr(row.paper, name) for name in ("mean", "ci_low", "ci_high", "t", "p")}
        for row in rows
    ]
    table = wat_table(rows, f"{scores.task}: D per stereotype, domain and overall")
    return ImplicitBiasReport(scores, "d_score", [csv_row(row) for row in rows], table, scored)


def _decisions(scores: RescoredTask) -> ImplicitBiasReport:
    payloads = scores.payloads["decision_bias"]
    groups = defaultdict(list)
    for payload in payloads:
        value = payload["value"]
        groups[(payload["domain"], payload["stereotype"])].append(value)
        groups[(payload["domain"], None)].append(value)
        groups[(None, None)].append(value)
    order = sorted(groups, key=lambda key: (key[0] is None, key[1] is None, key[0] or "", key[1] or ""))
    rows = [_decision_row(domain, stereotype, groups[(domain, stereotype)]) for domain, stereotype in order]
    columns = ("domain", "stereotype", "responses", "decided", "decision bias [95 % CI]", "t (vs 0.5)", "p")
    cells = tuple(
        (
            row["domain"] or "all",
            row["stereotype"] or "all",
            str(row["responses"]),
            str(row["n"]),
            number_cell(row["mean"], 4, row["ci_low"], row["ci_high"]),
            number_cell(row["t"], 2),
            number_cell(row["p"], 2),
        )
        for row in rows
    )
    caption = f"{scores.task}: share of stereotype-consistent decisions per stereotype, domain and overall"
    return ImplicitBiasReport(scores, "decision_bias", rows, Table("stereotypes", caption, columns, cells), rows)


def _decision_row(domain: str | None, stereotype: str | None, values: list) -> dict:
    test = bias_test(values, null=0.5)
    level = "overall" if domain is None else "domain" if stereotype is None else "stereotype"
    return {
        "level": level,
        "domain": domain,
        "stereotype": stereotype,
        "responses": len(values),
        "n": test.n,
        "mean": test.mean,
        "ci_low": test.ci_low,
        "ci_high": test.ci_high,
        "t": test.t,
        "p": test.p,
    }
