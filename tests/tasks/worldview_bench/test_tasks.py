"""WorldView-Bench tasks on the bundled model with the embedded judge: real generations, every
number recomputed here from the logged answers (judge run again, entropy with scipy); the
multiplexity system prompt; the two multi-agent stages; the report."""

from __future__ import annotations

import csv
import json
import math
import shutil

import numpy as np
import pytest
from lm_eval_files import read_reported, read_samples
from scipy.stats import entropy

from opinionbench.errors import OpinionBenchError
from opinionbench.judges import JudgeSettings, load_perspectives, make_judge
from opinionbench.tasks.worldview_bench import utils

pytestmark = pytest.mark.slow

NAMES = load_perspectives().names
SYSTEM_PROMPT_START = "Answer in the spirit of multiplexity."
SHORTER = ("--gen_kwargs", "max_gen_toks=96")


@pytest.fixture(scope="module")
def judge():
    return make_judge(JudgeSettings())


@pytest.fixture(scope="module")
def answers_run(lm_eval_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("worldview") / "out"
    # Shorter answers than the task's 256 tokens, to keep the test quick.
    # Three questions of the religious domain, whose answers make references.
    questions = json.dumps({key: [25, 26, 27] for key in ["worldview_bench_gen", "worldview_bench_multiplex_gen"]})
    return lm_eval_run(out, ["worldview_bench"], "--apply_chat_template", "--samples", questions, *SHORTER)


def _text(sample) -> str:
    return sample["filtered_resps"][0]


def _prompt(sample) -> str:
    return sample["arguments"]["gen_args_0"]["arg_0"]


def _expected_entropy(counts: np.ndarray) -> float:
    pooled = counts.sum(axis=0)
    return 100 * entropy(pooled) / math.log(len(NAMES)) if pooled.sum() else math.nan


@pytest.mark.parametrize("task", ["worldview_bench_gen", "worldview_bench_multiplex_gen"])
def test_answers_are_judged_and_scored_as_documented(answers_run, judge, task):
    samples = read_samples(answers_run, task)
    assert [s["doc"]["id"] for s in samples] == ["religious_01", "religious_02", "religious_03"]
    counts = []
    for sample in samples:
        assert len(_text(sample).split()) > 20  # a real answer, not an empty generation
        payload = sample["pds_entropy"]
        again = judge.references(sample["doc"]["question"], _text(sample), item=sample["doc"]["id"])
        assert payload["references"] == [list(r) for r in again]
        assert payload["counts"] == [sum(r.perspective == name for r in again) for name in NAMES]
        counts.append(payload["counts"])
    counts = np.array(counts)
    assert counts.sum() > 0  # so that the entropy below is a number to check
    reported = read_reported(answers_run, task)
    assert reported["pds_entropy"] == pytest.approx(_expected_entropy(counts), nan_ok=True)
    assert reported["reference_rate"] == pytest.approx((counts.sum(axis=1) > 0).mean())
    assert 0 <= reported["reference_rate_stderr"] <= 0.5  # the standard error of a share
    system_prompt = SYSTEM_PROMPT_START in _prompt(samples[0])
    assert system_prompt == (task == "worldview_bench_multiplex_gen")
    if system_prompt:  # a system message of the chat template, before the question
        assert _prompt(samples[0]).index(SYSTEM_PROMPT_START) < _prompt(samples[0]).index(samples[0]["doc"]["question"])


def test_report_of_the_answers(answers_run, run_cli, eval_env, tmp_path):
    result = run_cli("report", str(answers_run.parents[1]), "--out", str(tmp_path / "report"), env=eval_env)
    assert result.returncode == 0, result.stderr[-3000:]
    [folder] = [p.parent for p in (tmp_path / "report").rglob("judge_configuration.json") if "multiplex" not in str(p)]
    configuration = json.loads((folder / "judge_configuration.json").read_text())
    assert configuration["perspectives"]["k"] == 9 and configuration["pooling"] == "pooled"
    assert configuration["judge"]["kind"] == "embedding"
    samples = read_samples(answers_run, "worldview_bench_gen")
    pooled = np.array([s["pds_entropy"]["counts"] for s in samples]).sum(axis=0)
    with (folder / "perspectives.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert [row["perspective"] for row in rows] == NAMES
    for row, count in zip(rows, pooled):
        assert int(row["references"]) == count
        if pooled.sum():
            assert float(row["pds"]) == pytest.approx(count / pooled.sum())
    with (folder / "domains.csv").open() as handle:
        domains = {row["domain"]: row for row in csv.DictReader(handle)}
    assert set(domains) == {"religious", "all domains"}
    assert int(domains["all domains"]["answers"]) == 3
    readme = (tmp_path / "report" / "README.md").read_text()
    assert "K = 9" in readme and "pooling: pooled" in readme and "not comparable with the paper's" in readme


@pytest.fixture(scope="module")
def drafts_run(lm_eval_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("worldview") / "drafts"
    # One question's drafts: K = 9 documents.
    return lm_eval_run(out, ["worldview_bench_mas_drafts_gen"], "--apply_chat_template", "--limit", "9", *SHORTER)


def test_multi_agent_drafts_speak_for_each_perspective(drafts_run):
    samples = read_samples(drafts_run, "worldview_bench_mas_drafts_gen")
    assert [s["doc"]["perspective"] for s in samples] == NAMES
    assert {s["doc"]["id"] for s in samples} == {"ethical_moral_01"}
    labels = {p.name: p.label for p in load_perspectives().perspectives}
    for sample in samples:
        prompt = _prompt(sample)
        assert f"You speak for the {labels[sample['doc']['perspective']]} perspective" in prompt
        assert prompt.index("You speak for") < prompt.index(sample["doc"]["question"])
        assert _text(sample).strip()


def test_multi_agent_synthesis_reads_the_drafts(drafts_run, lm_eval_run, tmp_path):
    drafts_folder = drafts_run.parents[1]
    results = lm_eval_run(
        tmp_path / "out",
        ["worldview_bench_mas_gen"],
        "--apply_chat_template",
        "--metadata",
        json.dumps({"drafts": str(drafts_folder)}),
    )
    [sample] = read_samples(results, "worldview_bench_mas_gen")
    drafts = {s["doc"]["perspective"]: _text(s) for s in read_samples(drafts_run, "worldview_bench_mas_drafts_gen")}
    assert sample["doc"]["id"] == "ethical_moral_01" and sample["doc"]["draft_perspectives"] == NAMES
    prompt = _prompt(sample)
    for name, label in ((p.name, p.label) for p in load_perspectives().perspectives):
        assert f"{label} perspective:\n{drafts[name].strip()}" in prompt
    assert "brings these perspectives together" in prompt
    assert read_reported(results, "worldview_bench_mas_gen")["reference_rate"] in (0.0, 1.0)


def test_synthesis_refuses_missing_or_partial_drafts(drafts_run, answers_run, tmp_path, eval_env, monkeypatch):
    for key, value in eval_env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(OpinionBenchError, match=r"--metadata '\{\"drafts\": \"<output_path>\"\}'"):
        utils.load_synthesis_documents()
    partial = tmp_path / "partial" / drafts_run.parent.name
    shutil.copytree(drafts_run.parent, partial)
    [samples_file] = partial.glob("samples_*.jsonl")
    samples_file.write_text("".join(samples_file.read_text().splitlines(keepends=True)[:5]))
    with pytest.raises(
        OpinionBenchError, match=r"1 question\(s\) lack some perspectives' drafts, e.g. ethical_moral_01"
    ):
        utils.load_synthesis_documents(drafts=str(partial.parent))
    with pytest.raises(OpinionBenchError, match="no lm-eval results with logged samples of worldview_bench_mas_drafts"):
        utils.load_synthesis_documents(drafts=str(answers_run.parents[1]))
    with pytest.raises(OpinionBenchError, match="does not exist; pass the --output_path given to lm_eval"):
        utils.load_synthesis_documents(drafts=str(tmp_path / "absent"))
