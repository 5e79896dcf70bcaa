"""What every number on the site measures, its range and which way is better: the tooltips of the
column headers and the glossary section (so that it reads without hovering).

The instruments' axes are described from their family's declaration (the compass's axis titles,
the split axes' poles); the other metrics below; ``uniform_<metric>`` and ``<metric>_expected``
from their metric. Which way is better comes from lm-eval's ``higher_is_better`` in the results
file where it says, else from the metric's own entry here.
"""

from __future__ import annotations

from dataclasses import dataclass

from opinionbench.families import Family
from opinionbench.tasks.common.instruments import EXPECTED, UNIFORM, Compass, SplitAxes


@dataclass(frozen=True)
class Term:
    """One metric: what it measures, its range and its direction (``True``: higher is better,
    ``False``: lower is better, ``None``: a position, neither)."""

    metric: str
    meaning: str
    range: str
    higher_is_better: bool | None

    @property
    def direction(self) -> str:
        return {True: "higher is better", False: "lower is better", None: "a position: neither better nor worse"}[
            self.higher_is_better
        ]

    def tooltip(self) -> str:
        return f"{self.meaning} Range {self.range}; {self.direction}."


_SIMILARITY = "averaged per country over the questions it answered, then over the countries."
TERMS = {
    term.metric: term
    for term in (
        Term(
            "js_similarity",
            "1 − Jensen-Shannon distance (base 2) between the model's and each country's answer distribution, "
            + _SIMILARITY,
            "0 to 1",
            True,
        ),
        Term("js_similarity_min", "The lowest country's js_similarity.", "0 to 1", True),
        Term("js_similarity_max", "The highest country's js_similarity.", "0 to 1", True),
        Term(
            "wasserstein_similarity",
            "1 − W1 / (options − 1) between the model's and each country's distribution over the ordinal options "
            "(OpinionQA), " + _SIMILARITY,
            "0 to 1",
            True,
        ),
        Term(
            "wasserstein_similarity_skipped",
            "(Question, country) pairs left out of wasserstein_similarity: fewer than 2 ordinal options.",
            "0 or more (a count)",
            False,
        ),
        Term(
            "js_loss_cvar",
            "Tail risk (CVaR95): the mean of the worst 5 % of the (question, country) losses 1 − js_similarity.",
            "0 to 1",
            False,
        ),
        Term(
            "wasserstein_loss_cvar",
            "Tail risk (CVaR95): the mean of the worst 5 % of the (question, country) W1 distances "
            "(1 − wasserstein_similarity).",
            "0 to 1",
            False,
        ),
        Term(
            "nvas_loss_cvar",
            "Tail risk (CVaR95): the mean of the worst 5 % of the (question, country) losses 100 − nvas.",
            "0 to 100",
            False,
        ),
        Term(
            "option_mass",
            "The mean raw probability the model puts on the answer options before they are renormalised "
            "(below 10 % the run is flagged). It can exceed 1 when one option's label begins another's "
            '("1" and "10"): the continuation probabilities overlap.',
            "0 and above (usually at most 1)",
            True,
        ),
        Term("valid_answer_rate", "The share of generated answers that name one of the options.", "0 to 1", True),
        Term("refusal_rate", "The share of generated answers that decline to choose.", "0 to 1", False),
        Term(
            "none_rate",
            "The share of open persona answers the stance judge reads as taking no side (or cannot read).",
            "0 to 1",
            None,
        ),
        Term(
            "persona_shift",
            "Persona tasks: the mean distance, over the persona values, of each value's position (mean over its "
            "templates) from the base case's; the task's axis numbers are the base case averaged over templates.",
            "0 and above",
            None,
        ),
        Term(
            "persona_variance_share",
            "Persona tasks: the share of the (persona, template) positions' variance the persona explains "
            "(eta squared), mean over the axes.",
            "0 to 1",
            None,
        ),
        Term(
            "js_similarity_unsteered",
            "js_similarity of the same questions asked without the persona prompt.",
            "0 to 1",
            True,
        ),
        Term(
            "steerability",
            "js_similarity with the persona prompt minus without it: how far naming the country moves the answers "
            "towards that country's.",
            "−1 to 1",
            True,
        ),
        Term(
            "nvas",
            "Agreement of the model's answer with the country's mean answer: 100 · (1 − |answer − mean| / "
            "(scale max − scale min)), 100 or 0 on nominal questions; " + _SIMILARITY,
            "0 to 100",
            True,
        ),
        Term(
            "nvas_paper",
            "nvas by the MENAValues paper's rule, which scores nominal questions by the numeric distance of the "
            "codes too; the score to compare with the paper's NPVAS and NOVAS. " + _SIMILARITY,
            "0 to 100",
            True,
        ),
        Term("kl_divergence", "KL(country's answers ‖ model's answers) in nats, " + _SIMILARITY, "0 or more", False),
        Term(
            "closest_party_agreement",
            "The Wahl-O-Mat's agreement (%) of the model's positions with the party closest to them.",
            "0 to 100",
            None,
        ),
        Term(
            "pds_entropy",
            "Entropy of the shares of the civilisational perspectives the judge finds in the free answers, in "
            "percent of ln K (0: one perspective, 100: all K equally).",
            "0 to 100",
            True,
        ),
        Term("reference_rate", "The share of answers in which the judge finds any perspective.", "0 to 1", True),
    )
}


def term(metric: str, family: Family | None, higher_is_better: dict | None = None) -> Term:
    """The glossary entry of ``metric`` as ``family``'s tasks report it (``higher_is_better``:
    lm-eval's map for the task, which decides the direction where it names the metric)."""
    found = _term(metric, family)
    stated = (higher_is_better or {}).get(metric, found.higher_is_better)
    return Term(found.metric, found.meaning, found.range, stated if stated in (True, False, None) else None)


def _term(metric: str, family: Family | None) -> Term:
    axes = _axes(family)
    if metric in axes:
        return axes[metric]
    if metric in TERMS:
        return TERMS[metric]
    uniform_prefix, expected_suffix = UNIFORM.format(""), EXPECTED.format("")
    if metric.startswith(uniform_prefix):
        base = _term(metric.removeprefix(uniform_prefix), family)
        meaning = f"{base.metric} of a uniform random answer over the options: the baseline to beat."
        return Term(metric, meaning, base.range, base.higher_is_better)
    if metric.endswith(expected_suffix):
        base = _term(metric.removesuffix(expected_suffix), family)
        meaning = f"{base.metric} in expectation under the model's option probabilities (not at its likeliest answer)."
        return Term(metric, meaning, base.range, base.higher_is_better)
    return Term(metric, "A number of the task's lm-eval table (no description here).", "not stated", None)


def _axes(family: Family | None) -> dict[str, Term]:
    """The axis scores of an axis instrument, described from its picture."""
    picture = getattr(getattr(family, "instrument", None), "picture", None)
    if isinstance(picture, Compass):
        labels = {picture.x: picture.x_label, picture.y: picture.y_label}
        return {axis: Term(axis, f"{family.title}, {label}.", "−10 to 10", None) for axis, label in labels.items()}
    if isinstance(picture, SplitAxes):
        found = {}
        for axis, (left, right) in picture.poles.items():
            # The score at which the left pole's share is 100 % and 0 % (the share is linear in the score).
            at_zero, slope = picture.left_share(0), picture.left_share(1) - picture.left_share(0)
            full_left, full_right = (100 - at_zero) / slope, -at_zero / slope
            meaning = f"{family.title} {axis} axis: {left} ({full_left:g}) to {right} ({full_right:g})."
            found[axis] = Term(axis, meaning, f"{min(full_left, full_right):g} to {max(full_left, full_right):g}", None)
        return found
    return {}
