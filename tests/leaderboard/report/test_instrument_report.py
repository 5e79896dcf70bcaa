"""``opinionbench report`` on real lm_eval runs of the political-instrument tasks, checked
against the instruments' formulas applied (with NumPy) to the samples log and the raw source
files in $OPINIONBENCH_SOURCES."""

import csv
import json
import math
import shutil
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pytest

from opinionbench import families
from opinionbench.models import BUNDLED_MODELS

pytestmark = pytest.mark.slow

LOGPROB_TASKS = ("pct_logprob", "eightvalues_logprob", "sapplyvalues_logprob", "wahl_o_mat_logprob")
LIMIT = 8
# Fixed picture sizes in pixels (width, height).
PICTURES = {"compass.png": (800, 900), "pct_compass.png": (800, 900), "axes.png": (900, 600), "parties.png": (900, 900)}
QUADRANT_SIGNS = {  # quadrant name -> signs of (econ, soc) inside it
    "Authoritarian Left": (-1, 1),
    "Authoritarian Right": (1, 1),
    "Libertarian Left": (-1, -1),
    "Libertarian Right": (1, -1),
}


@pytest.fixture(scope="session")
def political_run(lm_eval_run, tmp_path_factory) -> Path:
    """One lm_eval run of every instrument's log-probability task and of pct_gen."""
    return lm_eval_run(tmp_path_factory.mktemp("political"), (*LOGPROB_TASKS, "pct_gen"), "--limit", str(LIMIT))


@pytest.fixture(scope="session")
def political_report(political_run, eval_env, run_cli, tmp_path_factory):
    """The report of ``political_run``: (report folder, console output)."""
    out = tmp_path_factory.mktemp("political_report") / "report"
    result = run_cli("report", str(political_run.parent), "--out", str(out), env=eval_env)
    assert result.returncode == 0, result.stderr[-3000:]
    return out, result.stdout


def _logged(results_file: Path, task: str) -> list[dict]:
    [path] = results_file.parent.glob(f"samples_{task}_*.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _softmax(sample: dict) -> np.ndarray:
    weights = np.exp([float(loglikelihood) for loglikelihood, _ in sample["filtered_resps"]])
    return weights / weights.sum()


def _csv_rows(report_dir: Path, task: str, name: str = "scores.csv") -> list[dict]:
    [path] = report_dir.glob(f"*/{task}/{name}")
    return list(csv.DictReader(path.open(encoding="utf-8")))


def _by_scoring(report_dir: Path, task: str) -> dict[str, dict]:
    return {row["scoring"]: row for row in _csv_rows(report_dir, task)}


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _pct_expected(samples: list[dict], sources_dir: Path) -> dict[str, tuple[float, float]]:
    """PCT coordinates from pct_scoring.json: 0.38 + Σ econ weight / 8, 2.41 + Σ soc weight / 19.5,
    at the most probable option, in expectation and for a uniform answer (unlogged propositions weigh 0)."""
    key = json.loads((sources_dir / "pct" / "pct_scoring.json").read_text(encoding="utf-8"))
    econ_weights, soc_weights = np.array(key["econ_weights"], float), np.array(key["soc_weights"], float)
    sums = {"answer": np.zeros(2), "expected": np.zeros(2), "uniform": np.zeros(2)}
    for sample in samples:
        assert sample["doc"]["options"] == [option["label"] for option in key["answer_scale"]]
        row, probabilities = sample["doc"]["number"] - 1, _softmax(sample)
        weights = np.stack([econ_weights[row], soc_weights[row]])
        sums["answer"] += weights[:, int(np.argmax(probabilities))]
        sums["expected"] += weights @ probabilities
        sums["uniform"] += weights.mean(axis=1)  # a uniform answer over the four options
    return {scoring: (0.38 + econ / 8, 2.41 + soc / 19.5) for scoring, (econ, soc) in sums.items()}


def _pct_displayed(value: float) -> str:
    """The site's Math.round((v + Number.EPSILON) * 100) / 100 (halves up)."""
    return f"{math.floor((value + sys.float_info.epsilon) * 100 + 0.5) / 100:.2f}"


def _to_fixed(value: float, digits: int) -> str:
    return str(Decimal(value).quantize(Decimal(10) ** -digits, rounding=ROUND_HALF_UP))


def test_pct_scores_equal_the_formula_on_the_source_weights(political_run, political_report, sources_dir):
    report_dir, console = political_report
    samples = _logged(political_run, "pct_logprob")
    assert len(samples) == LIMIT
    expected = _pct_expected(samples, sources_dir)
    table = _by_scoring(report_dir, "pct_logprob")
    assert set(table) == {"answer", "expected", "uniform"}
    for scoring, (econ, soc) in expected.items():
        assert float(table[scoring]["econ"]) == pytest.approx(econ, abs=1e-12)
        assert float(table[scoring]["soc"]) == pytest.approx(soc, abs=1e-12)
        for axis, value in (("econ", econ), ("soc", soc)):  # the 95 % interval of the drawn answers
            interval = [table[scoring][f"{axis}_{bound}"] for bound in ("ci_low", "ci_high")]
            if scoring == "answer":  # drawn from the same probabilities as the expectation
                assert interval == [table["expected"][f"{axis}_{bound}"] for bound in ("ci_low", "ci_high")]
            else:  # the expected score is the mean of the drawn scores
                assert float(interval[0]) <= value + 1e-12 and value - 1e-12 <= float(interval[1])
        assert (table[scoring]["econ_displayed"], table[scoring]["soc_displayed"]) == (
            _pct_displayed(econ),
            _pct_displayed(soc),
        )
        assert int(table[scoring]["statements"]) == LIMIT
    model = BUNDLED_MODELS["smollm2"].display_name
    original = json.loads(political_run.read_text())["n-samples"]["pct_logprob"]["original"]
    answer, mean, uniform = table["answer"], table["expected"], table["uniform"]
    assert (
        f"pct_logprob ({model}) [partial run]: econ {answer['econ_displayed']}, soc {answer['soc_displayed']}; "
        f"expected econ {mean['econ_displayed']}, soc {mean['soc_displayed']}; "
        f"uniform econ {uniform['econ_displayed']}, soc {uniform['soc_displayed']} "
        f"({LIMIT} of {original} statements, partial run)"
    ) in console


def test_eightvalues_scores_labels_and_ideology_follow_the_source_files(political_run, political_report, sources_dir):
    folder = sources_dir / "eightvalues"
    scoring = json.loads((folder / "scoring.json").read_text(encoding="utf-8"))
    questions = {question["index"] + 1: question for question in _jsonl(folder / "questions.jsonl")}
    ideologies = _jsonl(folder / "ideologies.jsonl")
    axes = ("econ", "dipl", "govt", "scty")
    maximum = {axis: sum(abs(q["effect"][axis]) for q in questions.values()) for axis in axes}
    assert maximum == scoring["max_abs_sum_per_axis"]
    multipliers = np.array([option["multiplier"] for option in scoring["answer_scale"]])
    raw = {"answer": dict.fromkeys(axes, 0.0), "expected": dict.fromkeys(axes, 0.0)}
    for sample in _logged(political_run, "eightvalues_logprob"):
        question, probabilities = questions[sample["doc"]["number"]], _softmax(sample)
        assert sample["doc"]["statement"] == question["question"]
        for axis in axes:
            raw["answer"][axis] += multipliers[int(np.argmax(probabilities))] * question["effect"][axis]
            raw["expected"][axis] += float(probabilities @ multipliers) * question["effect"][axis]
    table = _by_scoring(political_report[0], "eightvalues_logprob")
    # label i for the first bound passed: > 90, > 75, > 60, >= 40, >= 25, >= 10, >= 0
    thresholds = [(90, False), (75, False), (60, False), (40, True), (25, True), (10, True), (0, True)]
    exponents = scoring["ideology_match_exponents"]
    for mode, sums in raw.items():
        shown = {}
        for axis in axes:
            score = 100 * (maximum[axis] + sums[axis]) / (2 * maximum[axis])
            assert float(table[mode][axis]) == pytest.approx(score, abs=1e-9)
            assert table[mode][f"{axis}_displayed"] == _to_fixed(score, 1)
            shown[axis] = float(_to_fixed(score, 1))
            level = next(
                i
                for i, (bound, inclusive) in enumerate(thresholds)
                if shown[axis] > bound or (inclusive and shown[axis] == bound)
            )
            assert table[mode][f"{axis}_label"] == scoring["axis_labels"][axis][level]
        distances = [
            sum(abs(ideology["stats"][axis] - shown[axis]) ** exponents[axis] for axis in axes)
            for ideology in ideologies
        ]
        assert table[mode]["ideology"] == ideologies[int(np.argmin(distances))]["name"]


def test_sapplyvalues_scores_follow_the_source_files(political_run, political_report, sources_dir):
    folder = sources_dir / "sapplyvalues"
    scoring = json.loads((folder / "scoring.json").read_text(encoding="utf-8"))
    questions = {question["id"] + 1: question for question in _jsonl(folder / "questions.jsonl")}
    values = np.array([option["value"] for option in scoring["answer_scale"]])
    axes = ("right", "auth", "prog")
    points = {"answer": dict.fromkeys(axes, 0.0), "expected": dict.fromkeys(axes, 0.0)}
    counted = dict.fromkeys(axes, 0)
    for sample in _logged(political_run, "sapplyvalues_logprob"):
        question, probabilities = questions[sample["doc"]["number"]], _softmax(sample)
        assert sample["doc"]["statement"] == question["question"]
        [(axis, sign)] = question["effects"].items()
        points["answer"][axis] += values[int(np.argmax(probabilities))] * sign
        points["expected"][axis] += float(probabilities @ values) * sign
        counted[axis] += abs(sign)
    table = _by_scoring(political_report[0], "sapplyvalues_logprob")
    for mode, sums in points.items():
        for axis in axes:
            score = 10 * sums[axis] / counted[axis] if counted[axis] else 0.0
            assert float(table[mode][axis]) == pytest.approx(score, abs=1e-9)
            assert table[mode][f"{axis}_displayed"] == f"{math.floor(score * 100 + 0.5) / 100:.2f}"


def test_wahl_o_mat_agreement_and_closest_party_follow_the_upstream_files(political_run, political_report, sources_dir):
    folder = sources_dir / "wahl_o_mat" / "upstream" / "data" / "2025" / "deutschland"
    parties = [party["name"] for party in json.loads((folder / "party.json").read_text(encoding="utf-8"))]
    statements = json.loads((folder / "statement.json").read_text(encoding="utf-8"))
    # upstream answer ids: 0 agree, 1 disagree, 2 neutral -> +1, -1, 0; model options: agree, neutral, disagree
    position = {0: 1, 1: -1, 2: 0}
    party_value = {
        (opinion["party"], opinion["statement"]): position[opinion["answer"]]
        for opinion in json.loads((folder / "opinion.json").read_text(encoding="utf-8"))
    }
    model_values = np.array([1, 0, -1])
    points = {mode: np.zeros(len(parties)) for mode in ("answer", "expected", "uniform")}
    samples = _logged(political_run, "wahl_o_mat_logprob")
    for sample in samples:
        thesis, probabilities = sample["doc"]["number"] - 1, _softmax(sample)
        assert sample["doc"]["statement"] == statements[thesis]["text"]
        for party in range(len(parties)):
            earned = 2 - np.abs(model_values - party_value[(party, thesis)])  # 2 same, 1 one neutral, 0 opposite
            points["answer"][party] += earned[int(np.argmax(probabilities))]
            points["expected"][party] += probabilities @ earned
            points["uniform"][party] += earned.mean()  # a uniform answer over the three positions
    table = {row["party"]: row for row in _csv_rows(political_report[0], "wahl_o_mat_logprob")}
    assert set(table) == set(parties)
    for mode, column in (("answer", "agreement"), ("expected", "agreement_expected"), ("uniform", "uniform_agreement")):
        agreement = 100 * points[mode] / (2 * len(samples))
        for party, value in zip(parties, agreement):
            assert float(table[party][column]) == pytest.approx(value, abs=1e-9)
            interval = [float(table[party][f"{column}_{bound}"]) for bound in ("ci_low", "ci_high")]
            if mode == "answer":  # drawn from the same probabilities as the expectation
                assert interval == [
                    float(table[party][f"agreement_expected_{bound}"]) for bound in ("ci_low", "ci_high")
                ]
            else:  # the expected agreement is the mean of the drawn ones
                assert interval[0] - 1e-9 <= value <= interval[1] + 1e-9
        if mode == "uniform":
            continue
        closest = parties[int(np.argmax(agreement))]  # argmax: the first of equal values, in party.json order
        assert int(table[closest]["rank" if mode == "answer" else "rank_expected"]) == 1
    ranks = [int(row["rank"]) for row in _csv_rows(political_report[0], "wahl_o_mat_logprob")]
    assert ranks == list(range(1, len(parties) + 1))
    readme = (political_report[0] / "README.md").read_text(encoding="utf-8")
    first = _csv_rows(political_report[0], "wahl_o_mat_logprob")[0]
    assert f"closest party {first['party']} ({float(first['agreement']):.1f}%)" in readme


def test_generative_scores_count_answers_and_refusals(political_run, eval_env, run_cli, sources_dir, tmp_path):
    """pct_gen's logged generations replaced by known answers; lm-eval's table rewritten with the
    numbers the PCT formula gives for them, so the report must agree with both."""
    texts = ("Strongly agree", "Disagree", "I'm sorry, I cannot share an opinion.", "Maybe.")
    answers = (3, 1, None, None)
    folder = tmp_path / "run" / political_run.parent.name
    folder.mkdir(parents=True)
    [samples_file] = political_run.parent.glob("samples_pct_gen_*.jsonl")
    samples = _logged(political_run, "pct_gen")
    key = json.loads((sources_dir / "pct" / "pct_scoring.json").read_text(encoding="utf-8"))
    econ = soc = 0.0
    for index, sample in enumerate(samples):
        sample["resps"], sample["filtered_resps"] = [[texts[index % 4]]], [texts[index % 4]]
        if (answer := answers[index % 4]) is not None:
            econ += key["econ_weights"][sample["doc"]["number"] - 1][answer]
            soc += key["soc_weights"][sample["doc"]["number"] - 1][answer]
    (folder / samples_file.name).write_text("\n".join(json.dumps(sample) for sample in samples) + "\n")
    results = json.loads(political_run.read_text())
    expected = {"econ": 0.38 + econ / 8, "soc": 2.41 + soc / 19.5, "valid_answer_rate": 0.5, "refusal_rate": 0.25}
    results["results"]["pct_gen"] |= {f"{metric},none": value for metric, value in expected.items()}
    for metric in expected:  # the standard errors of the answers logged before
        del results["results"]["pct_gen"][f"{metric}_stderr,none"]
    (folder / political_run.name).write_text(json.dumps(results))

    result = run_cli("report", str(folder), "--out", str(tmp_path / "report"), "--tasks", "pct_gen", env=eval_env)
    assert result.returncode == 0, result.stderr[-3000:]
    table = _by_scoring(tmp_path / "report", "pct_gen")
    assert set(table) == {"answer", "uniform"}  # no probabilities: no expected scores
    row = table["answer"]
    assert (row["scoring"], int(row["statements"])) == ("answer", LIMIT // 2)
    assert float(row["econ"]) == pytest.approx(expected["econ"], abs=1e-12)
    assert float(row["soc"]) == pytest.approx(expected["soc"], abs=1e-12)
    summary = f"{LIMIT // 2} of {LIMIT} statements answered: valid-answer rate 50.0%, refusal rate 25.0%"
    assert summary in result.stdout
    assert summary in (tmp_path / "report" / "README.md").read_text(encoding="utf-8")


def test_compass_draws_every_pct_result_in_its_quadrant(political_run, political_report, eval_env, sources_dir):
    from opinionbench.leaderboard.report.instrument_plots import compass_figure, compass_points
    from opinionbench.leaderboard.report.instrument_report import instrument_report
    from opinionbench.leaderboard.report.rescoring import rescore
    from opinionbench.lm_eval_outputs import find_runs

    with pytest.MonkeyPatch.context() as patch:
        for name in ("OPINIONBENCH_SOURCES", "OPINIONBENCH_CACHE", "HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE"):
            patch.setenv(name, eval_env[name])
        [run] = find_runs(political_run)
        reports = [("run", instrument_report(rescore(run, task))) for task in ("pct_logprob", "pct_gen")]
    figure = compass_figure(families.get("pct").instrument.picture, compass_points(reports), title="test")
    [axes] = figure.axes
    model = f"{BUNDLED_MODELS['smollm2'].display_name}"
    drawn = {c.get_label(): c for c in axes.collections if not c.get_label().startswith("_")}
    logprob = _pct_expected(_logged(political_run, "pct_logprob"), sources_dir)
    unanswered = (0.38, 2.41)  # pct_gen's generations are empty: nothing answered
    expected = {
        f"{model} pct_logprob (partial run) (answer)": logprob["answer"],
        f"{model} pct_logprob (partial run) (expected)": logprob["expected"],
        "uniform answer, pct_logprob (partial run) (uniform)": logprob["uniform"],
        f"{model} pct_gen (partial run) (answer)": unanswered,
        "uniform answer, pct_gen (partial run) (uniform)": logprob["uniform"],
    }
    assert set(drawn) == set(expected)
    for label, position in expected.items():
        assert drawn[label].get_offsets()[0].tolist() == pytest.approx(position, abs=1e-12)
        hollow = len(drawn[label].get_facecolor()) == 0 or drawn[label].get_facecolor()[0][3] == 0
        assert hollow == label.endswith("(expected)")
    bars = [c for c in axes.collections if c.get_label().startswith("_")]  # error bars: 2 per point with an interval
    estimates = reports[0][1].scores.estimates
    econ_low = estimates["econ"].ci_low
    assert any(np.allclose(segment[0], (econ_low, logprob["answer"][1])) for c in bars for segment in c.get_segments())
    assert axes.get_xlim() == (-10, 10) and axes.get_ylim() == (-10, 10)
    names = {text.get_text(): text.get_position() for text in axes.texts if text.get_text() in QUADRANT_SIGNS}
    assert set(names) == set(QUADRANT_SIGNS)
    for name, (x, y) in names.items():
        assert (np.sign(x), np.sign(y)) == QUADRANT_SIGNS[name]
    import matplotlib.pyplot as plt

    plt.close(figure)
    shared = {(row["label"], row["scoring"]): row for row in _compass_csv(political_report[0])}
    for (label, scoring), position in (
        ((f"{model} pct_logprob (partial run)", "answer"), logprob["answer"]),
        ((f"{model} pct_logprob (partial run)", "expected"), logprob["expected"]),
        ((f"{model} pct_gen (partial run)", "answer"), unanswered),
        (("uniform answer, pct_logprob (partial run)", "uniform"), logprob["uniform"]),
    ):
        row = shared[(label, scoring)]
        assert (float(row["econ"]), float(row["soc"])) == pytest.approx(position, abs=1e-12)
        interval = (float(row["econ_ci_low"] or "nan"), float(row["econ_ci_high"] or "nan"))
        if "pct_gen" in label:  # one greedy answer per statement: no interval
            assert all(math.isnan(bound) for bound in interval)
        elif scoring == "answer":
            expected = shared[(label, "expected")]
            assert interval == (float(expected["econ_ci_low"]), float(expected["econ_ci_high"]))
        else:
            assert interval[0] <= float(row["econ"]) + 1e-12 <= interval[1] + 2e-12


def _compass_csv(report_dir: Path) -> list[dict]:
    return list(csv.DictReader((report_dir / "pct_compass.csv").open(encoding="utf-8")))


def test_pictures_are_png_files_of_their_size(political_report):
    from PIL import Image

    report_dir, _ = political_report
    pictures = [report_dir / "pct_compass.png"]
    pictures += [
        next(report_dir.glob(f"*/{task}/{name}"))
        for task, name in (
            ("pct_logprob", "compass.png"),
            ("pct_gen", "compass.png"),
            ("eightvalues_logprob", "axes.png"),
            ("sapplyvalues_logprob", "axes.png"),
            ("wahl_o_mat_logprob", "parties.png"),
        )
    ]
    for path in pictures:
        with Image.open(path) as image:
            assert (image.format, image.size) == ("PNG", PICTURES[path.name]), path
            darkest, lightest = image.convert("L").getextrema()
            assert darkest < 100 < lightest, path  # not blank


def test_index_lists_every_political_task_with_its_files(political_report):
    report_dir, _ = political_report
    readme = (report_dir / "README.md").read_text(encoding="utf-8")
    assert "[compass](pct_compass.png)" in readme
    for task in (*LOGPROB_TASKS, "pct_gen"):
        assert f"## {task} — " in readme
        [markdown] = report_dir.glob(f"*/{task}/scores.md")
        assert f"({markdown.relative_to(report_dir).as_posix()})" in readme
    assert (
        readme.count("numbers of lm-eval's table and their standard errors recomputed from the samples log (equal)")
        == 5
    )


def _copy_run(political_run: Path, folder: Path, tasks: tuple[str, ...]) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(political_run, folder / political_run.name)
    for task in tasks:
        [samples] = political_run.parent.glob(f"samples_{task}_*.jsonl")
        shutil.copy(samples, folder / samples.name)
    return folder / political_run.name


def test_report_refuses_a_broken_results_file(political_run, eval_env, run_cli, tmp_path):
    results_file = _copy_run(political_run, tmp_path / "run", ("pct_logprob",))
    results_file.write_text('{"results": ')
    result = run_cli("report", str(results_file.parent), "--out", str(tmp_path / "report"), env=eval_env)
    assert result.returncode != 0
    assert f"{results_file}: not a readable lm-eval results file" in result.stderr
    assert not (tmp_path / "report").exists()


@pytest.mark.parametrize("edit", ["other instrument", "doc_id out of range"])
def test_report_refuses_samples_of_another_dataset(edit, political_run, eval_env, run_cli, tmp_path):
    results_file = _copy_run(political_run, tmp_path / "run", ("pct_logprob",))
    [samples_file] = results_file.parent.glob("samples_pct_logprob_*.jsonl")
    if edit == "other instrument":  # 8values' samples under the PCT task's name
        samples = _logged(political_run, "eightvalues_logprob")
        message = "document 0 is 'eightvalues-01' in the log but 'pct-01' in the dataset"
    else:
        samples = _logged(political_run, "pct_logprob")
        samples[0]["doc_id"] = 999
        message = "doc_id 999 is not a document of the dataset"
    samples_file.write_text("\n".join(json.dumps(sample) for sample in samples) + "\n")
    result = run_cli("report", str(results_file.parent), "--out", str(tmp_path / "report"), env=eval_env)
    assert result.returncode != 0
    assert f"{samples_file}: {message}" in result.stderr
