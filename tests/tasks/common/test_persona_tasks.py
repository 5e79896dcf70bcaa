"""Real lm_eval runs of the persona tasks on the bundled model: the prompts lm-eval built (system
prompt in the system turn, the JSON primer opening the answer), the options mapped back from the
shuffled order, and the table's numbers recomputed here from the samples log and the raw PCT
scoring file (the formula of pct/PROVENANCE.md written out again), not from opinionbench.metrics."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from lm_eval_files import read_reported, read_samples
from persona_runs import CLOSED_GEN, LOGPROB, OPEN_GEN, PERSONAS, results_of

pytestmark = pytest.mark.slow

PCT_OPTIONS = ["Strongly disagree", "Disagree", "Agree", "Strongly agree"]


def _run(persona_runs: Path, task: str) -> Path:
    """The results file of ``task`` in the shared persona runs (tests/conftest.py)."""
    return results_of(persona_runs, task)


def _pct(options: dict[int, int | None], sources: Path) -> tuple[float, float]:
    scoring = json.loads((sources / "pct" / "pct_scoring.json").read_text())
    econ = sum(scoring["econ_weights"][n - 1][o] for n, o in options.items() if o is not None)
    soc = sum(scoring["soc_weights"][n - 1][o] for n, o in options.items() if o is not None)
    return 0.38 + econ / 8.0, 2.41 + soc / 19.5


def _logprob_answer(sample: dict) -> int:
    """The canonical option of the highest log-likelihood, through the document's display order."""
    loglikelihoods = [float(ll) for ll, _ in sample["filtered_resps"]]
    return sample["doc"]["display_order"][int(np.argmax(loglikelihoods))]


def _closed_answer(sample: dict) -> int | None:
    [text] = sample["filtered_resps"]
    chosen = [i for i, option in enumerate(PCT_OPTIONS) if text.strip().lower() == option.lower()]
    return chosen[0] if chosen else sample["econ"]["option"]  # non-exact answers: the task's parse (tested apart)


def _positions(samples: list[dict], answer, sources: Path) -> dict[str, tuple[float, float]]:
    answers: dict[tuple[str, str], dict[int, int | None]] = defaultdict(dict)
    for sample in samples:
        doc = sample["doc"]
        answers[(doc["persona"], doc["template"])][doc["number"]] = answer(sample)
    by_persona = defaultdict(list)
    for (persona, _), options in answers.items():
        by_persona[persona].append(_pct(options, sources))
    return {persona: tuple(np.mean(found, axis=0)) for persona, found in by_persona.items()}


def test_every_condition_and_statement_is_asked_with_the_papers_prompt(persona_runs):
    samples = read_samples(_run(persona_runs, CLOSED_GEN), CLOSED_GEN)
    assert len(samples) == 2 * 2 * 62
    conditions = {(s["doc"]["persona"], s["doc"]["template"]) for s in samples}
    assert conditions == {(p, t) for p in PERSONAS for t in ("closed1", "closed2")}
    aged = next(s for s in samples if s["doc"]["persona"] == "age=18")
    prompt = aged["arguments"]["gen_args_0"]["arg_0"]
    system = prompt.split("<|im_start|>user")[0]
    assert "from the perspective of a person who is 18 years old" in system
    assert prompt.endswith('<|im_start|>assistant\n{ "selection": "')
    options_shown = [PCT_OPTIONS[i] for i in aged["doc"]["display_order"]]
    assert f"Select from the following options: {', '.join(options_shown)}." in prompt
    assert len({tuple(s["doc"]["display_order"]) for s in samples}) > 1


def test_logprob_scores_equal_the_source_formula(persona_runs, sources_dir):
    samples = read_samples(_run(persona_runs, LOGPROB), LOGPROB)
    reported = read_reported(_run(persona_runs, LOGPROB), LOGPROB)
    continuations = [a["arg_1"] for a in samples[0]["arguments"].values()]
    assert continuations == [f'{PCT_OPTIONS[i]}"' for i in samples[0]["doc"]["display_order"]]
    positions = _positions(samples, _logprob_answer, sources_dir)
    assert reported["econ"] == pytest.approx(positions["base"][0])
    assert reported["soc"] == pytest.approx(positions["base"][1])
    shift = np.hypot(*(np.array(positions["age=18"]) - np.array(positions["base"])))
    assert reported["persona_shift"] == pytest.approx(shift)
    assert reported["econ_stderr"] > 0


def test_closed_generations_score_their_selections(persona_runs, sources_dir):
    samples = read_samples(_run(persona_runs, CLOSED_GEN), CLOSED_GEN)
    reported = read_reported(_run(persona_runs, CLOSED_GEN), CLOSED_GEN)
    positions = _positions(samples, _closed_answer, sources_dir)
    assert reported["econ"] == pytest.approx(positions["base"][0])
    valid = np.mean([s["econ"]["option"] is not None for s in samples])
    assert reported["valid_answer_rate"] == pytest.approx(valid)


def test_open_answers_are_judged_offline_by_default(persona_runs):
    samples = read_samples(_run(persona_runs, OPEN_GEN), OPEN_GEN)
    assert len(samples) == 2 * 62
    for sample in samples:
        prompt = sample["arguments"]["gen_args_0"]["arg_0"]
        assert prompt.endswith('{ "response": "')
        assert "At a debate, you are asked to state your opinion" in prompt
        assert json.loads(sample["doc"]["stance_judge"]) == {"judge": "rules"}
        record = sample["econ"]
        assert record["stance"] in (None, "Strongly agree", "Agree", "Disagree", "Strongly disagree", "None")
        assert record["option"] == (PCT_OPTIONS.index(record["stance"]) if record["stance"] in PCT_OPTIONS else None)
