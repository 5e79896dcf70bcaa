"""A real lm_eval run of robustness variants on the bundled model: the prompts show the options
as the variant says, and the reported scores equal the instrument's formula applied to the model's
answers mapped back to the canonical options here, by matching the option texts in the prompt
(not with opinionbench.tasks.variants)."""

import csv
import json
import re
from pathlib import Path

import numpy as np
import pytest
from lm_eval_files import read_reported, read_samples

from opinionbench.tasks.mena_values.prompts import PARAPHRASES as MENA_VALUES_PARAPHRASES

pytestmark = pytest.mark.slow

TASKS = (
    "pct_logprob",
    "pct_reversed_logprob",
    "pct_permutation1_logprob",
    "wahl_o_mat_text_logprob",
    "global_opinions_reversed_logprob",
    "mena_values_paraphrase01_logprob",
)
LIMIT = 6


@pytest.fixture(scope="module")
def run(lm_eval_run, tmp_path_factory) -> Path:
    return lm_eval_run(tmp_path_factory.mktemp("robustness"), TASKS, "--limit", str(LIMIT))


def _requests(sample) -> list[tuple[str, str]]:
    return [(request["arg_0"], request["arg_1"]) for request in sample["arguments"].values()]


def _displayed_options(prompt: str, pattern: str) -> list[str]:
    return re.findall(pattern, prompt, flags=re.MULTILINE)


def _canonical_probabilities(sample, displayed: list[str], canonical: list[str]) -> np.ndarray:
    """The softmax of the logged log-likelihoods, moved to the canonical option of each shown text."""
    loglikelihoods = np.array([float(ll) for ll, _ in sample["filtered_resps"]])
    weights = np.exp(loglikelihoods - loglikelihoods.max())
    probabilities = np.zeros(len(canonical))
    for text, weight in zip(displayed, weights / weights.sum()):
        probabilities[canonical.index(text)] = weight
    return probabilities


def _pct_scores(rows: dict[int, np.ndarray], sources: Path) -> dict[str, float]:
    """PCT coordinates by the PROVENANCE formula from the raw weights (econ 0.38 + sum/8, soc 2.41 + sum/19.5)."""
    weights = json.loads((sources / "pct" / "pct_scoring.json").read_text())
    econ = sum(row @ np.array(weights["econ_weights"][n - 1]) for n, row in rows.items())
    soc = sum(row @ np.array(weights["soc_weights"][n - 1]) for n, row in rows.items())
    return {"econ": 0.38 + econ / 8.0, "soc": 2.41 + soc / 19.5}


def _pct_options(sources: Path) -> list[str]:
    """The answer labels in the weights' column order, from the raw scoring file."""
    scale = json.loads((sources / "pct" / "pct_scoring.json").read_text())["answer_scale"]
    return [entry["label"] for entry in sorted(scale, key=lambda entry: entry["index"])]


@pytest.mark.parametrize("task", ["pct_logprob", "pct_reversed_logprob", "pct_permutation1_logprob"])
def test_pct_variants_score_the_canonical_answers(run, task, sources_dir):
    options = _pct_options(sources_dir)
    at_answer, expected = {}, {}
    orders = []
    for sample in read_samples(run, task):
        number = sample["doc"]["number"]
        [(prompt, _), *_rest] = _requests(sample)
        shown = _displayed_options(prompt, r"^[1-4]\) (.+)$")
        assert sorted(shown) == sorted(options)
        orders.append([options.index(text) for text in shown])
        assert [continuation for _, continuation in _requests(sample)] == [" 1", " 2", " 3", " 4"]
        probabilities = _canonical_probabilities(sample, shown, options)
        at_answer[number] = np.eye(4)[int(np.argmax(probabilities))]
        expected[number] = probabilities
    if task == "pct_reversed_logprob":
        assert all(order == [3, 2, 1, 0] for order in orders)
    elif task == "pct_permutation1_logprob":
        assert any(order != [0, 1, 2, 3] for order in orders)
    else:
        assert all(order == [0, 1, 2, 3] for order in orders)
    reported = read_reported(run, task)
    for axis, value in _pct_scores(at_answer, sources_dir).items():
        assert reported[axis] == pytest.approx(value, abs=1e-9)
    for axis, value in _pct_scores(expected, sources_dir).items():
        assert reported[f"{axis}_expected"] == pytest.approx(value, abs=1e-9)


def test_text_labels_score_the_option_texts(run):
    for sample in read_samples(run, "wahl_o_mat_text_logprob"):
        [(prompt, _), *_rest] = _requests(sample)
        shown = _displayed_options(prompt, r"^- (.+)$")
        assert shown == sample["doc"]["options"]  # order unchanged
        assert [continuation for _, continuation in _requests(sample)] == [f" {text}" for text in shown]
        assert "Antworten Sie nur mit einer der Optionen." in prompt


def test_global_opinions_reversed_letters(run):
    for sample in read_samples(run, "global_opinions_reversed_logprob"):
        [(prompt, _), *_rest] = _requests(sample)
        shown = _displayed_options(prompt, r"^\([A-Z]\) (.+)$")
        assert shown == sample["doc"]["options"][::-1]
        assert [c for _, c in _requests(sample)] == [chr(ord("A") + i) for i in range(len(shown))]


def test_mena_values_paraphrase_prompt(run):
    for sample in read_samples(run, "mena_values_paraphrase01_logprob"):
        [(prompt, _), *_rest] = _requests(sample)
        question = sample["doc"]["prompt_question"].replace("Provide a number only.", "").strip()
        assert prompt == MENA_VALUES_PARAPHRASES[1].format(question=question)


def test_robustness_report_on_the_real_run(run, run_cli, eval_env, tmp_path, sources_dir):
    """`opinionbench robustness` on the run: PCT position masses (probability at each display
    position, averaged per item over the canonical prompt and the two order variants) and the
    reversed prompt's total-variation shift, both recomputed here from the logged prompts."""
    result = run_cli("robustness", str(run.parent), "--out", str(tmp_path / "robustness"), env=eval_env)
    assert result.returncode == 0, result.stderr
    [folder] = (tmp_path / "robustness").glob("*/pct")
    tasks = ("pct_logprob", "pct_reversed_logprob", "pct_permutation1_logprob")
    options = _pct_options(sources_dir)
    displayed, canonical = {}, {}
    for task in tasks:
        for sample in read_samples(run, task):
            loglikelihoods = np.array([float(ll) for ll, _ in sample["filtered_resps"]])
            shown = np.exp(loglikelihoods - loglikelihoods.max())
            displayed.setdefault(sample["doc"]["number"], []).append(shown / shown.sum())
            [(prompt, _), *_rest] = _requests(sample)
            texts = _displayed_options(prompt, r"^[1-4]\) (.+)$")
            canonical[(task, sample["doc"]["number"])] = _canonical_probabilities(sample, texts, options)
    masses = np.mean([np.mean(rows, axis=0) for rows in displayed.values()], axis=0)
    rows = list(csv.DictReader((folder / "position_bias.csv").open()))
    assert [float(row["mass"]) for row in rows] == pytest.approx(masses.tolist(), abs=1e-9)
    assert all(float(row["uniform"]) == 0.25 for row in rows)
    numbers = sorted({number for _, number in canonical})
    tv = np.mean(
        [0.5 * np.abs(canonical[("pct_reversed_logprob", n)] - canonical[("pct_logprob", n)]).sum() for n in numbers]
    )
    shifts = {row["variant"]: row for row in csv.DictReader((folder / "item_shifts.csv").open())}
    assert float(shifts["reversed"]["tv_shift"]) == pytest.approx(tv, abs=1e-9)
