"""Real lm_eval runs of every task variant on the bundled model, checked against an
independent recomputation (NumPy/SciPy) from the samples log and the built dataset."""

import json
import math
from collections import defaultdict
from pathlib import Path

import numpy as np
import pyarrow.parquet
import pytest
from lm_eval_files import read_samples
from scipy.spatial.distance import jensenshannon
from scipy.stats import wasserstein_distance

pytestmark = pytest.mark.slow

LOGPROB_TASKS = ("global_opinions_logprob", "global_opinions_persona_logprob", "mena_values_logprob")
ALL_TASKS = (*LOGPROB_TASKS, "global_opinions_gen")
LIMIT = 6


@pytest.fixture(scope="session")
def plain_run(lm_eval_run, tmp_path_factory):
    return lm_eval_run(tmp_path_factory.mktemp("plain"), ALL_TASKS, "--limit", str(LIMIT), "--batch_size", "4")


@pytest.fixture(scope="session")
def chat_run(lm_eval_run, tmp_path_factory):
    tasks = ("global_opinions_logprob", "mena_values_logprob")
    return lm_eval_run(tmp_path_factory.mktemp("chat"), tasks, "--limit", str(LIMIT), "--apply_chat_template")


def _dataset_rows(env, source: str) -> dict[str, dict]:
    [parquet] = Path(env["OPINIONBENCH_CACHE"]).glob(f"datasets/{source}/*/data/test-00000-of-00001.parquet")
    return {row["id"]: row for row in pyarrow.parquet.read_table(parquet).to_pylist()}


def _softmax_of_logged(sample) -> tuple[np.ndarray, float]:
    loglikelihoods = np.array([float(ll) for ll, _ in sample["filtered_resps"]])
    probabilities = np.exp(loglikelihoods)
    return probabilities / probabilities.sum(), probabilities.sum()


def _countries(row, targets=None):
    """(country, human distribution) pairs scored by the tasks: national samples (GlobalOpinionQA)."""
    kinds = row.get("sample_types") or ["national"] * len(row["groups"])
    for country, kind, human in zip(row["groups"], kinds, row["distributions"]):
        if kind == "national" and (targets is None or country in targets):
            yield country, np.array(human)


def _w1_similarity(p, q, ordinal):
    on = [i for i, position in enumerate(ordinal) if position is not None]
    if len(on) < 2:
        return math.nan
    support = np.array([ordinal[i] for i in on])
    distance = wasserstein_distance(support, support, p[on] / p[on].sum(), q[on] / q[on].sum())
    return 1 - distance / (support.max() - support.min())


def _macro(per_country: dict) -> tuple[float, float, float]:
    means = [np.mean(values) for values in per_country.values() if values]
    return float(np.mean(means)), float(np.min(means)), float(np.max(means))


def _expected(samples, rows, model_distribution, targets_of=lambda sample: None):
    js, w1, uniform = defaultdict(list), defaultdict(list), defaultdict(list)
    for sample in samples:
        row = rows[sample["doc"]["id"]]
        model = model_distribution(sample)
        for country, human in _countries(row, targets_of(sample)):
            if model is not None:
                js[country].append(1 - jensenshannon(model, human, base=2))
                w = _w1_similarity(model, human, row["ordinal"])
                if not math.isnan(w):
                    w1[country].append(w)
            uniform[country].append(1 - jensenshannon(np.ones(len(human)), human, base=2))
    return js, w1, uniform


def _check(results_file, task, js, w1, uniform, filter_name="none"):
    """Compare lm-eval's numbers (filter ``filter_name``) with the recomputed ones; returns the row."""
    row = json.loads(results_file.read_text())["results"][task]
    reported = {key.replace(f",{filter_name}", ",none"): value for key, value in row.items()}
    mean, low, high = _macro(js)
    assert reported["js_similarity,none"] == pytest.approx(mean, abs=1e-9)
    assert reported["js_similarity_min,none"] == pytest.approx(low, abs=1e-9)
    assert reported["js_similarity_max,none"] == pytest.approx(high, abs=1e-9)
    assert reported["uniform_js_similarity,none"] == pytest.approx(_macro(uniform)[0], abs=1e-9)
    if any(w1.values()):
        assert reported["wasserstein_similarity,none"] == pytest.approx(_macro(w1)[0], abs=1e-9)
        assert reported["wasserstein_loss_cvar,none"] == pytest.approx(_cvar95(w1), abs=1e-9)
    if "js_loss_cvar,none" in reported:  # the generative tasks report it too, from their own js
        assert reported["js_loss_cvar,none"] == pytest.approx(_cvar95(js), abs=1e-9)
    return reported


def _cvar95(similarities: dict[str, list[float]]) -> float:
    """Rockafellar-Uryasev: min over t of t + E[(loss - t)+] / 0.05, over the pooled pair losses."""
    losses = 1 - np.array([value for values in similarities.values() for value in values])
    return min(t + np.maximum(losses - t, 0).mean() / 0.05 for t in losses)


@pytest.mark.parametrize("task", ["global_opinions_logprob", "mena_values_logprob"])
@pytest.mark.parametrize("mode", ["plain", "chat"])
def test_logprob_similarity_equals_an_independent_recomputation(task, mode, plain_run, chat_run, eval_env):
    results_file = plain_run if mode == "plain" else chat_run
    samples = read_samples(results_file, task)
    assert len(samples) == LIMIT
    rows = _dataset_rows(eval_env, task.removesuffix("_logprob"))
    js, w1, uniform = _expected(samples, rows, lambda sample: _softmax_of_logged(sample)[0])
    reported = _check(results_file, task, js, w1, uniform)
    option_mass = np.mean([_softmax_of_logged(sample)[1] for sample in samples])
    assert reported["option_mass,none"] == pytest.approx(option_mass, abs=1e-9)
    assert 0 < option_mass <= 1


def test_option_labels_with_and_without_chat_template(plain_run, chat_run):
    plain = read_samples(plain_run, "global_opinions_logprob")[0]["arguments"]
    chat = read_samples(chat_run, "global_opinions_logprob")[0]["arguments"]
    assert [arg["arg_1"] for arg in plain.values()][:2] == ["A", "B"]  # after "would be (": no space
    assert plain["gen_args_0"]["arg_0"].endswith(
        "\n\nAssistant: If had to select one of the options, my answer would be ("
    )
    assert (
        "<|im_start|>assistant\nIf had to select one of the options, my answer would be ("
        in chat["gen_args_0"]["arg_0"]
    )
    mena_plain = read_samples(plain_run, "mena_values_logprob")[0]["arguments"]
    mena_chat = read_samples(chat_run, "mena_values_logprob")[0]["arguments"]
    assert mena_plain["gen_args_0"]["arg_1"] == " 1" and mena_chat["gen_args_0"]["arg_1"] == "1"
    assert mena_plain["gen_args_0"]["arg_0"].endswith("Provide a number only.")


def test_persona_steering_and_steerability(plain_run, eval_env):
    samples = read_samples(plain_run, "global_opinions_persona_logprob")
    rows = _dataset_rows(eval_env, "global_opinions")
    steered = [s for s in samples if s["doc"]["persona"]]
    assert steered and all(
        s["arguments"]["gen_args_0"]["arg_0"].startswith(f"Human: How would someone from {s['doc']['persona']} answer")
        for s in steered
    )
    js, w1, uniform = _expected(steered, rows, lambda s: _softmax_of_logged(s)[0], lambda s: [s["doc"]["persona"]])
    reported = _check(plain_run, "global_opinions_persona_logprob", js, w1, uniform)

    unsteered_docs = [s for s in samples if not s["doc"]["persona"]]
    unsteered, _, _ = _expected(
        unsteered_docs, rows, lambda s: _softmax_of_logged(s)[0], lambda s: s["doc"]["persona_targets"]
    )
    assert reported["js_similarity_unsteered,none"] == pytest.approx(_macro(unsteered)[0], abs=1e-9)
    # steerability: per country, steered minus unsteered similarity on the questions both answered
    baseline = {}
    for sample in unsteered_docs:
        model = _softmax_of_logged(sample)[0]
        for country, human in _countries(rows[sample["doc"]["id"]], sample["doc"]["persona_targets"]):
            baseline[(sample["doc"]["id"], country)] = 1 - jensenshannon(model, human, base=2)
    gains = defaultdict(list)
    for sample in steered:
        key = (sample["doc"]["id"], sample["doc"]["persona"])
        if key in baseline:
            [(country, human)] = _countries(rows[key[0]], [key[1]])
            gains[country].append(1 - jensenshannon(_softmax_of_logged(sample)[0], human, base=2) - baseline[key])
    assert reported["steerability,none"] == pytest.approx(np.mean([np.mean(g) for g in gains.values()]), abs=1e-9)


def test_generative_variant_keeps_every_repeat_and_counts_invalid_answers(plain_run, eval_env):
    samples = read_samples(plain_run, "global_opinions_gen")
    rows = _dataset_rows(eval_env, "global_opinions")
    for sample in samples:
        [answers] = sample["filtered_resps"]
        assert len(answers) == len(sample["resps"][0]) == 10  # all repeats, not only the first
        letters = [chr(ord("A") + i) for i in range(len(sample["doc"]["options"]))]
        assert set(answers) <= {*letters, "refusal", "invalid"}

    def distribution(sample):
        [answers] = sample["filtered_resps"]
        letters = [chr(ord("A") + i) for i in range(len(sample["doc"]["options"]))]
        counts = np.array([answers.count(letter) for letter in letters], dtype=float)
        return counts / counts.sum() if counts.sum() else None

    reported = _check(plain_run, "global_opinions_gen", *_expected(samples, rows, distribution), "all_answers")
    valid = np.mean(
        [
            sum(a not in ("refusal", "invalid") for a in s["filtered_resps"][0]) / len(s["filtered_resps"][0])
            for s in samples
        ]
    )
    assert reported["option_mass,none"] == pytest.approx(valid, abs=1e-9)


def test_report_table_equals_the_recomputation(plain_run, eval_env, run_cli, tmp_path):
    result = run_cli("report", str(plain_run.parent.parent), "--out", str(tmp_path / "report"), env=eval_env)
    assert result.returncode == 0, result.stderr[-3000:]
    [csv_file] = (tmp_path / "report").glob("*/mena_values_logprob/countries.csv")
    import csv

    table = {row["country"]: row for row in csv.DictReader(csv_file.open())}
    rows = _dataset_rows(eval_env, "mena_values")
    js, _, _ = _expected(
        read_samples(plain_run, "mena_values_logprob"), rows, lambda sample: _softmax_of_logged(sample)[0]
    )
    assert set(table) == set(js)
    for country, values in js.items():
        assert float(table[country]["js_similarity"]) == pytest.approx(np.mean(values), abs=1e-9)
        assert int(table[country]["n_items"]) == len(values)
        low, high = float(table[country]["js_similarity_ci_low"]), float(table[country]["js_similarity_ci_high"])
        assert low - 1e-12 <= np.mean(values) <= high + 1e-12
    ranks = [int(row["rank"]) for row in table.values()]
    assert sorted(ranks) == list(range(1, len(table) + 1))
    _assert_compact_country_table(csv_file.parent, table)
    for name in ("countries.md", "countries.png", "countries.html"):
        assert (csv_file.parent / name).stat().st_size > 0
    page = (csv_file.parent / "countries.html").read_text()
    assert '<figure class="world-map"><svg' in page and 'class="country"' in page and 'data-name="Jordan"' in page
    assert '"type":"bar"' in page and "<td>Jordan</td>" in page
    assert "<script src=" not in page, "the page must work offline: no script fetched from a CDN"
    assert (csv_file.parent / "countries.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| js_similarity |" in (tmp_path / "report" / "README.md").read_text()


def _assert_compact_country_table(folder, table: dict[str, dict]) -> None:
    """countries.md and countries.tex hold, per country, its rank, n and each metric as
    ``value [low, high]`` (4 decimals on [0, 1] scales, 2 on NVAS's 0-100) from the CSV's numbers."""
    markdown = (folder / "countries.md").read_text().splitlines()
    header = next(line for line in markdown if line.startswith("| rank | country | n |"))
    columns = [cell.strip() for cell in header.strip("|").split("|")]
    latex = (folder / "countries.tex").read_text()
    for country, row in table.items():
        [line] = [line for line in markdown if line.startswith(f"| {row['rank']} | {country} |")]
        cells = dict(zip(columns, (cell.strip() for cell in line.strip("|").split("|"))))
        assert cells["n"] == row["n_items"]
        for metric, digits in (("js_similarity", 4), ("nvas", 2)):
            value, low, high = (float(row[f"{metric}{end}"]) for end in ("", "_ci_low", "_ci_high"))
            assert cells[metric] == f"{value:.{digits}f} [{low:.{digits}f}, {high:.{digits}f}]"
        assert cells["uniform_js_similarity"] == f"{float(row['uniform_js_similarity']):.4f}"
        assert " & ".join(cells.values()).replace("_", "\\_") + " \\\\" in latex
    assert max(len(line) for line in markdown if line.startswith("| ")) < 250


def test_all_tasks_pass_lm_eval_validate(run_cli, eval_env):
    result = run_cli(
        "eval",
        "validate",
        "--tasks",
        "global_opinions,mena_values,global_opinions_persona_logprob,global_opinions_gen",
        env=eval_env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All tasks found and valid" in result.stdout + result.stderr


def test_demo_runs_from_a_source_checkout(run_cli, eval_env, prepared_model, tmp_path):
    """The README's main job, on two questions per task, from the repository root (where the
    `opinionbench/` folder must not hide the installed package)."""
    repo = Path(__file__).resolve().parents[2]
    result = run_cli("demo", "--limit", "2", "--out", str(tmp_path / "demo"), env=eval_env, cwd=repo)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "-m opinionbench eval run --model hf" in result.stdout and "--apply_chat_template" in result.stdout
    report = (tmp_path / "demo" / "report" / "README.md").read_text()
    defaults = ["global_opinions", "mena_values", "pct", "eightvalues", "sapplyvalues", "wahl_o_mat"]
    generated = ["worldview_bench_gen", "worldview_bench_multiplex_gen", "implicit_bias_wat", "implicit_bias_decision"]
    assert all(f"## {source}_logprob" in report for source in defaults), report
    assert all(f"## {task}" in report for task in generated), report
    samples = sorted(path.name.split("_20")[0] for path in (tmp_path / "demo" / "lm_eval").rglob("samples_*.jsonl"))
    assert samples == sorted(
        [*(f"samples_{source}_logprob" for source in defaults), *(f"samples_{t}" for t in generated)]
    )
