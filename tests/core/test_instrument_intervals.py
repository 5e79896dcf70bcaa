"""The political instruments' intervals measure the answers, not the scoring key: a parametric
bootstrap that draws every statement's answer from its option probabilities. Checked against a
point-mass model (zero width), an independent simulation of random answerers scored by the public
scorers, a confident model (the interval holds its answer score), greedy generations (no
interval) and sampled generations (their repeats resampled). Real builds, no model."""

import math

import numpy as np
import pytest

from opinionbench import metrics
from opinionbench.tasks.common import instrument_scoring

N_SIMULATED = 4000  # independent random answerers in the reference simulation


def _payloads(docs: list[dict], log_likelihoods) -> dict[str, list]:
    """lm-eval's per-key payload lists for the given option log-likelihoods of every document."""
    payloads: dict[str, list] = {}
    for doc in docs:
        results = [(float(value), False) for value in log_likelihoods(doc)]
        for key, value in instrument_scoring.logprob_results(doc, results).items():
            payloads.setdefault(key, []).append(value)
    return payloads


def _peaked(seed: int, gap: float):
    """Log-likelihoods: 0 for one random option per statement, ``-gap`` for the others."""
    rng = np.random.default_rng(seed)

    def log_likelihoods(doc: dict) -> np.ndarray:
        values = np.full(len(doc["options"]), -gap)
        values[rng.integers(len(values))] = 0.0
        return values

    return log_likelihoods


def _estimate(payloads: list[dict]):
    if "parties" in payloads[0]:
        return instrument_scoring.closest_party_agreement_estimate(payloads)
    return instrument_scoring.axis_score_estimate(payloads)


def _score(payloads: list[dict]) -> float:
    if "parties" in payloads[0]:
        return instrument_scoring.closest_party_agreement(payloads)
    return instrument_scoring.axis_score(payloads)


def _docs(request, build: str, config: str) -> list[dict]:
    return request.getfixturevalue(build).configs[config].to_list()


INSTRUMENTS = [
    ("pct_build", "default", "econ"),
    ("eightvalues_build", "questions", "govt"),
    ("sapplyvalues_build", "default", "auth"),
    ("wahl_o_mat_build", "bundestag_2025", "closest_party_agreement"),
]


@pytest.mark.parametrize(("build", "config", "key"), INSTRUMENTS)
def test_a_point_mass_model_has_a_zero_width_interval(request, build, config, key):
    payloads = _payloads(_docs(request, build, config), _peaked(seed=2, gap=1000.0))  # exp(-1000) is 0
    for scoring in (key, f"{key}_expected"):
        estimate = _estimate(payloads[scoring])
        assert estimate.ci_low == estimate.ci_high == pytest.approx(_score(payloads[key]), abs=1e-9)
        assert estimate.stderr == 0.0


def _simulated_pct(rng, n_statements: int) -> list[float]:
    return [metrics.pct_coordinates(list(rng.integers(4, size=n_statements))).econ for _ in range(N_SIMULATED)]


def _simulated_eightvalues(rng, n_statements: int) -> list[float]:
    options = np.array([1.0, 0.5, 0.0, -0.5, -1.0])
    return [
        metrics.eightvalues_scores(list(options[rng.integers(5, size=n_statements)]))["govt"]
        for _ in range(N_SIMULATED)
    ]


def test_the_uniform_baseline_interval_is_the_spread_of_random_answerers(pct_build, eightvalues_build):
    """``uniform_*``: the interval and standard error of a random answerer, as simulated directly."""
    for docs, key, simulate in (
        (pct_build.configs["default"].to_list(), "econ", _simulated_pct),
        (eightvalues_build.configs["questions"].to_list(), "govt", _simulated_eightvalues),
    ):
        estimate = _estimate(_payloads(docs, _peaked(seed=0, gap=1.0))[f"uniform_{key}"])  # whatever the model
        simulated = np.array(simulate(np.random.default_rng(12345), len(docs)))
        sd = simulated.std(ddof=1)
        assert estimate.stderr == pytest.approx(sd, rel=0.08)
        low, high = np.percentile(simulated, [2.5, 97.5])
        assert estimate.ci_low == pytest.approx(low, abs=0.3 * sd)  # Monte-Carlo error about 0.1 sd
        assert estimate.ci_high == pytest.approx(high, abs=0.3 * sd)


@pytest.mark.parametrize(("build", "config", "key"), INSTRUMENTS)
def test_a_confident_model_s_interval_holds_its_answer_score(request, build, config, key):
    payloads = _payloads(_docs(request, build, config), _peaked(seed=5, gap=4.0))  # about 0.93-0.95 on one option
    estimate = _estimate(payloads[key])
    assert estimate.ci_low <= _score(payloads[key]) <= estimate.ci_high
    assert estimate.ci_low <= _score(payloads[f"{key}_expected"]) <= estimate.ci_high
    uniform = _estimate(payloads[f"uniform_{key}"])
    assert 0 < estimate.stderr < uniform.stderr  # narrower than a random answerer's


def test_greedy_generations_have_no_interval_but_the_baseline_has(pct_build):
    docs = pct_build.configs["default"].to_list()
    payloads: dict[str, list] = {}
    for doc in docs:
        for key, value in instrument_scoring.process_results_gen(doc, ["2) Disagree"]).items():
            payloads.setdefault(key, []).append(value)
    estimate = instrument_scoring.axis_score_estimate(payloads["econ"])
    assert all(math.isnan(value) for value in (estimate.ci_low, estimate.ci_high, estimate.stderr))
    assert math.isnan(instrument_scoring.axis_score_stderr(payloads["econ_stderr"]))
    assert instrument_scoring.axis_score_estimate(payloads["uniform_econ"]).stderr > 0


def _generated_payloads(docs: list[dict], repeats) -> dict[str, list]:
    """The per-key payload lists of generations: ``repeats(doc)`` is one text (greedy) or a list
    (the repeats the ``sampled_repeats`` filter keeps)."""
    payloads: dict[str, list] = {}
    for doc in docs:
        for key, value in instrument_scoring.process_results_gen(doc, [repeats(doc)]).items():
            payloads.setdefault(key, []).append(value)
    return payloads


def test_sampled_generations_resample_the_repeats(pct_build):
    """Every proposition's 4 repeats say "Disagree" except the first's: Strongly agree twice,
    Strongly disagree, a refusal. Its answer is the majority (Strongly agree); a draw gives Strongly
    agree (1/2), Strongly disagree (1/4) or no answer (1/4), so the interval runs between the lowest and the highest of
    the three answer sets' scores, and the standard error is the spread of that three-point law."""
    docs = pct_build.configs["default"].to_list()
    first = ["4) Strongly agree", "4) Strongly agree", "1) Strongly disagree", "I cannot answer that."]

    def repeats(doc):
        return first if doc["number"] == 1 else ["2) Disagree"] * 4

    payloads = _generated_payloads(docs, repeats)
    assert payloads["valid_answer_rate"][0] == 0.75 and payloads["refusal_rate"][0] == 0.25
    greedy = {
        text: _generated_payloads(docs, lambda doc, text=text: text if doc["number"] == 1 else "2) Disagree")
        for text in first[1:]
    }
    scores = {text: instrument_scoring.axis_score(found["econ"]) for text, found in greedy.items()}
    assert instrument_scoring.axis_score(payloads["econ"]) == scores["4) Strongly agree"]  # the majority
    values, weights = np.array(list(scores.values())), np.array([0.5, 0.25, 0.25])
    assert len(set(values)) == 3  # the first proposition moves econ
    estimate = instrument_scoring.axis_score_estimate(payloads["econ"])
    assert (estimate.ci_low, estimate.ci_high) == pytest.approx((values.min(), values.max()))
    spread = math.sqrt(weights @ (values - weights @ values) ** 2)
    assert estimate.stderr == pytest.approx(spread, rel=0.1)  # 1000 draws


def test_sampled_generations_that_always_agree_have_a_zero_width_interval(pct_build):
    docs = pct_build.configs["default"].to_list()
    payloads = _generated_payloads(docs, lambda doc: ["4) Strongly agree"] * 3)
    estimate = instrument_scoring.axis_score_estimate(payloads["soc"])
    assert estimate.ci_low == estimate.ci_high == instrument_scoring.axis_score(payloads["soc"])
    assert estimate.stderr == 0.0


def test_the_sampled_filter_keeps_every_repeat_and_stops_on_one_sample_counted_n_times():
    from opinionbench.errors import OpinionBenchError

    varied = [["1) Strongly disagree", "3) Agree", "3) Agree", "2) Disagree"]] * 3  # at most 2 of 4 alike
    assert instrument_scoring.sampled_repeats(iter(varied), [{}] * 3) == varied
    with pytest.raises(OpinionBenchError, match="same sampled answer in \\(almost\\) all of its 3 repeats"):
        instrument_scoring.sampled_repeats([["2) Disagree"] * 3] * 3, [{}] * 3)
