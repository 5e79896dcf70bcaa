"""The bootstrap standard errors and 95 % intervals of lm-eval's summary numbers and the uniform
baselines, checked against loop-based resampling (of items, or for the instruments of answers)
with the same random stream,
scipy.stats.bootstrap, the instruments' scorers and the source files' formulas (real builds, no
model)."""

import json
import math
import warnings

import numpy as np
import pytest
from scipy import stats

from opinionbench import metrics, summary_keys
from opinionbench.lm_eval_outputs import is_stderr, with_stderr
from opinionbench.metrics import bootstrap_interval
from opinionbench.metrics.aggregation import BootstrapEstimate, bootstrap_estimate
from opinionbench.summary_keys import estimate_behind
from opinionbench.tasks.common import instrument_scoring, survey_summaries, surveys
from opinionbench.tasks.wahl_o_mat.family import INSTRUMENT as WAHL_O_MAT


def _loop_draws(n_items: int, n_resamples: int = 1000, seed: int = 0) -> list[np.ndarray]:
    """Item indices of every resample, one multinomial draw of counts at a time."""
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(n_resamples):
        counts = rng.multinomial(n_items, np.full(n_items, 1.0 / n_items))
        draws.append(np.repeat(np.arange(n_items), counts))
    return draws


def _percentiles(values) -> tuple[float, float]:
    values = np.asarray(values, dtype=float)
    low, high = np.percentile(values[np.isfinite(values)], [2.5, 97.5])
    return float(low), float(high)


def _standard_error(values) -> float:
    """The standard deviation (ddof=1) of the finite replicates."""
    values = np.asarray(values, dtype=float)
    return float(np.std(values[np.isfinite(values)], ddof=1))


def _loop_estimate(values) -> tuple[float, float, float]:
    return (*_percentiles(values), _standard_error(values))


def _policy_answer_draws(rows) -> np.ndarray:
    """The option index of every statement in each of the policy's answer draws (same random stream)."""
    rows = np.asarray(rows, dtype=float)
    rows = np.array([row / row.sum() if row.any() else np.full(len(row), 1 / len(row)) for row in rows])  # 0: any
    return np.random.default_rng(0).multinomial(1, rows, size=(1000, len(rows))).argmax(axis=-1)


# --- bootstrap_interval ----------------------------------------------------------------------


def test_interval_and_standard_error_equal_loop_based_resampling_of_a_ratio():
    rng = np.random.default_rng(7)
    x, y = rng.uniform(1, 2, size=40), rng.normal(size=40)
    weighted = bootstrap_estimate(lambda weights: (weights @ y) / (weights @ x), x.size)
    loop = _loop_estimate([y[index].sum() / x[index].sum() for index in _loop_draws(x.size)])
    assert (weighted.ci_low, weighted.ci_high, weighted.stderr) == pytest.approx(loop, rel=1e-12)
    assert bootstrap_interval(lambda weights: (weights @ y) / (weights @ x), x.size) == (
        weighted.ci_low,
        weighted.ci_high,
    )


def test_interval_of_the_mean_agrees_with_scipy_percentile_bootstrap():
    sample = np.random.default_rng(3).exponential(size=200)
    low, high = bootstrap_interval(lambda weights: weights @ sample / sample.size, sample.size, n_resamples=20000)
    scipy = stats.bootstrap((sample,), np.mean, method="percentile", n_resamples=20000, random_state=1)
    standard_error = sample.std() / math.sqrt(sample.size)
    assert low == pytest.approx(scipy.confidence_interval.low, abs=0.1 * standard_error)
    assert high == pytest.approx(scipy.confidence_interval.high, abs=0.1 * standard_error)
    assert low < sample.mean() < high


def test_interval_is_chunked_without_changing_the_draws(monkeypatch):
    from opinionbench.metrics import aggregation

    sample = np.linspace(0, 1, 30)
    whole = bootstrap_interval(lambda weights: weights @ sample, sample.size)
    monkeypatch.setattr(aggregation, "_CELLS_PER_CHUNK", 7 * sample.size)  # 7 draws per chunk
    assert bootstrap_interval(lambda weights: weights @ sample, sample.size) == whole


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"statistic": "mean"}, TypeError, "statistic must be callable"),
        ({"n_items": 0}, ValueError, "n_items must be a positive integer"),
        ({"n_items": 2.5}, ValueError, "n_items must be a positive integer"),
        ({"confidence_level": 1.5}, ValueError, "confidence_level must be between 0 and 1"),
        ({"n_resamples": 0}, ValueError, "n_resamples must be a positive integer"),
        ({"statistic": lambda weights: weights}, ValueError, "one value per draw"),
    ],
)
def test_interval_arguments_are_checked(arguments, error, message):
    given = {"statistic": lambda weights: weights.sum(axis=1), "n_items": 3} | arguments
    with pytest.raises(error, match=message):
        bootstrap_interval(given.pop("statistic"), given.pop("n_items"), **given)


# --- process_results payloads and aggregation bounds -----------------------------------------------


def test_the_standard_error_carries_the_keys_own_payload_except_counts():
    payload = {"item": "q1", "groups": ["A"], "scores": [0.5]}
    results = with_stderr({"js_similarity": payload, "wasserstein_similarity_skipped": payload})
    assert list(results) == ["js_similarity", "wasserstein_similarity_skipped", "js_similarity_stderr"]
    assert results["js_similarity_stderr"] is payload
    assert [is_stderr(key) for key in results] == [False, False, True]


def test_mean_standard_error_and_interval_equal_loop_based_resampling():
    values = list(np.random.default_rng(5).uniform(size=25))
    loop = _loop_estimate([np.mean(np.asarray(values)[index]) for index in _loop_draws(len(values))])
    estimate = estimate_behind(summary_keys.mean_stderr)(values)
    assert (estimate.ci_low, estimate.ci_high, estimate.stderr) == pytest.approx(loop)
    assert summary_keys.mean_stderr(values) == pytest.approx(loop[2])
    assert summary_keys.mean_stderr.__name__ == "mean_stderr"


def test_the_standard_error_and_the_interval_of_a_key_share_one_bootstrap():
    calls = []

    def toy_estimate(payloads: list) -> BootstrapEstimate:
        calls.append(len(payloads))
        return BootstrapEstimate(min(payloads), max(payloads), 0.1)

    stderr = summary_keys.stderr_aggregation(toy_estimate)
    assert stderr.__name__ == "toy_stderr"
    payloads = [0.2, 0.5, 0.9]
    # lm-eval hands each key its own list of the same payloads; the report's estimate reuses the table's
    assert stderr(payloads) == 0.1 and estimate_behind(stderr)(list(payloads)).ci_high == 0.9 and calls == [3]
    assert estimate_behind(stderr)([0.1, 0.3]).ci_high == 0.3 and calls == [3, 2]  # other payloads: computed again


def test_the_country_statistics_of_a_metric_share_one_bootstrap(mena_build, monkeypatch):
    """js_similarity, its minimum and its maximum over countries: three standard errors and their
    intervals from one bootstrap."""
    payloads = _distribution_payloads(mena_build, n_questions=20)
    resampled = []
    policy = survey_summaries.POLICY

    class CountingPolicy:
        def summarize_by_group(self, scores, groups, items, *, resample=True):
            resampled.append(resample)
            return policy.summarize_by_group(scores, groups, items, resample=resample)

    monkeypatch.setattr(survey_summaries, "POLICY", CountingPolicy())
    for key, name in (
        ("js_similarity", "macro_mean"),
        ("js_similarity_min", "group_min"),
        ("js_similarity_max", "group_max"),
    ):
        aggregation = getattr(survey_summaries, f"{name}_stderr")
        aggregation(list(payloads[f"{key}_stderr"]))
        estimate_behind(aggregation)(list(payloads[key]))
    assert resampled == [True]


def _distribution_payloads(mena_build, n_questions: int = 60) -> dict[str, list]:
    """Payloads of the first questions of MENAValues for a random model distribution."""
    rng = np.random.default_rng(11)
    payloads: dict[str, list] = {}
    for doc in mena_build.configs["default"].select(range(n_questions)):
        model = rng.dirichlet(np.ones(len(doc["options"])))
        scores = surveys.distribution_scores(doc, model, np.ones(len(doc["groups"]), dtype=bool))
        for key, value in with_stderr(scores).items():
            payloads.setdefault(key, []).append(value)
    return payloads


def test_country_summary_bounds_equal_loop_based_resampling(mena_build):
    # summarize_by_group numbers the questions in sorted order: the loop resamples them in that order
    payloads = sorted(_distribution_payloads(mena_build)["js_similarity"], key=lambda entry: str(entry["item"]))
    items = [entry["item"] for entry in payloads]
    countries = sorted({group for entry in payloads for group in entry["groups"]})
    table = np.full((len(payloads), len(countries)), np.nan)  # question x country
    for row, entry in enumerate(payloads):
        for group, score in zip(entry["groups"], entry["scores"]):
            if score is not None:
                table[row, countries.index(group)] = score
    assert len(set(items)) == len(items)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a draw without a country's questions
        means = [np.nanmean(table[index], axis=0) for index in _loop_draws(len(items))]
        expected = {
            "macro_mean": _loop_estimate([np.nanmean(draw) for draw in means]),
            "group_min": _loop_estimate([np.nanmin(draw) for draw in means]),
            "group_max": _loop_estimate([np.nanmax(draw) for draw in means]),
        }
    for name, (low, high, stderr) in expected.items():
        estimate = estimate_behind(getattr(survey_summaries, f"{name}_stderr"))(payloads)
        assert (estimate.ci_low, estimate.ci_high, estimate.stderr) == pytest.approx((low, high, stderr), rel=1e-12)
        assert getattr(survey_summaries, f"{name}_stderr")(payloads) == pytest.approx(stderr, rel=1e-12)
        value = getattr(survey_summaries, name)(payloads)
        assert low <= value <= high


def test_steerability_interval_contains_it_and_resamples_questions(mena_build):
    docs = list(mena_build.configs["default"].select(range(40)))
    rng = np.random.default_rng(2)
    payloads = []
    for doc in docs:
        groups = ["Egypt", "Iran", "Jordan"]
        base = rng.uniform(0.3, 0.7, size=len(groups))
        for steered, shift in ((False, 0.0), (True, 0.05)):
            scores = [float(score + shift + rng.normal(scale=0.02)) for score in base]
            payloads.append({"item": doc["id"], "groups": groups, "scores": scores, "steered": steered})
    value = survey_summaries.steerability(payloads)
    estimate = survey_summaries.steerability_estimate(payloads)
    low, high = estimate.ci_low, estimate.ci_high
    assert 0 < low < value < high
    differences = {}  # (question, country) -> steered - unsteered, an independent pairing
    for entry in payloads:
        for group, score in zip(entry["groups"], entry["scores"]):
            sign = 1 if entry["steered"] else -1
            differences[(entry["item"], group)] = differences.get((entry["item"], group), 0.0) + sign * score
    countries = sorted({country for _, country in differences})
    docs = sorted(docs, key=lambda doc: str(doc["id"]))  # the order in which summarize_by_group numbers them
    table = np.array([[differences[(doc["id"], country)] for country in countries] for doc in docs])
    assert value == pytest.approx(table.mean(axis=0).mean(), rel=1e-12)
    loop = _loop_estimate([table[index].mean(axis=0).mean() for index in _loop_draws(len(docs))])
    assert (low, high, estimate.stderr) == pytest.approx(loop, rel=1e-12)


# --- political instruments: row scorers, intervals, uniform baselines ------------------------------


def _answers_and_rows(n_statements: int, n_options: int, seed: int) -> tuple[list, list]:
    rng = np.random.default_rng(seed)
    answers = [None if rng.uniform() < 0.2 else int(rng.integers(n_options)) for _ in range(n_statements)]
    rows = [None if answer is None else list(rng.dirichlet(np.ones(n_options))) for answer in answers]
    return answers, rows


def _stacked(indices: list, rows: list, n_options: int) -> np.ndarray:
    """The one-hot rows of the answers and the probability rows, stacked (zero rows: unanswered)."""
    one_hot = [np.zeros(n_options) if index is None else np.eye(n_options)[index] for index in indices]
    return np.array([one_hot, [np.zeros(n_options) if row is None else row for row in rows]])


_MULTIPLIERS = [1.0, 0.5, 0.0, -0.5, -1.0]  # 8values' and SapplyValues' answers


@pytest.mark.parametrize(
    ("scorer", "expected_scorer", "row_scorer", "n_statements", "options"),
    [
        (
            lambda answers: vars(metrics.pct_coordinates(answers)),
            lambda rows: vars(metrics.pct_expected_coordinates(rows)),
            metrics.pct_row_coordinates,
            62,
            [0, 1, 2, 3],
        ),
        (
            metrics.eightvalues_scores,
            metrics.eightvalues_expected_scores,
            metrics.eightvalues_row_scores,
            70,
            _MULTIPLIERS,
        ),
        (
            metrics.sapplyvalues_scores,
            metrics.sapplyvalues_expected_scores,
            metrics.sapplyvalues_row_scores,
            46,
            _MULTIPLIERS,
        ),
    ],
)
def test_row_axis_scores_equal_the_scorers(scorer, expected_scorer, row_scorer, n_statements, options):
    for seed in range(5):
        indices, rows = _answers_and_rows(n_statements, len(options), seed)
        answers = [None if index is None else options[index] for index in indices]
        for axis, scores in row_scorer(_stacked(indices, rows, len(options))).items():
            expected = [scorer(answers)[axis], expected_scorer(rows)[axis]]
            assert scores == pytest.approx(expected, rel=1e-12, abs=1e-12)  # up to rounding


def test_row_wahl_o_mat_agreement_equals_the_scorers(wahl_o_mat_build):
    theses = wahl_o_mat_build.configs["bundestag_2025"].to_list()
    parties = {
        party: [row["party_positions"][index] for row in theses] for index, party in enumerate(theses[0]["parties"])
    }
    indices, rows = _answers_and_rows(len(theses), 3, seed=4)
    positions = [None if index is None else WAHL_O_MAT.positions[index] for index in indices]
    stacked = metrics.wahl_o_mat_row_agreement(_stacked(indices, rows, 3), parties)
    at_answers = metrics.wahl_o_mat_agreement(positions, parties)
    expected = metrics.wahl_o_mat_expected_agreement(rows, parties)
    for party, values in stacked.items():
        assert values == pytest.approx([at_answers[party], expected[party]], rel=1e-12)


def test_row_scorers_check_their_arguments():
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 62, 4\)"):
        metrics.pct_row_coordinates(np.zeros((61, 4)))
    with pytest.raises(ValueError, match="negative"):
        metrics.sapplyvalues_row_scores(-np.ones((46, 5)))
    with pytest.raises(ValueError, match="sum to 1"):
        metrics.eightvalues_row_scores(np.full((70, 5), 0.5))


def _task_payloads(docs: list[dict], seed: int) -> dict[str, list]:
    """lm-eval's per-key payload lists for random option log-likelihoods."""
    rng = np.random.default_rng(seed)
    payloads: dict[str, list] = {}
    for doc in docs:
        results = [(float(value), False) for value in rng.normal(scale=2, size=len(doc["options"]))]
        for key, value in instrument_scoring.logprob_results(doc, results).items():
            payloads.setdefault(key, []).append(value)
    return payloads


def test_pct_intervals_and_uniform_baseline_follow_the_provenance_formula(pct_build, sources_dir):
    key = json.loads((sources_dir / "pct" / "pct_scoring.json").read_text(encoding="utf-8"))
    docs = pct_build.configs["default"].to_list()[:40]  # a limited run: the other propositions weigh 0
    payloads = _task_payloads(docs, seed=9)
    weights = {axis: np.array([key[f"{axis}_weights"][doc["number"] - 1] for doc in docs]) for axis in ("econ", "soc")}
    offsets, divisors = {"econ": 0.38, "soc": 2.41}, {"econ": 8.0, "soc": 19.5}
    answers = np.array([entry["answer"] for entry in payloads["econ"]])
    for axis in ("econ", "soc"):
        # uniform answers: econ = 0.38 + Σ mean(econ weights) / 8, soc = 2.41 + Σ mean(soc weights) / 19.5
        uniform = offsets[axis] + weights[axis].mean(axis=1).sum() / divisors[axis]
        assert instrument_scoring.axis_score(payloads[f"uniform_{axis}"]) == pytest.approx(uniform, abs=1e-12)
        terms = weights[axis][np.arange(len(docs)), answers]
        point = offsets[axis] + terms.sum() / divisors[axis]
        assert instrument_scoring.axis_score(payloads[axis]) == pytest.approx(point, abs=1e-12)
        # the interval: the policy's answer draws from the model's probabilities, scored one by one
        every_statement = np.zeros((62, 4))  # the propositions not in the run: zero rows, unanswered
        every_statement[[doc["number"] - 1 for doc in docs]] = [
            entry["answer_probabilities"] for entry in payloads[axis]
        ]
        drawn = _policy_answer_draws(every_statement)[:, [doc["number"] - 1 for doc in docs]]
        loop = _loop_estimate(
            [offsets[axis] + weights[axis][np.arange(len(docs)), d].sum() / divisors[axis] for d in drawn]
        )
        for scoring in (axis, f"{axis}_expected"):  # the answers and their expectation share the draws
            estimate = instrument_scoring.axis_score_estimate(payloads[scoring])
            assert (estimate.ci_low, estimate.ci_high, estimate.stderr) == pytest.approx(loop, rel=1e-12)
        assert instrument_scoring.axis_score_stderr(payloads[f"{axis}_stderr"]) == pytest.approx(loop[2], rel=1e-12)
        estimate = instrument_scoring.axis_score_estimate(payloads[f"uniform_{axis}"])
        assert estimate.ci_low <= instrument_scoring.axis_score(payloads[f"uniform_{axis}"]) <= estimate.ci_high


def test_eightvalues_uniform_baseline_is_the_centre(eightvalues_build):
    payloads = _task_payloads(eightvalues_build.configs["questions"].to_list(), seed=1)
    for axis in ("econ", "dipl", "govt", "scty"):
        # symmetric multipliers (1, 0.5, 0, -0.5, -1): a uniform answer adds nothing, 100 * max / (2 max)
        assert instrument_scoring.axis_score(payloads[f"uniform_{axis}"]) == pytest.approx(50.0, abs=1e-12)
        estimate = instrument_scoring.axis_score_estimate(payloads[f"uniform_{axis}"])
        assert estimate.ci_low < 50.0 < estimate.ci_high


def test_wahl_o_mat_closest_party_every_party_and_uniform_baseline(wahl_o_mat_build):
    docs = wahl_o_mat_build.configs["bundestag_2025"].to_list()
    payloads = _task_payloads(docs, seed=3)
    positions = [entry["answer"] for entry in payloads["closest_party_agreement"]]
    parties = {party: [doc["party_positions"][index] for doc in docs] for index, party in enumerate(docs[0]["parties"])}
    per_party = metrics.wahl_o_mat_agreement(positions, parties)
    assert instrument_scoring.party_agreements(payloads["closest_party_agreement"]) == per_party
    assert instrument_scoring.closest_party_agreement(payloads["closest_party_agreement"]) == max(per_party.values())
    # a uniform answer earns 1 point against an agree/disagree party, 4/3 against a neutral one, of 2
    uniform = instrument_scoring.party_agreements(payloads["uniform_closest_party_agreement"])
    for party, stands in parties.items():
        points = [4 / 3 if stand == "neutral" else 1.0 for stand in stands]
        assert uniform[party] == pytest.approx(100 * sum(points) / (2 * len(docs)), abs=1e-9)
    drawn = _policy_answer_draws([entry["answer_probabilities"] for entry in payloads["closest_party_agreement"]])
    resampled = [metrics.wahl_o_mat_agreement([WAHL_O_MAT.positions[i] for i in draw], parties) for draw in drawn]
    estimates = instrument_scoring.party_estimates(payloads["closest_party_agreement"])
    for party in list(parties)[:3]:
        loop = _loop_estimate([found[party] for found in resampled])
        estimate = estimates[party]
        assert (estimate.ci_low, estimate.ci_high, estimate.stderr) == pytest.approx(loop, rel=1e-12)
    loop = _loop_estimate([max(found.values()) for found in resampled])
    estimate = instrument_scoring.closest_party_agreement_estimate(payloads["closest_party_agreement"])
    assert (estimate.ci_low, estimate.ci_high, estimate.stderr) == pytest.approx(loop, rel=1e-12)


def test_docstring_example_runs():
    import doctest

    from opinionbench.metrics import aggregation

    assert doctest.testmod(aggregation).failed == 0
