"""Adding a benchmark, as docs/adding_a_benchmark.md describes it: a throwaway survey family and a
throwaway axis instrument, each nothing but its own files (``tests/families/toy_*/``: the builder
and its card, the task folder with the declaration, hooks and hand-written YAML, the source) and
one registration, appear in every layer: builder lookup and ``opinionbench build``, the lm-eval
tasks and the robustness variants generated from the declaration, the report, the robustness
report and the site."""

from __future__ import annotations

import csv
import importlib
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.spatial.distance import jensenshannon

from opinionbench import families
from opinionbench.cli import main
from opinionbench.tasks import _generate_configs

HERE = Path(__file__).resolve().parent
TOYS = ("toy_survey", "toy_axis")
RUN_TASKS = ("toy_survey_logprob", "toy_survey_reversed_logprob", "toy_axis_logprob", "toy_axis_reversed_logprob")
# The toy axis instrument's key, written out again: statement number -> (axis, effect of agreeing);
# Agree moves the axis by the effect, Neutral not at all, Disagree by minus the effect; an axis is
# 10 x the mean move of its statements.
TOY_KEY = {1: ("open", 1), 2: ("open", -1), 3: ("shared", 1), 4: ("shared", -1)}
AGREEMENT = (1, 0, -1)


@pytest.fixture(scope="module")
def toys(tmp_path_factory, sources_dir):
    """The toy families copied into a temporary folder (the generator writes into their task
    folders), registered, with their sources in ``$OPINIONBENCH_SOURCES`` and a private cache
    (``sources_dir``, the real sources, is resolved first for the session's other fixtures)."""
    root = tmp_path_factory.mktemp("toys")
    for name in TOYS:
        shutil.copytree(HERE / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(HERE / name / "sources" / name, root / "sources" / name)
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(root))
        patch.setenv("OPINIONBENCH_SOURCES", str(root / "sources"))
        patch.setenv("OPINIONBENCH_CACHE", str(root / "cache"))
        # the one registration of each family
        registered = [families.register(importlib.import_module(f"{name}.tasks.family").FAMILY) for name in TOYS]
        yield root, registered
        for name in TOYS:
            families.unregister(name)
            for module in [module for module in sys.modules if module.split(".")[0] == name]:
                del sys.modules[module]


def test_the_builder_is_found_through_the_declaration(toys, tmp_path, capsys):
    assert [len(families.get(name).builder().build().dataset["test"]) for name in TOYS] == [4, 4]
    assert main(["build", "toy_survey", "--out", str(tmp_path / "built")]) == 0
    assert "toy_survey: built 4 questions, 10 (question, group) distributions" in capsys.readouterr().out
    card = (tmp_path / "built" / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n") and "# Toy survey (OpinionBench test)" in card


def test_the_generator_writes_the_declared_variants_and_lm_eval_finds_every_task(toys):
    from lm_eval.tasks import TaskManager

    _, registered = toys
    assert _generate_configs.main([], selected=registered) == 0
    assert _generate_configs.main(["--check"], selected=registered) == 0
    manager = TaskManager(include_path=families.task_paths(), include_defaults=False)
    for family in registered:
        variants = sorted(path.stem for path in (family.tasks_dir / "robustness").glob("*_logprob.yaml"))
        assert len(variants) == 4 + 2 + 10, family.name
        assert set(variants) | {family.canonical_task, f"{family.name}_robustness"} <= set(manager.all_tasks)
    assert {"toy_axis_gen", "toy_axis_forced_gen", "toy_axis", "toy_survey"} <= set(manager.all_tasks)


@pytest.mark.slow
def test_report_robustness_report_and_site_have_the_new_families(toys, prepared_model, tmp_path):
    from lm_eval import simple_evaluate
    from lm_eval.loggers import EvaluationTracker
    from lm_eval.tasks import TaskManager

    from opinionbench.leaderboard.report.command import report
    from opinionbench.leaderboard.report.tables import decimals_for, number_cell
    from opinionbench.leaderboard.robustness.command import robustness
    from opinionbench.leaderboard.site.command import build_site

    _, registered = toys
    _generate_configs.main([], selected=registered)
    out = tmp_path / "lm_eval"
    tracker = EvaluationTracker(output_path=str(out))
    results = simple_evaluate(
        model="hf",
        model_args=f"pretrained={prepared_model},dtype=float32",
        tasks=list(RUN_TASKS),
        task_manager=TaskManager(include_path=families.task_paths(), include_defaults=False),
        batch_size=8,
        device="cpu",
        log_samples=True,
        apply_chat_template=True,
        evaluation_tracker=tracker,
    )
    samples = results.pop("samples")
    tracker.save_results_aggregated(results=results, samples=samples)
    for task in RUN_TASKS:
        tracker.save_results_samples(task_name=task, samples=samples[task])

    table = results["results"]
    assert table["toy_survey_logprob"]["js_similarity,none"] == pytest.approx(
        _js_similarity(samples["toy_survey_logprob"])
    )
    for axis, value in _toy_axis_scores(samples["toy_axis_logprob"]).items():
        assert table["toy_axis_logprob"][f"{axis},none"] == pytest.approx(value)

    report(out, tmp_path / "report")
    index = (tmp_path / "report" / "README.md").read_text(encoding="utf-8")
    assert all(f"## {task} — " in index for task in RUN_TASKS)
    [countries] = (tmp_path / "report").glob("*/toy_survey_logprob/countries.csv")
    with countries.open(encoding="utf-8") as handle:
        assert sorted(row["country"] for row in csv.DictReader(handle)) == ["Atlantis", "Lemuria", "Mu"]
    [axes] = (tmp_path / "report").glob("*/toy_axis_logprob/axes.png")
    assert axes.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # beside the interval of the canonical prompt's answers: the spread over both prompts
    [scores_page] = (tmp_path / "report").glob("*/toy_axis_logprob/scores.md")
    low, high = sorted(table[task]["open,none"] for task in ("toy_axis_logprob", "toy_axis_reversed_logprob"))
    digits = decimals_for([low, high])
    expected = (
        f"open {number_cell(low, digits)} to {number_cell(high, digits)} (SD {number_cell((high - low) / 2, digits)})"
    )
    assert "Spread over 2 prompts" in (text := scores_page.read_text(encoding="utf-8")) and expected in text

    robustness(out, tmp_path / "robustness")
    folders = {path.name for path in (tmp_path / "robustness").glob("*/*") if path.is_dir()}
    assert {"toy_survey", "toy_axis"} <= folders

    build_site(out, tmp_path / "site")
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Toy survey (toy_survey)" in page and "Toy axis instrument (toy_axis)" in page
    [survey_page] = (tmp_path / "site" / "questions").glob("*toy_survey_logprob*.html")
    survey = survey_page.read_text(encoding="utf-8")  # the drill-down page holds the per-country ranking
    assert "Per-country ranking" in survey and all(f">{c}</td>" in survey for c in ("Atlantis", "Lemuria", "Mu"))
    assert list((tmp_path / "site" / "questions").glob("*toy_axis_logprob*.html"))


def _probabilities(sample: dict) -> np.ndarray:
    loglikelihoods = np.array([float(pair[0]) for pair in sample["filtered_resps"]])
    weights = np.exp(loglikelihoods - loglikelihoods.max())
    return weights / weights.sum()


def _js_similarity(samples: list[dict]) -> float:
    """GlobalOpinionQA's macro mean, recomputed with SciPy from the logged answers and the source file."""
    source = [json.loads(line) for line in (HERE / "toy_survey" / "sources" / "toy_survey" / "toy_survey.jsonl").open()]
    by_question = {item["question"]: item for item in source}
    per_country: dict[str, list[float]] = {}
    for sample in samples:
        model = _probabilities(sample)
        for country, shares in by_question[sample["doc"]["question"]]["distributions"].items():
            human = np.asarray(shares) / np.sum(shares)
            per_country.setdefault(country, []).append(1 - jensenshannon(model, human, base=2))
    return float(np.mean([np.mean(scores) for scores in per_country.values()]))


def _toy_axis_scores(samples: list[dict]) -> dict[str, float]:
    """Each axis at the most probable answers, from the key written out above."""
    moves: dict[str, list[float]] = {"open": [], "shared": []}
    for sample in samples:
        axis, effect = TOY_KEY[sample["doc"]["number"]]
        moves[axis].append(effect * AGREEMENT[int(np.argmax(_probabilities(sample)))])
    return {axis: 10 * float(np.mean(values)) for axis, values in moves.items()}
