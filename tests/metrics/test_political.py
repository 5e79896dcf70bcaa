"""The political-instrument scorers: the worked examples of the four PROVENANCE files, hand
calculations, expected scores against the weighted average of one-hot scores, validation,
and the scoring keys against the real source files."""

import dataclasses
import doctest
import itertools
import json
import re
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from opinionbench.metrics import (
    CompassPosition,
    _eightvalues,
    _pct,
    _political_common,
    _sapplyvalues,
    _wahl_o_mat,
    closest_party,
    eightvalues_expected_scores,
    eightvalues_scores,
    pct_coordinates,
    pct_expected_coordinates,
    political,
    sapplyvalues_expected_scores,
    sapplyvalues_scores,
    wahl_o_mat_agreement,
    wahl_o_mat_expected_agreement,
)

PCT_OPTIONS = [0, 1, 2, 3]  # Strongly disagree, Disagree, Agree, Strongly agree
SITE_OPTIONS = [1.0, 0.5, 0.0, -0.5, -1.0]  # 8values and SapplyValues: Strongly Agree ... Strongly Disagree
WAHL_OPTIONS = ["agree", "neutral", "disagree"]
EIGHTVALUES_AXES = ("econ", "dipl", "govt", "scty")
SAPPLY_AXES = ("right", "auth", "prog")


def shipped_key(instrument: str) -> dict:
    """The package data as installed (not through the code under test)."""
    return json.loads(
        resources.files("opinionbench.metrics").joinpath("scoring_keys", f"{instrument}.json").read_text()
    )


def jsonl(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def one_hot(answer, options) -> list[float] | None:
    return None if answer is None else [1.0 if option == answer else 0.0 for option in options]


def probability_weights(n_options: int):
    return st.lists(st.floats(0, 1), min_size=n_options, max_size=n_options).filter(lambda row: sum(row) > 0.01)


def probability_row(weights: list[float]) -> list[float]:
    total = sum(weights)
    return [weight / total for weight in weights]


# --- Political Compass Test ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "econ_sum", "soc_sum", "econ_4dp", "soc_4dp", "displayed"),
    [  # PROVENANCE: every proposition answered the same
        (3, -3, 38, 0.005, 4.3587, (0.01, 4.36)),
        (2, 0, 0, 0.38, 2.41, (0.38, 2.41)),
        (1, -5, -94, -0.245, -2.4105, (-0.24, -2.41)),
        (0, -3, -132, 0.005, -4.3592, (0.01, -4.36)),
    ],
)
def test_pct_provenance_table(answer, econ_sum, soc_sum, econ_4dp, soc_4dp, displayed):
    position = pct_coordinates([answer] * 62)
    assert position.econ == pytest.approx(0.38 + econ_sum / 8.0, abs=1e-12)
    assert position.soc == pytest.approx(2.41 + soc_sum / 19.5, abs=1e-12)
    assert (position.econ, position.soc) == pytest.approx((econ_4dp, soc_4dp), abs=5e-5)
    assert position.displayed == displayed


def test_pct_provenance_mixed_example():
    first = pct_coordinates([3] + [None] * 61)  # #1 Strongly agree: econ weight -2
    assert (first.econ, first.soc) == pytest.approx((0.38 - 2 / 8, 2.41))
    second = pct_coordinates([None, 0] + [None] * 60)  # #2 Strongly disagree: soc weight -8
    assert second.soc == pytest.approx(2.41 - 8 / 19.5) and second.soc == pytest.approx(1.99974, abs=5e-6)
    assert second.displayed == (0.38, 2.0)
    both = pct_coordinates([3, 0] + [None] * 60)
    assert (both.econ, both.soc) == pytest.approx((0.13, 2.41 - 8 / 19.5))
    assert both.displayed == (0.13, 2.0)


def test_pct_display_rounds_like_the_site_and_shows_the_edges_as_ten():
    assert CompassPosition(9.99, -9.99).displayed == (10.0, -10.0)
    assert CompassPosition(10.01, -10.01).displayed == (10.0, -10.0)
    assert CompassPosition(10.005, -9.995).displayed == (10.0, -10.0)  # the ends of the econ range: 10.01, -9.99
    assert CompassPosition(9.98, -9.98).displayed == (9.98, -9.98)
    # 1.005 is stored as 1.00499999999999989..., which Number.EPSILON tips over the half: 1.01
    assert CompassPosition(1.005, -1.005).displayed == (1.01, -1.0)


def test_pct_agree_always_weighs_zero(sources_dir):
    scoring = json.loads((sources_dir / "pct" / "pct_scoring.json").read_text())
    assert all(row[2] == 0 for row in scoring["econ_weights"] + scoring["soc_weights"])
    offsets = CompassPosition(0.38, 2.41)
    assert pct_coordinates([2] * 62) == offsets
    assert pct_coordinates([None] * 62) == offsets


def test_pct_proposition_21_scores_nothing():
    base = pct_coordinates([1] * 62)
    for answer in PCT_OPTIONS:
        assert pct_coordinates([1] * 20 + [answer] + [1] * 41) == base


def test_pct_extreme_answers_reach_the_documented_range(sources_dir):
    scoring = json.loads((sources_dir / "pct" / "pct_scoring.json").read_text())
    most_left, most_right = ([pick(row) for row in scoring["econ_weights"]] for pick in (np.argmin, np.argmax))
    most_libertarian, most_authoritarian = (
        [pick(row) for row in scoring["soc_weights"]] for pick in (np.argmin, np.argmax)
    )
    assert pct_coordinates(most_left).econ == pytest.approx(-9.995)
    assert pct_coordinates(most_right).econ == pytest.approx(10.005)
    assert pct_coordinates(most_left).displayed[0] == -10.0  # -9.99 on the site's rounding, shown as -10
    assert pct_coordinates(most_right).displayed[0] == 10.0  # 10.01, shown as 10
    assert pct_coordinates(most_libertarian).soc == pytest.approx(-10.0003, abs=5e-5)
    assert pct_coordinates(most_authoritarian).soc == pytest.approx(9.9997, abs=5e-5)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*PCT_OPTIONS, None]), min_size=62, max_size=62))
def test_pct_coordinates_stay_in_the_achievable_range(answers):
    position = pct_coordinates(answers)
    assert -9.995 - 1e-12 <= position.econ <= 10.005 + 1e-12
    assert -10.0003 <= position.soc <= 9.9997
    assert all(-10 <= shown <= 10 for shown in position.displayed)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.05, 5))
def test_pct_expected_coordinates_stay_in_the_achievable_range(seed, concentration):
    rows = np.random.default_rng(seed).dirichlet(np.full(4, concentration), size=62)  # small: near one-hot
    position = pct_expected_coordinates(rows)
    assert -9.995 - 1e-9 <= position.econ <= 10.005 + 1e-9
    assert -10.0003 <= position.soc <= 9.9997


# --- 8values ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("multiplier", "displayed", "labels"),
    [  # PROVENANCE (every question answered the same); labels by hand from the thresholds
        (1.0, ("59.0", "51.1", "37.5", "53.8"), ("Centrist", "Balanced", "Statist", "Neutral")),
        (0.5, ("54.5", "50.6", "43.8", "51.9"), ("Centrist", "Balanced", "Moderate", "Neutral")),
        (0.0, ("50.0", "50.0", "50.0", "50.0"), ("Centrist", "Balanced", "Moderate", "Neutral")),
        (-0.5, ("45.5", "49.4", "56.3", "48.1"), ("Centrist", "Balanced", "Moderate", "Neutral")),
        (-1.0, ("41.0", "48.9", "62.5", "46.2"), ("Centrist", "Balanced", "Liberal", "Neutral")),
    ],
)
def test_eightvalues_provenance_table(multiplier, displayed, labels):
    result = eightvalues_scores([multiplier] * 70)
    assert tuple(result["displayed"][axis] for axis in EIGHTVALUES_AXES) == displayed
    assert tuple(result["labels"][axis] for axis in EIGHTVALUES_AXES) == labels
    assert result["ideology"] == "Centrist"
    assert [result[axis] for axis in EIGHTVALUES_AXES] == pytest.approx([float(text) for text in displayed], abs=0.05)


def test_eightvalues_rounds_half_up_like_to_fixed():
    result = eightvalues_scores([-0.5] * 70)  # govt: 100 * (320 + 40) / 640
    assert result["govt"] == 56.25
    assert result["displayed"]["govt"] == "56.3"
    assert round(56.25, 1) == 56.2  # what Python's rounding would have shown


def test_eightvalues_unanswered_adds_nothing():
    assert eightvalues_scores([None] * 70) == eightvalues_scores([0] * 70)


def test_eightvalues_labels_read_the_displayed_score():
    # scty raw = 5 * 10 (five Strongly Agree on +10 questions) + 5 (#38 SA) + 0.5 * 2 (#55 A) + 0.5 * 5 (#14 A) = 58.5,
    # so scty = 100 * (292 + 58.5) / 584 = 60.017: above 60 ("Progressive"), but shown "60.0" ("Neutral").
    answers = [None] * 70
    for index in (43, 45, 48, 52, 53, 37):
        answers[index] = 1.0
    answers[54] = answers[13] = 0.5
    result = eightvalues_scores(answers)
    assert result["scty"] == pytest.approx(100 * (292 + 58.5) / 584) and result["scty"] > 60
    assert result["displayed"]["scty"] == "60.0"
    assert result["labels"]["scty"] == "Neutral"


def _probabilities_reaching(scores: dict[str, float]) -> list[list[float]] | None:
    """Strongly Agree / Strongly Disagree mixtures whose expected 8values scores are ``scores`` (None if impossible)."""
    key = shipped_key("eightvalues")
    effects = np.array(key["effects"], dtype=float)
    maxima = np.array([key["max"][axis] for axis in EIGHTVALUES_AXES], dtype=float)
    raw = np.array([scores[axis] for axis in EIGHTVALUES_AXES]) * 2 * maxima / 100 - maxima
    solution = linprog(np.zeros(len(effects)), A_eq=effects.T, b_eq=raw, bounds=(-1, 1), method="highs")
    if solution.status != 0:
        return None
    multipliers = np.clip(solution.x, -1, 1)
    return [[(1 + m) / 2, 0.0, 0.0, 0.0, (1 - m) / 2] for m in multipliers]


def test_eightvalues_ideology_at_its_own_stats_is_matched():
    reached = 0
    for ideology in shipped_key("eightvalues")["ideologies"]:
        probabilities = _probabilities_reaching(ideology)
        if probabilities is None:  # e.g. econ 100 with govt 100: the questions do not allow it
            continue
        reached += 1
        result = eightvalues_expected_scores(probabilities)
        assert result["displayed"] == {axis: f"{ideology[axis]:.1f}" for axis in EIGHTVALUES_AXES}
        assert result["ideology"] == ideology["name"]
    assert reached >= 30


def test_eightvalues_ideology_tie_goes_to_the_earlier_and_uses_the_displayed_scores():
    # Social Liberalism (60, 60, 60, 80) and Social Democracy (60, 70, 60, 80), 19th and 21st in the list,
    # differ only in dipl. At dipl 65 both are at distance 5^1.73856063 (16.4) and every other ideology
    # is farther: a tie, won by the earlier one.
    target = {"econ": 60.0, "govt": 60.0, "scty": 80.0}
    assert (
        eightvalues_expected_scores(_probabilities_reaching({**target, "dipl": 65.0}))["ideology"]
        == "Social Liberalism"
    )
    # dipl 65.04 is closer to Social Democracy (4.96 vs 5.04), but it is shown as "65.0": still a tie.
    result = eightvalues_expected_scores(_probabilities_reaching({**target, "dipl": 65.04}))
    assert result["dipl"] == pytest.approx(65.04) and result["displayed"]["dipl"] == "65.0"
    assert result["ideology"] == "Social Liberalism"
    result = eightvalues_expected_scores(_probabilities_reaching({**target, "dipl": 65.06}))  # shown "65.1"
    assert result["ideology"] == "Social Democracy"


# --- SapplyValues ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "right", "displayed"),
    [  # PROVENANCE (every question answered the same): right and auth 10 * answer * (8 - 7) / 15, prog 0
        (1.0, 10 * (8 - 7) / 15, "0.67"),
        (0.5, 10 * 0.5 / 15, "0.33"),
        (0.0, 0.0, "0.00"),
        (-0.5, -10 * 0.5 / 15, "-0.33"),
        (-1.0, -10 * (8 - 7) / 15, "-0.67"),
    ],
)
def test_sapplyvalues_provenance_table(answer, right, displayed):
    result = sapplyvalues_scores([answer] * 46)
    assert result["right"] == pytest.approx(right) and result["auth"] == pytest.approx(right)
    assert result["prog"] == 0.0
    assert result["displayed"] == {"right": displayed, "auth": displayed, "prog": "0.00"}


def test_sapplyvalues_skipped_questions_do_not_count_but_neutral_ones_do():
    only_first = [1.0] + [None] * 45  # question 0 moves right by +1
    assert sapplyvalues_scores(only_first) == {
        "right": 10.0,
        "auth": 0.0,
        "prog": 0.0,
        "displayed": {"right": "10.00", "auth": "0.00", "prog": "0.00"},
    }
    with_neutral = [1.0] + [None] * 7 + [0.0] + [None] * 37  # question 8 (right, -1) answered Neutral
    assert sapplyvalues_scores(with_neutral)["right"] == 5.0  # 10 * 1 / 2


def test_sapplyvalues_math_round_takes_halves_toward_plus_infinity():
    answers = [0.0] * 46
    answers[30] = 1.0  # prog +1: 10 * 1 / 16 = 0.625, 62.5 hundredths
    assert sapplyvalues_scores(answers)["displayed"]["prog"] == "0.63"
    answers[30] = -1.0  # -62.5 hundredths round to -62
    assert sapplyvalues_scores(answers)["displayed"]["prog"] == "-0.62"


# --- Wahl-O-Mat ---------------------------------------------------------------------------------


def test_wahl_o_mat_provenance_example():
    agreement = wahl_o_mat_agreement(
        ["agree", "neutral", None], {"Party": ["agree", "disagree", "agree"]}, important=[True, False, False]
    )
    assert agreement["Party"] == pytest.approx(100 * 5 / 6)
    assert round(agreement["Party"], 1) == 83.3


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_wahl_o_mat_all_neutral_party_gets_half_against_a_decisive_model(data):
    n = data.draw(st.integers(1, 38))
    model = data.draw(st.lists(st.sampled_from(["agree", "disagree"]), min_size=n, max_size=n))
    important = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    assert wahl_o_mat_agreement(model, {"neutral": ["neutral"] * n}, important=important) == {"neutral": 50.0}


@st.composite
def wahl_o_mat_cases(draw):
    n = draw(st.integers(1, 10))
    model = draw(st.lists(st.sampled_from([*WAHL_OPTIONS, None]), min_size=n, max_size=n).filter(lambda m: any(m)))
    parties = draw(
        st.dictionaries(
            st.text(min_size=1, max_size=5),
            st.lists(st.sampled_from(WAHL_OPTIONS), min_size=n, max_size=n),
            min_size=1,
            max_size=4,
        )
    )
    important = draw(st.none() | st.lists(st.booleans(), min_size=n, max_size=n))
    return model, parties, important


@settings(max_examples=200, deadline=None)
@given(wahl_o_mat_cases())
def test_wahl_o_mat_points_are_two_minus_the_distance_on_a_minus_one_to_one_scale(case):
    model, parties, important = case
    scale = {"agree": 1, "neutral": 0, "disagree": -1}
    weights = [2 if flag else 1 for flag in important] if important else [1] * len(model)
    agreement = wahl_o_mat_agreement(model, parties, important=important)
    assert list(agreement) == list(parties)
    for party, positions in parties.items():
        answered = [(w, scale[m], scale[p]) for w, m, p in zip(weights, model, positions) if m is not None]
        points = sum(w * (2 - abs(m - p)) for w, m, p in answered)
        assert agreement[party] == pytest.approx(100 * points / sum(2 * w for w, _, _ in answered))


def test_wahl_o_mat_a_model_copying_a_party_agrees_fully_with_it(sources_dir):
    year = sources_dir / "wahl_o_mat" / "upstream" / "data" / "2025" / "deutschland"
    parties = json.loads((year / "party.json").read_text())
    n_theses = len(json.loads((year / "statement.json").read_text()))
    by_id = {0: "agree", 1: "disagree", 2: "neutral"}  # answer.json
    positions = {party["name"]: [None] * n_theses for party in parties}
    names = {party["id"]: party["name"] for party in parties}
    for opinion in json.loads((year / "opinion.json").read_text()):
        positions[names[opinion["party"]]][opinion["statement"]] = by_id[opinion["answer"]]
    agreement = wahl_o_mat_agreement(positions["Volt"], positions)
    assert agreement["Volt"] == 100.0
    assert closest_party(agreement) == "Volt"
    assert list(agreement) == [party["name"] for party in parties]


def test_closest_party_takes_the_first_of_a_tie():
    assert closest_party({"A": 50.0, "B": 75.0, "C": 75.0}) == "B"
    assert closest_party({"C": 75.0, "B": 75.0, "A": 50.0}) == "C"


# --- expected scores: one-hot rows, and the weighted average of one-hot scores --------------------

SCORERS = {  # name: (score, expected score, options, number of statements)
    "pct": (pct_coordinates, pct_expected_coordinates, PCT_OPTIONS, 62),
    "eightvalues": (eightvalues_scores, eightvalues_expected_scores, SITE_OPTIONS, 70),
    "sapplyvalues": (sapplyvalues_scores, sapplyvalues_expected_scores, SITE_OPTIONS, 46),
}


def numeric(result) -> np.ndarray:
    """The unrounded numbers of a result: the coordinates, the axis scores or the party agreements."""
    if isinstance(result, CompassPosition):
        return np.array(dataclasses.astuple(result))
    return np.array([value for value in result.values() if isinstance(value, float)])


def weighted_average(score, answers, distributions: dict[int, list[float]], options) -> np.ndarray:
    """Σ over every joint answer of the statements in ``distributions`` (independent) of probability × score."""
    total = 0.0
    for choice in itertools.product(range(len(options)), repeat=len(distributions)):
        filled = list(answers)
        probability = 1.0
        for position, option in zip(distributions, choice):
            filled[position] = options[option]
            probability *= distributions[position][option]
        total = total + probability * numeric(score(filled))
    return total


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(SCORERS)), st.data())
def test_expected_scores_of_one_hot_rows_equal_the_answer_scores(name, data):
    score, expected, options, n = SCORERS[name]
    answers = data.draw(st.lists(st.sampled_from([*options, None]), min_size=n, max_size=n))
    assert expected([one_hot(answer, options) for answer in answers]) == score(answers)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(SCORERS)), st.data())
def test_expected_scores_are_the_weighted_average_of_one_hot_scores(name, data):
    score, expected, options, n = SCORERS[name]
    answers = data.draw(st.lists(st.sampled_from([*options, None]), min_size=n, max_size=n))
    positions = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3, unique=True))
    distributions = {position: probability_row(data.draw(probability_weights(len(options)))) for position in positions}
    rows = [one_hot(answer, options) for answer in answers]
    for position, row in distributions.items():
        rows[position] = row
    average = weighted_average(score, answers, distributions, options)
    np.testing.assert_allclose(numeric(expected(rows)), average, rtol=1e-9, atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(wahl_o_mat_cases(), st.data())
def test_wahl_o_mat_expected_agreement_is_the_weighted_average(case, data):
    model, parties, important = case

    def score(answers):
        return wahl_o_mat_agreement(answers, parties, important=important)

    def expected(rows):
        return wahl_o_mat_expected_agreement(rows, parties, important=important)

    rows = [one_hot(answer, WAHL_OPTIONS) for answer in model]
    assert expected(rows) == score(model)
    positions = data.draw(st.lists(st.integers(0, len(model) - 1), min_size=1, max_size=3, unique=True))
    distributions = {position: probability_row(data.draw(probability_weights(3))) for position in positions}
    for position, row in distributions.items():
        rows[position] = row
    average = weighted_average(score, model, distributions, WAHL_OPTIONS)
    np.testing.assert_allclose(numeric(expected(rows)), average, rtol=1e-9, atol=1e-9)


# --- validation ----------------------------------------------------------------------------------

VALID_PCT = [1] * 62


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: pct_coordinates([1] * 61), r"answers must have 62 entries \(one per statement\); got 61"),
        (lambda: pct_coordinates("1" * 62), r"answers must be a sequence"),
        (lambda: pct_coordinates([1] * 61 + [4]), r"answers\[61\] must be one of 0, 1, 2, 3 or None; got 4"),
        (lambda: pct_coordinates([True] + [1] * 61), r"answers\[0\] must be one of .*; got True"),
        (lambda: pct_coordinates(["agree"] + [1] * 61), r"answers\[0\] must be one of .*; got 'agree'"),
        (lambda: pct_expected_coordinates([None] * 63), r"probabilities must have 62 entries"),
        (
            lambda: pct_expected_coordinates([None] * 5 + [[0.3, 0.3, 0.3, 0.0]] + [None] * 56),
            r"probabilities\[5\] sums to 0.9; probabilities must sum to 1 \(within 1e-6\)",
        ),
        (
            lambda: pct_expected_coordinates([[1.2, -0.2, 0.0, 0.0]] + [None] * 61),
            r"probabilities\[0\] must hold finite, non-negative probabilities",
        ),
        (
            lambda: pct_expected_coordinates([[0.5, 0.5]] + [None] * 61),
            r"probabilities\[0\] must be 4 probabilities \(Strongly disagree, Disagree, Agree, Strongly agree\)",
        ),
        (
            lambda: pct_expected_coordinates([[0.5, 0.5, float("nan"), 0.0]] + [None] * 61),
            r"probabilities\[0\] must hold finite",
        ),
        (lambda: eightvalues_scores([0.25] + [0] * 69), r"answers\[0\] must be one of 1.0, 0.5, 0.0, -0.5, -1.0"),
        (lambda: eightvalues_scores([0] * 71), r"answers must have 70 entries"),
        (lambda: eightvalues_expected_scores([[0.2] * 4] * 70), r"probabilities\[0\] must be 5 probabilities"),
        (lambda: sapplyvalues_scores([0] * 45), r"answers must have 46 entries"),
        (lambda: sapplyvalues_scores([0] * 45 + [2]), r"answers\[45\] must be one of"),
        (lambda: sapplyvalues_expected_scores([None] * 45 + [[0.5] * 5]), r"probabilities\[45\] sums to 2.5"),
        (
            lambda: wahl_o_mat_agreement(["agree", "yes"], {"P": ["agree", "agree"]}),
            r"model_positions\[1\] must be one of 'agree', 'neutral', 'disagree' or None; got 'yes'",
        ),
        (
            lambda: wahl_o_mat_agreement(["agree", "agree"], {"P": ["agree", None]}),
            r"party_positions\['P'\]\[1\] must be one of 'agree', 'neutral', 'disagree'; got None",
        ),
        (
            lambda: wahl_o_mat_agreement(["agree", "agree"], {"P": ["agree", "agree", "agree"]}),
            r"party_positions\['P'\] has 3 positions but the model has 2",
        ),
        (lambda: wahl_o_mat_agreement([None, None], {"P": ["agree", "agree"]}), r"every thesis is skipped"),
        (lambda: wahl_o_mat_agreement([], {}), r"every thesis is skipped"),
        (lambda: wahl_o_mat_agreement(["agree"], {}), r"party_positions must be a non-empty mapping"),
        (
            lambda: wahl_o_mat_agreement(["agree"], {"P": ["agree"]}, important=[True, False]),
            r"important has 2 entries but the model has 1 theses",
        ),
        (
            lambda: wahl_o_mat_agreement(["agree"], {"P": ["agree"]}, important=[1]),
            r"important\[0\] must be True or False; got 1",
        ),
        (
            lambda: wahl_o_mat_expected_agreement([[0.5, 0.5, 0.5]], {"P": ["agree"]}),
            r"model_probabilities\[0\] sums to 1.5",
        ),
        (lambda: wahl_o_mat_expected_agreement([None], {"P": ["agree"]}), r"every thesis is skipped"),
        (lambda: closest_party({}), r"agreement must be a non-empty mapping"),
        (lambda: closest_party({"A": float("nan")}), r"agreement\['A'\] must be a number; got nan"),
    ],
)
def test_bad_input_raises_naming_the_argument_and_position(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_probabilities_within_the_tolerance_are_accepted_and_normalised():
    scaled = pct_expected_coordinates([[0.25 * (1 + 9e-7)] * 4] + [None] * 61)  # sums to 1 + 9e-7
    uniform = pct_expected_coordinates([[0.25] * 4] + [None] * 61)
    assert dataclasses.astuple(scaled) == pytest.approx(dataclasses.astuple(uniform), rel=1e-15)
    with pytest.raises(ValueError, match=r"probabilities\[0\] sums to"):
        pct_expected_coordinates([[0.25, 0.25, 0.25, 0.25 + 2e-6]] + [None] * 61)


# --- the scoring keys against the source files, and the docstring examples -------------------------


def test_pct_key_equals_the_source(sources_dir):
    source = json.loads((sources_dir / "pct" / "pct_scoring.json").read_text())
    key = shipped_key("pct")
    assert key["source"] == {name: source["source"][name] for name in ("repo", "commit", "path")}
    assert key["answer_scale"] == [entry["label"] for entry in sorted(source["answer_scale"], key=lambda e: e["index"])]
    for name in ("econ_offset", "soc_offset", "econ_divisor", "soc_divisor", "econ_weights", "soc_weights"):
        assert key[name] == source[name], name
    propositions = jsonl(sources_dir / "pct" / "pct_propositions.jsonl")
    assert len(key["econ_weights"]) == len(key["soc_weights"]) == len(propositions) == 62


def test_eightvalues_key_equals_the_source(sources_dir):
    folder = sources_dir / "eightvalues"
    source = json.loads((folder / "scoring.json").read_text())
    questions = jsonl(folder / "questions.jsonl")
    ideologies = jsonl(folder / "ideologies.jsonl")
    key = shipped_key("eightvalues")
    assert key["source"] == {name: source["source"][name] for name in ("repo", "commit", "paths")}
    assert key["answer_scale"] == [entry["label"] for entry in source["answer_scale"]]
    assert key["multipliers"] == [entry["multiplier"] for entry in source["answer_scale"]] == SITE_OPTIONS
    assert key["axes"] == list(source["axes"]) == list(EIGHTVALUES_AXES)
    assert [q["index"] for q in questions] == list(range(70))
    assert key["effects"] == [[q["effect"][axis] for axis in EIGHTVALUES_AXES] for q in questions]
    maxima = {axis: sum(abs(q["effect"][axis]) for q in questions) for axis in EIGHTVALUES_AXES}
    assert key["max"] == source["max_abs_sum_per_axis"] == maxima
    assert key["labels"] == {axis: source["axis_labels"][axis] for axis in EIGHTVALUES_AXES}
    thresholds = re.findall(r"(>=?)(\d+) -> (\d)", source["axis_labels"]["thresholds_note"])
    assert [int(index) for _, _, index in thresholds] == list(range(7))
    assert key["label_thresholds"] == [[op, int(bound)] for op, bound, _ in thresholds]
    terms = re.findall(r"\|(\w+)_i - \w\|\^([\d.]+)", source["ideology_matching"])  # in the site's order
    assert [axis for axis, _ in terms] == ["econ", "govt", "dipl", "scty"]
    assert key["ideology_exponents"] == [[axis, source["ideology_match_exponents"][axis]] for axis, _ in terms]
    assert [float(exponent) for _, exponent in terms] == [exponent for _, exponent in key["ideology_exponents"]]
    assert [i["index"] for i in ideologies] == list(range(52))
    assert key["ideologies"] == [{"name": i["name"], **i["stats"]} for i in ideologies]


def test_sapplyvalues_key_equals_the_source(sources_dir):
    folder = sources_dir / "sapplyvalues"
    source = json.loads((folder / "scoring.json").read_text())
    questions = jsonl(folder / "questions.jsonl")
    key = shipped_key("sapplyvalues")
    assert key["source"] == {name: source["source"][name] for name in ("repo", "commit", "paths")}
    assert key["answer_scale"] == [entry["label"] for entry in source["answer_scale"]]
    assert key["answer_values"] == [entry["value"] for entry in source["answer_scale"]] == SITE_OPTIONS
    assert key["axes"] == list(source["axes"]) == list(SAPPLY_AXES)
    assert [q["id"] for q in questions] == list(range(46))
    assert key["questions"] == [{"axis": axis, "sign": sign} for q in questions for axis, sign in q["effects"].items()]


@pytest.mark.parametrize("module", [_pct, _eightvalues, _sapplyvalues, _wahl_o_mat, _political_common])
def test_docstring_examples_run(module):
    failed, attempted = doctest.testmod(module)
    assert failed == 0
    assert attempted > 0 or module is _political_common


def test_political_exports_the_scorers():
    assert set(political.__all__) <= set(dir(political))
    from opinionbench import metrics

    assert set(political.__all__) <= set(metrics.__all__)
