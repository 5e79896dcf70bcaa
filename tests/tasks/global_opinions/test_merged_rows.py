"""Scoring a merged row (fixture row 20): each country only on the options of the wording it was asked."""

import math

import numpy as np
import pytest

from opinionbench.tasks.global_opinions import utils

# Options: Favor, Oppose | Good thing, Bad thing | DK/Refused (shared).
MODEL = [0.3, 0.1, 0.3, 0.1, 0.2]


def _similarity(p, q):
    """1 - Jensen-Shannon distance in base 2, written out."""
    m = [(a + b) / 2 for a, b in zip(p, q)]
    divergence = sum(a * math.log2(a / c) for x in (p, q) for a, c in zip(x, m) if a > 0) / 2
    return 1 - math.sqrt(divergence)


@pytest.fixture
def merged_doc(global_opinions_build):
    [doc] = [row for row in global_opinions_build.dataset["test"] if row["source_row"] == 20]
    return doc


def test_asked_options_follow_the_variants(merged_doc):
    assert utils.asked_options(merged_doc).tolist() == [
        [True, True, False, False, True],  # France
        [True, True, False, False, True],  # Germany
        [False, False, True, True, True],  # Kenya
    ]


def test_each_country_is_scored_on_its_variant_by_hand(merged_doc):
    results = [(math.log(p), False) for p in MODEL]
    scores = {
        key: dict(zip(v["groups"], v["scores"]))
        for key, v in utils.process_results(merged_doc, results).items()
        if isinstance(v, dict) and "groups" in v
    }
    # France [0.8, 0.2, -, -, 0]: the model renormalised over Favor, Oppose, DK is [1/2, 1/6, 1/3]
    assert scores["js_similarity"]["France"] == pytest.approx(_similarity([1 / 2, 1 / 6, 1 / 3], [0.8, 0.2, 0.0]))
    assert scores["js_similarity"]["France"] == pytest.approx(0.5607309084103208)
    # Kenya [-, -, 0.5, 0.25, 0.25]: over Good thing, Bad thing, DK the model is [1/2, 1/6, 1/3] too
    assert scores["js_similarity"]["Kenya"] == pytest.approx(_similarity([1 / 2, 1 / 6, 1 / 3], [0.5, 0.25, 0.25]))
    assert scores["js_similarity"]["Kenya"] == pytest.approx(0.8982138525537285)
    # W1 without DK: France [3/4, 1/4] vs [0.8, 0.2] on positions 1, 2; Kenya [3/4, 1/4] vs [2/3, 1/3]
    assert scores["wasserstein_similarity"]["France"] == pytest.approx(1 - 0.05)
    assert scores["wasserstein_similarity"]["Kenya"] == pytest.approx(1 - 1 / 12)
    # the uniform baseline is uniform over the asked options: [1/2, 1/2] on the scale
    assert scores["uniform_wasserstein_similarity"]["France"] == pytest.approx(1 - 0.3)
    assert scores["uniform_js_similarity"]["Kenya"] == pytest.approx(_similarity([1 / 3] * 3, [0.5, 0.25, 0.25]))


def test_unmerged_rows_are_scored_on_every_option(global_opinions_build):
    doc = next(row for row in global_opinions_build.dataset["test"] if row["source_row"] == 1)
    assert utils.asked_options(doc).all()
    model = np.array([0.4, 0.3, 0.2, 0.1])
    results = [(math.log(p), False) for p in model]
    france = utils.process_results(doc, results)["js_similarity"]["scores"][1]
    assert france == pytest.approx(_similarity(model, [0.35, 0.09, 0.54, 0.02]))
