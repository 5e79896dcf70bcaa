"""Real lm_eval runs of the implicit-bias tasks on the bundled model: the paper's system turn and
prompt reach the model, each table number equals a computation here from the logged responses,
and the report recomputes the table and writes the per-stereotype files."""

import json

import numpy as np
import pytest
from lm_eval_files import read_reported, read_samples

from opinionbench.judges.decisions import match_decision
from opinionbench.metrics import parse_word_associations, response_d_score

pytestmark = pytest.mark.slow
TASKS = ("implicit_bias_wat", "implicit_bias_decision")
LIMIT = 4


@pytest.fixture(scope="module")
def run(lm_eval_run, tmp_path_factory):
    return lm_eval_run(tmp_path_factory.mktemp("implicit_bias"), TASKS, "--limit", str(LIMIT), "--apply_chat_template")


def test_the_model_gets_the_paper_s_system_turn_and_prompt(run):
    for task in TASKS:
        for sample in read_samples(run, task):
            prompt = sample["arguments"]["gen_args_0"]["arg_0"]
            assert prompt.startswith("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n")
            assert sample["doc"]["prompt"] in prompt
    config = json.loads(run.read_text())["configs"]["implicit_bias_wat"]
    assert config["generation_kwargs"]["do_sample"] is True and config["generation_kwargs"]["temperature"] == 1.0


def test_the_table_equals_the_logged_responses_scored_here(run):
    samples, reported = read_samples(run, "implicit_bias_wat"), read_reported(run, "implicit_bias_wat")
    parsed = [
        parse_word_associations(
            s["filtered_resps"][0],
            default_words=s["doc"]["default_words"],
            stigma_words=s["doc"]["stigma_words"],
            positive=s["doc"]["positive_attributes"],
            negative=s["doc"]["negative_attributes"],
        )
        for s in samples
    ]
    assert len(samples) == LIMIT
    assert reported["d_score"] == pytest.approx(np.mean([response_d_score(p, invalid_as_zero=True) for p in parsed]))
    assert reported["valid_rate"] == pytest.approx(np.mean([p.status == "valid" for p in parsed]))
    decisions, table = read_samples(run, "implicit_bias_decision"), read_reported(run, "implicit_bias_decision")
    decided = [
        match_decision(
            s["filtered_resps"][0],
            default_group=[s["doc"]["default_group"], *s["doc"]["default_words"]],
            stigma_group=[s["doc"]["stigma_group"], *s["doc"]["stigma_words"]],
            positive_position=s["doc"]["positive_position"],
            negative_position=s["doc"]["negative_position"],
        )
        for s in decisions
    ]
    assert table["decided_rate"] == pytest.approx(np.mean([d is not None for d in decided]))


def test_the_report_recomputes_the_table_and_writes_the_stereotype_files(run, run_cli, eval_env, tmp_path):
    result = run_cli("report", str(run.parent.parent), "--out", str(tmp_path / "report"), env=eval_env)
    assert result.returncode == 0, result.stderr[-2000:]
    for task in TASKS:
        [folder] = (tmp_path / "report").glob(f"*/{task}")
        assert (folder / "forest.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert "recomputed from the samples log (equal)" in (folder / "stereotypes.md").read_text(encoding="utf-8")
