"""A persona task's samples log (each statement under several persona conditions and templates,
its options shuffled per condition) is not a robustness prompt of its instrument: the robustness
readers leave it out, beside the canonical task they read."""

from __future__ import annotations

from damaged_inputs.lm_eval_runs import CANONICAL, PERSONAS, write_run

from opinionbench.leaderboard.robustness.inputs import all_prompt_answers, read_prompt_answers
from opinionbench.lm_eval_outputs import find_runs


def test_a_persona_task_is_not_read_as_a_robustness_prompt(tmp_path, pct_build):
    [run] = find_runs(write_run(tmp_path, tasks=(CANONICAL, PERSONAS)))
    assert read_prompt_answers(run, PERSONAS) is None
    canonical = read_prompt_answers(run, CANONICAL)
    assert canonical is not None and canonical.variant == "canonical"
    assert [answers.task for answers in all_prompt_answers([run])] == [CANONICAL]
